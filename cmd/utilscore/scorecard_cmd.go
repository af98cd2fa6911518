package main

import (
	"context"
	"fmt"
	"io"
	"strconv"
	"strings"
	"text/tabwriter"

	"github.com/utilscore/utilscore/metrics"
	"github.com/utilscore/utilscore/policy"
)

const profilesUsage = `[ID]

Lists the built-in policy profiles, or shows one: its targets with their metric,
statistic, threshold, filter, dates and source clause, and its notes.`

func runProfiles(ctx context.Context, args []string, out, errOut io.Writer) error {
	fs := newFlags("profiles", profilesUsage, errOut)
	pos, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(pos) == 0 {
		for _, id := range policy.BuiltinIDs() {
			p, err := policy.Load(id)
			if err != nil {
				return err
			}
			fmt.Fprintf(out, "%-20s %2d targets  %s\n", id, len(p.Targets), p.Title)
		}
		return nil
	}
	p, err := policy.Load(pos[0])
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "%s — %s\n%s\n\n", p.ID, p.Title, p.Document)
	tw := tabwriter.NewWriter(out, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "target\tmetric\tstatistic\tlimit\ttarget\tfilter\tin force\tweight\tsource")
	for _, t := range p.Targets {
		limit := ""
		if t.Limit != nil {
			limit = strconv.FormatFloat(*t.Limit, 'f', -1, 64)
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s %s\t%s\t%s\t%g\t%s\n", t.ID, t.Metric, t.Statistic, limit, t.Comparison,
			strconv.FormatFloat(t.Threshold, 'f', -1, 64), describeFilter(t.Where), describeDates(t), t.Weight, t.Source)
	}
	tw.Flush()
	for _, n := range p.Notes {
		fmt.Fprintf(out, "\n- %s", n)
	}
	if len(p.Notes) > 0 {
		fmt.Fprintln(out)
	}
	return nil
}

func describeFilter(f policy.Filter) string {
	var parts []string
	add := func(name string, v any) { parts = append(parts, fmt.Sprintf("%s=%v", name, v)) }
	if f.Utility != "" {
		add("utility", f.Utility)
	}
	if len(f.Classes) > 0 {
		add("class", strings.Join(f.Classes, "|"))
	}
	if len(f.AreaTypes) > 0 {
		add("area", strings.Join(f.AreaTypes, "|"))
	}
	for name, b := range map[string]*bool{"low_risk": f.LowRisk, "external_works": f.ExternalWorks, "joint": f.Joint, "online": f.Online} {
		if b != nil {
			add(name, *b)
		}
	}
	if len(f.Channels) > 0 {
		add("channel", strings.Join(f.Channels, "|"))
	}
	if len(f.BusinessTypes) > 0 {
		add("business", strings.Join(f.BusinessTypes, "|"))
	}
	if f.MaxCapacity != nil {
		add("capacity≤", *f.MaxCapacity)
	}
	if len(parts) == 0 {
		return "all"
	}
	return strings.Join(parts, " ")
}

func describeDates(t policy.Target) string {
	s := "always"
	if t.From != "" {
		s = "from " + t.From
	}
	if t.Until != "" {
		s += " until " + t.Until
	}
	if len(t.Periods) > 0 {
		s += " (" + strings.Join(t.Periods, ", ") + ")"
	}
	return s
}

const scorecardUsage = `--period PERIOD --profile ID [flags]

Prints the period's score per utility and per district under a policy profile, and
the targets each utility missed or could not be judged on.`

func runScorecard(ctx context.Context, args []string, out, errOut io.Writer) error {
	fs := newFlags("scorecard", scorecardUsage, errOut)
	var db dbFlags
	db.register(fs)
	db.registerLake(fs)
	period := fs.String("period", "", "quarter (2024Q3), year (2024) or month (2024-07)")
	profileName := fs.String("profile", "district-wpgt", "policy profile: a built-in id or a YAML file")
	if _, err := parseFlags(fs, args); err != nil {
		return err
	}
	store, p, err := db.openPeriod(ctx, errOut, scope{period: *period, need: anyRecords})
	if err != nil {
		return err
	}
	defer store.Close()
	rows, prof, err := computeJudged(ctx, store.DB, p, *profileName)
	if err != nil {
		return err
	}
	printScorecard(out, prof, p, rows)
	return nil
}

// printScorecard shows the scores, then every utility-wide target not met.
func printScorecard(w io.Writer, prof *policy.Profile, p metrics.Period, judged []metrics.Row) {
	fmt.Fprintf(w, "Scorecard %s, profile %s (%s)\n\n", p.Label, prof.ID, prof.Title)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "scope\twho\tscore\tmet\tmissed\tno data")
	for _, s := range policy.Scores(prof, judged) {
		fmt.Fprintf(tw, "%s\t%s\t%.1f\t%d\t%d\t%d\n", s.Scope, orAll(s.Key), s.Score, s.Met, s.Missed, s.NoData)
	}
	tw.Flush()
	fmt.Fprintln(w, "\nTargets not met (utility-wide):")
	tw = tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "utility\ttarget\tmetric\tclass\tarea\tvalue\tcomparison\tn\tstatus\tsource")
	for _, r := range judged {
		if r.Target == nil || r.District != "" || r.Status == metrics.StatusMet {
			continue
		}
		value := "—"
		if r.Value != nil {
			value = strconv.FormatFloat(*r.Value, 'f', 3, 64)
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s %s\t%d\t%s\t%s\n", orAll(r.Utility), r.TargetID, r.MetricID, orAll(r.CustomerClass),
			orAll(r.AreaType), value, r.Comparison, strconv.FormatFloat(*r.Target, 'f', -1, 64), r.N, r.Status, r.Source)
	}
	tw.Flush()
}
