// Package pace tells, part way through a year, whether each target judged on the year
// will be met: the figure for the year so far, its projection to the year's end with a
// band, the verdict (按进度, 有风险, 已未达标), what the rest of the year must come to, and
// for a target at risk the districts that put it there. The figures are the metric
// queries' own (sql/metrics), run over the year so far and month by month; this package
// only adds the projection arithmetic.
package pace

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strconv"
	"time"

	"github.com/utilscore/utilscore/domain"
	"github.com/utilscore/utilscore/metrics"
	"github.com/utilscore/utilscore/policy"
)

// Report is the pace of every target judged on a year, as of a date.
type Report struct {
	Year      int
	AsOf      time.Time
	Observed  int // whole months of the year observed by AsOf
	ProfileID string
	Title     string
	Lines     []Line
	Districts map[string]string // code → name, for the drivers
}

// Line is one target's figure (for one area type, where the target judges each
// separately) and its pace.
type Line struct {
	TargetID   string
	Statement  string // the target written out for people
	Source     string
	Utility    string
	AreaType   string
	MetricID   string
	Statistic  string
	Unit       string
	Comparison string
	Threshold  float64
	What       string // the figure in words, for the sentence
	Rule       Rule
	Series     Series
	Projection
	Sentence string
	Drivers  []Driver // for a target at risk: the districts that weigh most against it
}

// Driver is one district's part in a target at risk: its own pace, and how far the
// whole's projection would move if the district came in at the limit.
type Driver struct {
	District string
	Name     string
	Series   Series
	Projection
	Impact float64 // in the figure's unit, towards missing; larger moves it more
}

// seasonalFamilies are the figures with a season (storms, summer demand): never
// extrapolated from this year's months alone.
var seasonalFamilies = []string{"outages", "leakage"}

// maxDrivers is how many districts a target at risk lists.
const maxDrivers = 5

// ObservedMonths counts the whole months of year that have ended by the end of asOf.
func ObservedMonths(year int, asOf time.Time) int {
	next := time.Date(asOf.Year(), asOf.Month(), asOf.Day(), 0, 0, 0, 0, asOf.Location()).AddDate(0, 0, 1)
	switch {
	case next.Year() > year:
		return 12
	case next.Year() < year:
		return 0
	}
	return int(next.Month()) - 1
}

// YearTargets are the targets of a profile judged on the year: those in force for the
// year period, and the rolling-12-month ones (their value at December is the year's
// sum) where no year target judges the same figure. A rolling target is returned as
// the year sum it ends on.
func YearTargets(prof *policy.Profile, year metrics.Period) []policy.Target {
	var out []policy.Target
	for _, t := range prof.Targets {
		if t.Applies(year) {
			out = append(out, t)
		}
	}
	for _, t := range prof.Targets {
		if t.Statistic != "rolling_12m" || t.Applies(year) {
			continue
		}
		y := t
		y.Statistic, y.Periods = "sum", nil
		if !y.Applies(year) || slices.ContainsFunc(out, func(u policy.Target) bool { return sameFigure(u, y) }) {
			continue
		}
		out = append(out, y)
	}
	return out
}

func sameFigure(a, b policy.Target) bool {
	return a.Metric == b.Metric && a.Statistic == b.Statistic && a.Where.Utility == b.Where.Utility &&
		slices.Equal(a.Where.Classes, b.Where.Classes) && slices.Equal(a.Where.AreaTypes, b.Where.AreaTypes)
}

// Gather computes the pace of every target of prof judged on year, as of asOf (in the
// year's time zone).
func Gather(ctx context.Context, db *sql.DB, prof *policy.Profile, year int, asOf time.Time) (*Report, error) {
	plan, err := Prepare(prof, year, asOf)
	if err != nil {
		return nil, err
	}
	computed, err := metrics.ComputeMany(ctx, db, plan.Settings, plan.Requests())
	if err != nil {
		return nil, plan.fail(err)
	}
	return plan.Finish(ctx, db, computed)
}

