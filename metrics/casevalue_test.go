package metrics_test

import (
	"context"
	"fmt"
	"math"
	"testing"

	"github.com/utilscore/utilscore/internal/testdb"
	"github.com/utilscore/utilscore/metrics"
)

// A target's own figure reads each case's value from the columns the connection query
// computes once per case; the drill-downs' records call case_value. For every per-case
// metric of the catalog, a mean target's figure must equal the mean of case_value over
// the cases it covers, so the two cannot come apart.
func TestTargetFiguresReadCaseValue(t *testing.T) {
	ctx := context.Background()
	db := testdb.Generated(t, 800, 11)
	p, _ := metrics.ParsePeriod("2024Q4", db.Location)
	families, err := metrics.Catalog()
	if err != nil {
		t.Fatal(err)
	}
	var targets []metrics.CaseTarget
	for id, d := range metrics.Definitions(families) {
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
	figures := map[string]metrics.Row{}
	for _, r := range rows {
		if r.TargetID != "" && r.District == "" {
			figures[r.TargetID] = r
		}
	}
	valued := 0
	for _, tg := range targets {
		var want *float64
		var n int64
		err := db.QueryRowContext(ctx, `
			SELECT avg(case_value(ci, c, ?, ?, ?)::DOUBLE), count(*)
			FROM case_stages c, calendar_index ci
			WHERE c.status = 'connected' AND c.connected_at >= ? AND c.connected_at < ?`,
			tg.MetricID, nilIfEmpty(tg.FromStage), nilIfEmpty(tg.ToStage), p.Start, p.End).Scan(&want, &n)
		if err != nil {
			t.Fatal(err)
		}
		got, ok := figures[tg.ID]
		switch {
		case !ok:
			t.Errorf("%s: no figure", tg.ID)
		case got.N != n:
			t.Errorf("%s: the figure counts %d cases, case_value %d", tg.ID, got.N, n)
		case (got.Value == nil) != (want == nil):
			t.Errorf("%s: figure %s, mean of case_value %s", tg.ID, show(got.Value), show(want))
		case want != nil && math.Abs(*got.Value-*want) > 1e-9:
			t.Errorf("%s: figure %v, mean of case_value %v", tg.ID, *got.Value, *want)
		}
		if want != nil {
			valued++
		}
	}
	if len(targets) < 15 || valued < len(targets)-2 {
		t.Errorf("%d per-case metrics, %d with a value: the data leaves the comparison empty", len(targets), valued)
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
