// Package policy holds the policy profiles (the targets of the policy documents,
// clause by clause), judges metric rows against them and scores each utility and
// district (spec/targets.md).
package policy

import (
	"bytes"
	"embed"
	"fmt"
	"io/fs"
	"os"
	"slices"
	"sort"
	"strings"
	"time"

	"gopkg.in/yaml.v3"

	"github.com/utilscore/utilscore/domain"
	"github.com/utilscore/utilscore/metrics"
)

//go:embed profiles/*.yaml
var builtinFiles embed.FS

// Profile is one policy document's targets and settings.
type Profile struct {
	ID       string   `yaml:"id"`
	Title    string   `yaml:"title"`
	Document string   `yaml:"document"`
	Notes    []string `yaml:"notes"` // clauses the data cannot judge, and readings chosen
	Settings Settings `yaml:"settings"`
	Targets  []Target `yaml:"targets"`
}

// Settings are the profile's figures for the definitions that leave them open.
type Settings struct {
	SatisfiedMin int     `yaml:"satisfied_min"` // default 3
	RectifyWD    float64 `yaml:"rectify_wd"`    // default 5
	ComplaintWD  float64 `yaml:"complaint_wd"`  // default 7
	RepairWD     float64 `yaml:"repair_wd"`     // default 3
	BackfillWD   float64 `yaml:"backfill_wd"`   // default 2 (integrity audit)
	// Scoring: "proportional" (a missed target scores min(1, target/actual) or
	// min(1, actual/target) of its weight) or "all_or_nothing".
	Scoring string `yaml:"scoring"`
	// DeadlineRule: "legal" (default: the date of the N-th working day after the start,
	// spec/calendar.md "Deadlines") or "elapsed" (elapsed working time ≤ N).
	DeadlineRule string `yaml:"deadline_rule"`
	// OfficeClose ("17:30"): an instant after it counts from the next day. Empty: 24:00.
	OfficeClose string `yaml:"office_close"`
	// OfficeHours ("09:00-12:00") judge fractional limits; default 09:00–12:00, 13:00–18:00.
	OfficeHours []string `yaml:"office_hours"`
	// ExemptReasons are the outage exemption reasons the document accepts, for the
	// utilities its targets cover (metrics.md H8): absent keeps every logged
	// exemption, [] accepts none. ExemptOthersAs: planned (default) or fault, what an
	// exemption not accepted counts as.
	ExemptReasons  []string `yaml:"exempt_reasons"`
	ExemptOthersAs string   `yaml:"exempt_others_as"`
	// MomentaryMinutes (default 3) and MomentaryUtilities (default power): shorter
	// interruptions are momentary, out of the sustained figures.
	MomentaryMinutes   float64  `yaml:"momentary_minutes"`
	MomentaryUtilities []string `yaml:"momentary_utilities"`
}

// Target is one target of a policy document.
type Target struct {
	ID         string   `yaml:"id"`
	Metric     string   `yaml:"metric"`
	Statistic  string   `yaml:"statistic"`
	Limit      *float64 `yaml:"limit"`      // share_within: the per-case limit
	Comparison string   `yaml:"comparison"` // "<=" or ">="
	Threshold  float64  `yaml:"threshold"`
	Where      Filter   `yaml:"where"`
	// Effective is the first day the target applies (2022-01-01; empty: from the
	// document's date); Expires, the first day it no longer does. (v1 profiles named
	// them from/until; from/to now name a clock's stages.)
	Effective string `yaml:"effective"`
	Expires   string `yaml:"expires"`
	// From and To name the clock of a stage_time target: stages of inputs.md without
	// _at (applied, accepted, plan_replied…). Agreed names a stage (agreed_connection)
	// whose date a deadline waits for (metrics.md H4).
	From   string `yaml:"from"`
	To     string `yaml:"to"`
	Agreed string `yaml:"agreed"`
	// Notes, in Chinese: readings the document leaves open, figures lost from its text,
	// parts of the clause the logs cannot judge.
	Notes   []string `yaml:"notes"`
	Periods []string `yaml:"periods"` // quarter, year, month; empty: all
	// OrYoYDrop: the target is also met when the figure fell by at least this share on
	// the year before (Zigong's "or down 8 %").
	OrYoYDrop *float64 `yaml:"or_yoy_drop"`
	Weight    float64  `yaml:"weight"`
	Source    string   `yaml:"source"`
	line      int
}