// Plan is the pace of a year's targets waiting for its figures: Requests are the
// periods it reads, under the profile's settings, which a report computes in one
// metrics.ComputeMany with its own periods (they share the cases' judgement and the
// passes over the cases); Finish makes the pace of their rows.
type Plan struct {
	Settings metrics.Settings // the profile's, under which Requests are computed
	r        *Report
	yp       policy.Profile // the profile with the targets judged on the year
	yearP    metrics.Period
	defs     map[string]metrics.Definition
	f        fetcher
	// Where each part of the pace is among the fetcher's periods.
	ytdAt, totalAt, restAt int
	monthsAt, lastAt       []int
}

// Prepare plans the pace of every target of prof judged on year, as of asOf (in the
// year's time zone).
func Prepare(prof *policy.Profile, year int, asOf time.Time) (*Plan, error) {
	yearP, err := metrics.ParsePeriod(strconv.Itoa(year), asOf.Location())
	if err != nil {
		return nil, fmt.Errorf("pace of %d as of %s: %w", year, asOf.Format("2006-01-02"), err)
	}
	families, err := metrics.Catalog()
	if err != nil {
		return nil, err
	}
	p := &Plan{r: &Report{Year: year, AsOf: asOf, Observed: ObservedMonths(year, asOf), ProfileID: prof.ID, Title: prof.Title,
		Districts: map[string]string{}}, Settings: prof.MetricSettings(), yp: *prof, yearP: yearP,
		defs: metrics.Definitions(families), restAt: -1}
	p.yp.Targets = YearTargets(prof, yearP)
	if len(p.yp.Targets) == 0 {
		return p, nil
	}
	var names []string
	for _, t := range p.yp.Targets {
		if f := p.defs[t.Metric].Family; !slices.Contains(names, f) {
			names = append(names, f)
		}
	}
	additive := slices.ContainsFunc(p.yp.Targets, func(t policy.Target) bool { return KindOf(t.Statistic) == Additive })
	p.f = fetcher{prof: &p.yp, year: yearP, names: names, targets: p.yp.CaseTargets(yearP)}
	lastP := yearP.Previous(1)
	// Each period runs every query of its families over the whole database, so only
	// what the projection reads is asked for: the months of this year for the band
	// (none when there is no projection to make), last year's months for the additive
	// figures alone (the interruption queries), and last year's rest of the year as one
	// span for the records it brought. They are computed together, so the cases are
	// judged against their limits once, not once a period.
	observed := p.r.Observed
	project := observed >= MinMonths && observed < 12
	p.ytdAt = p.f.want(Span(yearP, observed), false)
	for i := 0; project && i < observed; i++ {
		p.monthsAt = append(p.monthsAt, p.f.want(MonthOf(yearP, i), false))
	}
	for i := 0; project && additive && i < 12; i++ {
		p.lastAt = append(p.lastAt, p.f.want(MonthOf(lastP, i), true))
	}
	if observed > 0 && observed < 12 {
		p.restAt = p.f.want(Rest(lastP, observed), false)
	}
	p.totalAt = p.f.want(lastP, false)
	return p, nil
}

// Requests are the periods the pace reads (none for a period of no months), to be
// computed under Settings.
func (p *Plan) Requests() []metrics.Request { return p.f.reqs }

func (p *Plan) fail(err error) error {
	return fmt.Errorf("pace of %d as of %s: %w", p.r.Year, p.r.AsOf.Format("2006-01-02"), err)
}

