package metrics_test

import (
	"context"
	"fmt"
	"math"
	"slices"
	"testing"

	"github.com/utilscore/utilscore/internal/testdb"
	"github.com/utilscore/utilscore/metrics"
)

// Every figure of a per-case metric is case_value (views.sql) taken over the period's
// connected cases: a mean target's own figure over all of them, and the utility's
// mean by group, which the connection query computes from the same macros column by
// column. A column given the wrong metric's macro, or a metric left out, fails here.
func TestFiguresAreMeansOfCaseValue(t *testing.T) {
	ctx := context.Background()
	db := testdb.Generated(t, 800, 11)
	p, _ := metrics.ParsePeriod("2024Q4", db.Location)
	families, err := metrics.Catalog()
	if err != nil {
		t.Fatal(err)
	}
	defs := metrics.Definitions(families)
	var targets []metrics.CaseTarget
	for id, d := range defs {
		if !d.PerCase {
			continue
		}
		tg := metrics.CaseTarget{ID: id, MetricID: id, Statistic: "mean"}
		if id == "stage_time" {
			tg.FromStage, tg.ToStage = "accepted", "inspected"
		}
		targets = append(targets, tg)
	}
	rows, err := metrics.Compute(ctx, db.DB, p, metrics.DefaultSettings(), targets...)
	if err != nil {
		t.Fatal(err)
	}
	// mean is case_value's mean over the period's connected cases of utility ("" for
	// every utility), and how many cases have a value.
	mean := func(tg metrics.CaseTarget, utility string) (*float64, int64) {
		var m *float64
		var n int64
		err := db.QueryRowContext(ctx, `
			SELECT avg(v), count(v) FROM (
				SELECT case_value(ci, c, ?, ?, ?)::DOUBLE AS v
				FROM case_stages c, calendar_index ci
				WHERE c.status = 'connected' AND c.connected_at >= ? AND c.connected_at < ?
				  AND (? = '' OR c.utility::VARCHAR = ?))`,
			tg.MetricID, nilIfEmpty(tg.FromStage), nilIfEmpty(tg.ToStage), p.Start, p.End, utility, utility).Scan(&m, &n)
		if err != nil {
			t.Fatal(err)
		}
		return m, n
	}
	byID := map[string]metrics.CaseTarget{}
	for _, tg := range targets {
		byID[tg.ID] = tg
	}
	compared, valued := map[string]int{}, 0
	for _, r := range rows {
		var tg metrics.CaseTarget
		var utility string
		switch {
		case r.TargetID != "" && r.District == "":
			tg = byID[r.TargetID]
		case r.TargetID == "" && r.Statistic == "mean" && defs[r.MetricID].PerCase &&
			r.Utility != "" && r.CustomerClass == "" && r.District == "":
			tg, utility = byID[r.MetricID], r.Utility
		default:
			continue
		}
		want, n := mean(tg, utility)
		if r.TargetID == "" && want == nil {
			continue // the group's figure counts cases without a value too
		}
		what := fmt.Sprintf("%s %s", tg.ID, utility)
		switch {
		case r.TargetID != "" && r.Value != nil && r.N < n:
			t.Errorf("%s: the figure counts %d cases, case_value gives %d values", what, r.N, n)
		case (r.Value == nil) != (want == nil):
			t.Errorf("%s: figure %s, mean of case_value %s", what, show(r.Value), show(want))
		case want != nil && math.Abs(*r.Value-*want) > 1e-9:
			t.Errorf("%s: figure %v, mean of case_value %v", what, *r.Value, *want)
		}
		compared[tg.ID]++
		if want != nil {
			valued++
		}
	}
	for _, tg := range targets {
		if compared[tg.ID] == 0 {
			t.Errorf("%s: no figure compared", tg.ID)
		}
	}
	groups := 0
	for id, k := range compared {
		if k > 1 && slices.Contains(defs[id].Statistics, "mean") {
			groups++
		}
	}
	if len(targets) < 15 || valued < len(targets) || groups < 10 {
		t.Errorf("%d per-case metrics, %d figures with a value, %d compared by group: the data leaves the comparison thin",
			len(targets), valued, groups)
	}
}

func show(x *float64) string {
	if x == nil {
		return "none"
	}
	return fmt.Sprint(*x)
}

func nilIfEmpty(s string) any {
	if s == "" {
		return nil
	}
	return s
}