// Filter says which rows (and, for per-case metrics, which cases) a target covers.
type Filter struct {
	Utility       string   `yaml:"utility"`
	Classes       []string `yaml:"classes"`
	AreaTypes     []string `yaml:"area_types"`
	LowRisk       *bool    `yaml:"low_risk"`
	ExternalWorks *bool    `yaml:"external_works"`
	BusinessTypes []string `yaml:"business_types"`
	Joint         *bool    `yaml:"joint"`
	Online        *bool    `yaml:"online"`
	Channels      []string `yaml:"channels"`
	MaxCapacity   *float64 `yaml:"max_capacity"`
	MinCapacity   *float64 `yaml:"min_capacity"`
	// EnterpriseSizes: micro, small, medium, large (小微 = micro + small; 中小微 adds medium).
	EnterpriseSizes []string `yaml:"enterprise_sizes"`
}

// BuiltinIDs lists the built-in profiles.
func BuiltinIDs() []string {
	entries, _ := fs.ReadDir(builtinFiles, "profiles")
	var ids []string
	for _, e := range entries {
		ids = append(ids, strings.TrimSuffix(e.Name(), ".yaml"))
	}
	sort.Strings(ids)
	return ids
}

// Load returns a built-in profile by id, or reads a YAML file.
func Load(idOrPath string) (*Profile, error) {
	data, err := fs.ReadFile(builtinFiles, "profiles/"+idOrPath+".yaml")
	name := "built-in profile " + idOrPath
	if err != nil {
		if data, err = os.ReadFile(idOrPath); err != nil {
			return nil, fmt.Errorf("profile %q is neither built in (%s) nor a readable file: %w", idOrPath, strings.Join(BuiltinIDs(), ", "), err)
		}
		name = idOrPath
	}
	return Parse(data, name)
}

// Parse reads and checks a profile; an error names the line and the reason.
func Parse(data []byte, name string) (*Profile, error) {
	var root yaml.Node
	if err := yaml.Unmarshal(data, &root); err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	var p Profile
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	if err := dec.Decode(&p); err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	lines := targetLines(&root)
	for i := range p.Targets {
		if i < len(lines) {
			p.Targets[i].line = lines[i]
		}
	}
	p.applyDefaults()
	if err := p.check(); err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	return &p, nil
}

// targetLines finds the line of each item of the targets list.
func targetLines(root *yaml.Node) []int {
	if len(root.Content) == 0 {
		return nil
	}
	doc := root.Content[0]
	for i := 0; i+1 < len(doc.Content); i += 2 {
		if doc.Content[i].Value == "targets" {
			var out []int
			for _, item := range doc.Content[i+1].Content {
				out = append(out, item.Line)
			}
			return out
		}
	}
	return nil
}