// Finish makes the pace from the rows of Requests, computed in their order.
func (p *Plan) Finish(ctx context.Context, db *sql.DB, computed [][]metrics.Row) (r *Report, err error) {
	defer func() {
		if err != nil {
			err = p.fail(err)
		}
	}()
	r = p.r
	if len(p.yp.Targets) == 0 {
		return r, nil
	}
	got, err := p.f.judged(computed)
	if err != nil {
		return nil, err
	}
	ytd, lastTotal := got[p.ytdAt], got[p.totalAt]
	var months, last [][]metrics.Row
	for _, i := range p.monthsAt {
		months = append(months, got[i])
	}
	for _, i := range p.lastAt {
		last = append(last, got[i])
	}
	var lastRest []metrics.Row
	if p.restAt >= 0 {
		lastRest = got[p.restAt]
	}
	if r.Districts, err = metrics.DistrictNames(ctx, db); err != nil {
		return nil, err
	}
	var parts areaParts // read once, when an interruption target is at risk
	for _, t := range p.yp.Targets {
		d := p.defs[t.Metric]
		rule := Rule{Kind: KindOf(t.Statistic), Comparison: t.Comparison, Threshold: t.Threshold, OrYoYDrop: t.OrYoYDrop,
			Seasonal: slices.Contains(seasonalFamilies, d.Family)}
		for _, area := range lineAreas(t) {
			key := rowKey{target: t.ID, area: area}
			unit := d.Unit
			if rule.Kind == Share {
				unit = "rate" // a share of records, whatever the records' own unit
			}
			l := Line{TargetID: t.ID, Statement: t.Statement(p.defs), Source: t.Source, Utility: t.Where.Utility, AreaType: area,
				MetricID: t.Metric, Statistic: t.Statistic, Unit: unit, Comparison: t.Comparison, Threshold: t.Threshold,
				What: what(t, d, area), Rule: rule}
			l.Series = series(key, r.Observed, ytd, months, last, lastRest, lastTotal)
			l.Projection = Project(rule, l.Series)
			l.Sentence = Sentence(rule, l.Projection, l.What, l.Unit)
			switch {
			case l.Verdict != AtRisk:
			case rule.Kind == Additive && t.Metric == "outage_hours_per_customer":
				if parts == nil {
					if parts, err = readAreaParts(ctx, db, p.yearP, p.Settings.Outages); err != nil {
						return nil, err
					}
				}
				l.Drivers = areaDrivers(l, parts, r)
			default:
				l.Drivers = drivers(l, key, r, ytd, months, last, lastRest, lastTotal)
			}
			r.Lines = append(r.Lines, l)
		}
	}
	return r, nil
}

// Span is the year so far: its first n whole months.
func Span(year metrics.Period, n int) metrics.Period {
	end := year.Start.AddDate(0, n, 0)
	return metrics.Period{Label: fmt.Sprintf("%d-01至%s", year.Start.Year(), end.AddDate(0, 0, -1).Format("01")),
		Start: year.Start, End: end, Months: n, Kind: "span"}
}

// Rest is the months of a year from the (n+1)-th to December.
func Rest(year metrics.Period, n int) metrics.Period {
	start := year.Start.AddDate(0, n, 0)
	return metrics.Period{Label: fmt.Sprintf("%s至%d-12", start.Format("2006-01"), year.Start.Year()),
		Start: start, End: year.End, Months: 12 - n, Kind: "span"}
}

// MonthOf is the i-th month (0 = January) of a year.
func MonthOf(year metrics.Period, i int) metrics.Period {
	start := year.Start.AddDate(0, i, 0)
	return metrics.Period{Label: start.Format("2006-01"), Start: start, End: start.AddDate(0, 1, 0), Months: 1, Kind: "month"}
}

// fetcher gathers the periods a pace report reads, then places their judged target
// rows.
type fetcher struct {
	prof    *policy.Profile
	year    metrics.Period
	names   []string
	targets []metrics.CaseTarget // the year's per-case targets, the same in every period
	reqs    []metrics.Request    // the periods to compute
	// at is, for every period wanted, its place in reqs; -1 for a period of no months,
	// which has no rows.
	at []int
}

// want adds a period and returns its place among the results of judged; with
// outagesOnly, the interruption queries alone (the additive figures).
func (f *fetcher) want(p metrics.Period, outagesOnly bool) int {
	if p.Months == 0 {
		f.at = append(f.at, -1)
		return len(f.at) - 1
	}
	req := metrics.Request{Period: p, Families: f.names, Targets: f.targets, TargetsOnly: true}
	if outagesOnly {
		req.Families, req.Targets = []string{"outages"}, nil
	}
	f.reqs, f.at = append(f.reqs, req), append(f.at, len(f.reqs))
	return len(f.at) - 1
}

