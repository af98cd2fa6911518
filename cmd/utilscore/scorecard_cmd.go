package main

import (
	"context"
	"fmt"
	"io"
	"strconv"
	"strings"
	"text/tabwriter"

	"github.com/utilscore/utilscore/domain"
	"github.com/utilscore/utilscore/metrics"
	"github.com/utilscore/utilscore/policy"
)

const profilesUsage = `[ID]

Lists the built-in policy profiles, or shows one in Chinese: each target written out
for people (who, what, limit and statistic), its source clause, the dates it is in
force, its weight and its notes, then the profile's notes.`

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
			fmt.Fprintf(out, "%-20s %2d项目标  %s\n", id, len(p.Targets), p.Title)
		}
		return nil
	}
	p, err := policy.Load(pos[0])
	if err != nil {
		return err
	}
	families, err := metrics.Catalog()
	if err != nil {
		return err
	}
	defs := metrics.Definitions(families)
	rule := map[string]string{"legal": "法定计算（起算当日不计，第N个工作日24时止）", "elapsed": "实际经过的工作日"}[p.Settings.DeadlineRule]
	fmt.Fprintf(out, "%s — %s\n%s\n时限判定：%s\n\n", p.ID, p.Title, p.Document, rule)
	for i, t := range p.Targets {
		fmt.Fprintf(out, "%d. [%s] %s\n   条款：%s；施行：%s；权重：%g\n", i+1, t.ID, t.Statement(defs), p.Cite(t.Source), describeDates(t), t.Weight)
		for _, n := range t.Notes {
			fmt.Fprintf(out, "   说明：%s\n", n)
		}
	}
	if len(p.Notes) > 0 {
		fmt.Fprintln(out, "\n总说明：")
	}
	for _, n := range p.Notes {
		fmt.Fprintf(out, "- %s\n", n)
	}
	return nil
}

// describeDates says in Chinese when a target is in force.
func describeDates(t policy.Target) string {
	s := "自文件之日起"
	if t.Effective != "" {
		s = "自" + t.Effective + "起"
	}
	if t.Expires != "" {
		s += "至" + t.Expires + "前"
	}
	if len(t.Periods) > 0 {
		s += "（" + strings.Join(periodsZH(t.Periods), "、") + "）"
	}
	return s
}

func periodsZH(kinds []string) []string {
	out := make([]string, len(kinds))
	for i, k := range kinds {
		out[i] = map[string]string{"quarter": "按季判定", "year": "按年判定", "month": "按月判定"}[k]
	}
	return out
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
	fmt.Fprintln(tw, "scope\twho\tscore\tmet\tmissed\tno data\tn/a\tweight with data")
	for _, s := range policy.Scores(prof, judged) {
		score, share := "—", "—"
		if s.Met+s.Missed+s.NoData > 0 {
			score = strconv.FormatFloat(s.Score, 'f', 1, 64)
			share = strconv.FormatFloat(100*s.DataShare, 'f', 0, 64) + "%"
			if s.Insufficient() {
				share += " 数据不足"
			}
		}
		noData := strconv.Itoa(s.NoData)
		if s.NoData > 0 {
			noData += " (数据缺失 " + strconv.FormatInt(s.Missing, 10) + ")"
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%d\t%d\t%s\t%d\t%s\n", s.Scope, orAll(s.Key), score, s.Met, s.Missed, noData, s.NotApplicable, share)
	}
	tw.Flush()
	// The targets not met, each in words (spec v2): the target, the figure with the
	// count behind a share and the median beside a case time, and the clause.
	fmt.Fprintln(w, "\n未达标或无数据的目标（全行业）：")
	families, err := metrics.Catalog()
	if err != nil {
		fmt.Fprintln(w, err)
		return
	}
	defs := metrics.Definitions(families)
	i := 0
	for _, r := range judged {
		if r.Target == nil || r.District != "" || r.Status == metrics.StatusMet {
			continue
		}
		t, ok := prof.Target(r.TargetID)
		if !ok {
			continue
		}
		i++
		figure := "实际 " + policy.ValueText(r)
		if tally := policy.Tally(r); tally != "" {
			figure += "（" + tally + "）"
		}
		if median := policy.Median(t, defs, judged); median != "" {
			figure += "，" + median
		}
		where := ""
		if r.AreaType != "" {
			where = "（" + domain.Or(domain.AreaZH, r.AreaType) + "）"
		}
		fmt.Fprintf(w, "%d. %s%s\n   %s；%s；%s [%s]\n", i, t.Statement(defs), where, figure,
			domain.Or(domain.StatusZH, r.Status), prof.Cite(t.Source), t.ID)
	}
	if i == 0 {
		fmt.Fprintln(w, "（无）")
	}
}