func (p *Profile) applyDefaults() {
	s := &p.Settings
	d := metrics.DefaultSettings()
	if s.SatisfiedMin == 0 {
		s.SatisfiedMin = d.SatisfiedMin
	}
	if s.RectifyWD == 0 {
		s.RectifyWD = d.RectifyWD
	}
	if s.ComplaintWD == 0 {
		s.ComplaintWD = d.ComplaintWD
	}
	if s.RepairWD == 0 {
		s.RepairWD = d.RepairWD
	}
	if s.BackfillWD == 0 {
		s.BackfillWD = 2
	}
	if s.DeadlineRule == "" {
		s.DeadlineRule = "legal"
	}
	if s.Scoring == "" {
		s.Scoring = "proportional"
	}
	if s.ExemptOthersAs == "" {
		s.ExemptOthersAs = d.Outages.ExemptOthersAs
	}
	if s.MomentaryMinutes == 0 {
		s.MomentaryMinutes = d.Outages.MomentaryMinutes
	}
	if s.MomentaryUtilities == nil {
		s.MomentaryUtilities = d.Outages.MomentaryUtilities
	}
	for i := range p.Targets {
		t := &p.Targets[i]
		if t.Weight == 0 {
			t.Weight = 1
		}
		if t.Statistic == "share_within" && t.Comparison == "" {
			// Every case within its limit, unless the profile asks for less.
			t.Comparison = ">="
			if t.Threshold == 0 {
				t.Threshold = 1
			}
		}
	}
}

// stages a target may name (the *_at columns of spec/inputs.md, without _at).
var stages = []string{"applied", "accepted", "survey_agreed", "survey_scheduled_for", "surveyed", "plan_replied", "contract",
	"approval_submitted", "approval_granted", "works_started", "works_completed", "inspection_requested", "inspected",
	"agreed_connection", "connected", "closed"}

var statistics = map[string]bool{"median": true, "mean": true, "p90": true, "max": true, "rate": true,
	"share_within": true, "count": true, "sum": true, "rolling_12m": true}

func (p *Profile) check() error {
	if p.ID == "" {
		return fmt.Errorf("line 1: the profile needs an id")
	}
	if p.Settings.Scoring != "proportional" && p.Settings.Scoring != "all_or_nothing" {
		return fmt.Errorf("settings.scoring %q: use proportional or all_or_nothing", p.Settings.Scoring)
	}
	if p.Settings.DeadlineRule != "legal" && p.Settings.DeadlineRule != "elapsed" {
		return fmt.Errorf("settings.deadline_rule %q: use legal or elapsed", p.Settings.DeadlineRule)
	}
	if _, err := time.Parse("15:04", p.Settings.OfficeClose); p.Settings.OfficeClose != "" && err != nil {
		return fmt.Errorf("settings.office_close %q: write a time like 17:30", p.Settings.OfficeClose)
	}
	if _, err := p.officeHours(); err != nil {
		return err
	}
	if p.Settings.ExemptOthersAs != "planned" && p.Settings.ExemptOthersAs != "fault" {
		return fmt.Errorf("settings.exempt_others_as %q: use planned or fault", p.Settings.ExemptOthersAs)
	}
	if p.Settings.MomentaryMinutes < 0 {
		return fmt.Errorf("settings.momentary_minutes %v: a duration cannot be negative", p.Settings.MomentaryMinutes)
	}
	for _, u := range p.Settings.MomentaryUtilities {
		if !slices.Contains(domain.Utilities, u) {
			return fmt.Errorf("settings.momentary_utilities: %q is not a utility (%s)", u, strings.Join(domain.Utilities, ", "))
		}
	}
	families, err := metrics.Catalog()
	if err != nil {
		return err
	}
	defs := metrics.Definitions(families)
	seen := map[string]bool{}
	for _, t := range p.Targets {
		at := fmt.Sprintf("line %d, target %q", t.line, t.ID)
		d, known := defs[t.Metric]
		switch {
		case t.ID == "":
			return fmt.Errorf("line %d: a target needs an id", t.line)
		case seen[t.ID]:
			return fmt.Errorf("%s: the id is used twice", at)
		case !known:
			return fmt.Errorf("%s: unknown metric %q", at, t.Metric)
		case !statistics[t.Statistic]:
			return fmt.Errorf("%s: unknown statistic %q", at, t.Statistic)
		case t.Statistic == "share_within" && t.Limit == nil:
			return fmt.Errorf("%s: a share_within target needs a limit", at)
		case t.Statistic == "share_within" && !metrics.IsCaseMetric(t.Metric):
			return fmt.Errorf("%s: share_within needs a per-case metric, and %s is not one", at, t.Metric)
		case t.Statistic != "share_within" && !metrics.IsCaseMetric(t.Metric) && !slices.Contains(d.Statistics, t.Statistic):
			return fmt.Errorf("%s: %s has no statistic %s (it has %s)", at, t.Metric, t.Statistic, strings.Join(d.Statistics, ", "))
		case t.Comparison != "<=" && t.Comparison != ">=":
			return fmt.Errorf("%s: comparison must be <= or >=", at)
		case t.Source == "":
			return fmt.Errorf("%s: name the source clause", at)
		}
		if (t.From != "" || t.To != "") && (t.Metric != "stage_time" || t.From == "" || t.To == "" || t.Statistic != "share_within") {
			return fmt.Errorf("%s: from and to name the stages of a stage_time share_within target, and need each other", at)
		}
		for _, stage := range []string{t.From, t.To, t.Agreed} {
			if stage != "" && !slices.Contains(stages, stage) {
				return fmt.Errorf("%s: %q is not a stage (%s)", at, stage, strings.Join(stages, ", "))
			}
		}
		for _, date := range []string{t.Effective, t.Expires} {
			if _, err := time.Parse("2006-01-02", date); date != "" && err != nil {
				return fmt.Errorf("%s: %q is not a date like 2022-01-01", at, date)
			}
		}
		if !metrics.IsCaseMetric(t.Metric) && (t.Where.LowRisk != nil || t.Where.ExternalWorks != nil || t.Where.BusinessTypes != nil ||
			t.Where.Joint != nil || t.Where.Online != nil || t.Where.Channels != nil || t.Where.MaxCapacity != nil ||
			t.Where.MinCapacity != nil || t.Where.EnterpriseSizes != nil) {
			return fmt.Errorf("%s: only per-case metrics can filter on case attributes", at)
		}
		seen[t.ID] = true
	}
	return nil
}