// judged places the rows of Requests (computed, in their order) at every period
// wanted, keeping the rows of the year's targets, judged as the year is, so that they
// pick their rows in every part of it. A period of no months has none.
func (f *fetcher) judged(computed [][]metrics.Row) ([][]metrics.Row, error) {
	if len(computed) != len(f.reqs) {
		return nil, fmt.Errorf("%d periods computed, %d wanted", len(computed), len(f.reqs))
	}
	out := make([][]metrics.Row, len(f.at))
	for i, k := range f.at {
		if k < 0 {
			continue
		}
		for _, row := range policy.Judge(f.prof, f.year, computed[k]) {
			if row.TargetID != "" {
				out[i] = append(out[i], row)
			}
		}
	}
	return out, nil
}

type rowKey struct{ target, area, district string }

func find(rows []metrics.Row, k rowKey) *metrics.Row {
	for i, r := range rows {
		if r.TargetID == k.target && r.AreaType == k.area && r.District == k.district {
			return &rows[i]
		}
	}
	return nil
}

// lineAreas: a target judges each area type it names on its own (Zigong's 市中心 and
// 市区); any other target is one line.
func lineAreas(t policy.Target) []string {
	if metrics.IsCaseMetric(t.Metric) || len(t.Where.AreaTypes) == 0 {
		return []string{""}
	}
	return t.Where.AreaTypes
}

func series(k rowKey, observed int, ytd []metrics.Row, months, last [][]metrics.Row, lastRest, lastTotal []metrics.Row) Series {
	s := Series{Observed: observed}
	if r := find(ytd, k); r != nil {
		s.YTD, s.YTDN = r.Value, r.N
	}
	month := func(rows []metrics.Row) Month {
		if r := find(rows, k); r != nil {
			return Month{Value: r.Value, N: r.N}
		}
		return Month{}
	}
	for _, rows := range months {
		s.Months = append(s.Months, month(rows))
	}
	var any bool
	for _, rows := range last {
		m := month(rows)
		any = any || m.Value != nil || m.N > 0
		s.LastYear = append(s.LastYear, m)
	}
	if !any {
		s.LastYear = nil
	}
	if r := find(lastRest, k); r != nil {
		s.LastRest = &Month{Value: r.Value, N: r.N}
	}
	if r := find(lastTotal, k); r != nil {
		s.LastTotal = r.Value
	}
	return s
}

// drivers ranks the districts of a line at risk by how far each pulls the whole's
// projection from the limit: its share of the year's records times its own projected
// gap to the limit. Only districts on the wrong side of the limit are listed.
func drivers(l Line, k rowKey, r *Report, ytd []metrics.Row, months, last [][]metrics.Row, lastRest, lastTotal []metrics.Row) []Driver {
	total := float64(l.Series.YTDN) + l.RestN
	var out []Driver
	for _, row := range ytd {
		if row.TargetID != k.target || row.AreaType != k.area || row.District == "" {
			continue
		}
		dk := rowKey{target: k.target, area: k.area, district: row.District}
		d := Driver{District: row.District, Name: r.Districts[row.District], Series: series(dk, r.Observed, ytd, months, last, lastRest, lastTotal)}
		d.Projection = Project(l.Rule, d.Series)
		if d.Point == nil || total == 0 {
			continue
		}
		gap := *d.Point - l.Limit
		if l.Comparison == ">=" {
			gap = -gap
		}
		d.Impact = (float64(d.Series.YTDN) + d.RestN) / total * gap
		if d.Impact > tolerance {
			out = append(out, d)
		}
	}
	return rank(out)
}

// what names a line's figure for its sentence: the utility, the area, the figure.
func what(t policy.Target, d metrics.Definition, area string) string {
	s := domain.Or(domain.UtilityZH, t.Where.Utility)
	if area != "" {
		s += domain.Or(domain.AreaZH, area)
	}
	switch {
	case t.Metric == "outage_hours_per_customer":
		return s + map[string]string{"power": "户均停电", "water": "户均停水", "gas": "户均停气"}[t.Where.Utility]
	case t.Statistic == "median":
		return s + d.NameZH + "中位数"
	case t.Statistic == "mean":
		return s + d.NameZH + "平均值"
	case t.Statistic == "share_within":
		return s + d.NameZH + "达标占比"
	}
	return s + d.NameZH
}