// officeHours reads the office intervals ("09:00-12:00") as seconds after midnight.
func (p *Profile) officeHours() ([][2]int, error) {
	var out [][2]int
	for _, h := range p.Settings.OfficeHours {
		from, to, _ := strings.Cut(h, "-")
		a, errA := time.Parse("15:04", strings.TrimSpace(from))
		b, errB := time.Parse("15:04", strings.TrimSpace(to))
		if errA != nil || errB != nil || !a.Before(b) {
			return nil, fmt.Errorf("settings.office_hours %q: write an interval like 09:00-12:00", h)
		}
		out = append(out, [2]int{a.Hour()*3600 + a.Minute()*60, b.Hour()*3600 + b.Minute()*60})
	}
	return out, nil
}

// MetricSettings are the settings the metric queries need.
func (p *Profile) MetricSettings() metrics.Settings {
	hours, _ := p.officeHours() // checked when the profile was read
	return metrics.Settings{SatisfiedMin: p.Settings.SatisfiedMin, RectifyWD: p.Settings.RectifyWD,
		ComplaintWD: p.Settings.ComplaintWD, RepairWD: p.Settings.RepairWD, BackfillWD: p.Settings.BackfillWD,
		DeadlineRule: p.Settings.DeadlineRule, OfficeClose: p.Settings.OfficeClose, OfficeHours: hours,
		Outages: metrics.OutageSettings{ExemptReasons: p.Settings.ExemptReasons, ExemptUtilities: p.utilities(),
			ExemptOthersAs: p.Settings.ExemptOthersAs, MomentaryMinutes: p.Settings.MomentaryMinutes,
			MomentaryUtilities: p.Settings.MomentaryUtilities}}
}

// utilities lists the utilities the profile's targets cover; nil when a target
// covers every utility.
func (p *Profile) utilities() []string {
	var out []string
	for _, t := range p.Targets {
		if t.Where.Utility == "" {
			return nil
		}
		if !slices.Contains(out, t.Where.Utility) {
			out = append(out, t.Where.Utility)
		}
	}
	return out
}

// Applies tells whether the target is in force for the period.
func (t Target) Applies(p metrics.Period) bool {
	if len(t.Periods) > 0 && !slices.Contains(t.Periods, p.Kind) {
		return false
	}
	day := func(s string) time.Time {
		d, _ := time.ParseInLocation("2006-01-02", s, p.Start.Location())
		return d
	}
	// A target from a date applies to a period that ends after it; one until a date,
	// to a period that starts before it.
	if t.Effective != "" && !p.End.After(day(t.Effective)) {
		return false
	}
	if t.Expires != "" && !p.Start.Before(day(t.Expires)) {
		return false
	}
	return true
}

// CaseTargets returns the targets in force whose figures the connection query computes.
// A share_within target leaves to a narrower one on the same metric the cases that one
// covers (metrics.md H9).
func (p *Profile) CaseTargets(period metrics.Period) []metrics.CaseTarget {
	var out []metrics.CaseTarget
	var inForce []Target
	for _, t := range p.Targets {
		if t.Applies(period) && metrics.IsCaseMetric(t.Metric) {
			inForce = append(inForce, t)
		}
	}
	for _, t := range inForce {
		w := t.Where
		ct := metrics.CaseTarget{ID: t.ID, MetricID: t.Metric, Statistic: t.Statistic, Limit: t.Limit,
			Utility: w.Utility, Classes: w.Classes, LowRisk: w.LowRisk, ExternalWorks: w.ExternalWorks,
			BusinessTypes: w.BusinessTypes, Joint: w.Joint, Online: w.Online, Channels: w.Channels,
			MaxCapacity: w.MaxCapacity, MinCapacity: w.MinCapacity, EnterpriseSizes: w.EnterpriseSizes, AreaTypes: w.AreaTypes,
			FromStage: t.From, ToStage: t.To, Agreed: t.Agreed}
		for _, u := range inForce {
			if u.ID != t.ID && t.Statistic == "share_within" && u.Statistic == "share_within" && u.Metric == t.Metric &&
				u.From == t.From && u.To == t.To &&
				u.Where.narrowerThan(t.Where) {
				ct.Excludes = append(ct.Excludes, u.ID)
			}
		}
		out = append(out, ct)
	}
	return out
}

// narrowerThan tells whether every case f selects is one g selects too, and f is not g:
// each of g's conditions is also one of f's, and f adds at least one.
func (f Filter) narrowerThan(g Filter) bool {
	subset := func(a, b []string) bool { // a selects within b
		if len(b) == 0 {
			return true
		}
		if len(a) == 0 {
			return false
		}
		for _, x := range a {
			if !slices.Contains(b, x) {
				return false
			}
		}
		return true
	}
	sameBool := func(a, b *bool) bool { return b == nil || a != nil && *a == *b }
	within := (g.Utility == "" || f.Utility == g.Utility) && subset(f.Classes, g.Classes) && subset(f.AreaTypes, g.AreaTypes) &&
		sameBool(f.LowRisk, g.LowRisk) && sameBool(f.ExternalWorks, g.ExternalWorks) && subset(f.BusinessTypes, g.BusinessTypes) &&
		sameBool(f.Joint, g.Joint) && sameBool(f.Online, g.Online) && subset(f.Channels, g.Channels) &&
		subset(f.EnterpriseSizes, g.EnterpriseSizes) &&
		(g.MaxCapacity == nil || f.MaxCapacity != nil && *f.MaxCapacity <= *g.MaxCapacity) &&
		(g.MinCapacity == nil || f.MinCapacity != nil && *f.MinCapacity >= *g.MinCapacity)
	return within && !f.equal(g)
}

func (f Filter) equal(g Filter) bool {
	a, _ := yaml.Marshal(f)
	b, _ := yaml.Marshal(g)
	return bytes.Equal(a, b)
}
