package metrics

import (
	"context"
	"math"
	"testing"
	"time"
)

func TestOverdueOpenCases(t *testing.T) {
	ctx := context.Background()
	db := openFixtures(t, "overdue.sql")
	targets := []CaseTarget{
		{ID: "lv", MetricID: "connection_time", Statistic: "share_within", Limit: v(4), Utility: "power", Classes: []string{"lv_nonres", "lv_zero"}},
		{ID: "72h", MetricID: "telecom_connection_hours", Statistic: "share_within", Limit: v(72), Utility: "telecom", Classes: []string{"individual"}},
	}
	open, err := Overdue(ctx, db.DB, time.Date(2024, 12, 31, 0, 0, 0, 0, db.Location), 0.8, targets)
	if err != nil {
		t.Fatal(err)
	}
	expected := []struct {
		id      string
		elapsed float64
	}{{"O4", 7.625}, {"O2", 5.625}, {"O3", 3.625}, {"O6", 60}}
	if len(open) != len(expected) {
		t.Fatalf("got %d open cases over 80 %%: %+v", len(open), open)
	}
	for i, w := range expected {
		if open[i].CaseID != w.id || math.Abs(open[i].Elapsed-w.elapsed) > 1e-9 {
			t.Errorf("open[%d] = %s at %v, want %s at %v", i, open[i].CaseID, open[i].Elapsed, w.id, w.elapsed)
		}
	}
	// The same cases as A9 counts at the end of 2024Q4.
	p, _ := ParsePeriod("2024Q4", db.Location)
	rows, err := Compute(ctx, db.DB, p, DefaultSettings(), targets...)
	if err != nil {
		t.Fatal(err)
	}
	check(t, rows, []want{
		{"overdue_open", "power", "", "", "", "count", v(2), 4},
		{"warning_open", "power", "", "", "", "count", v(1), 4},
		{"overdue_open", "power", "lv_zero", "", "", "count", v(2), 3},
		{"warning_open", "telecom", "", "", "", "count", v(1), 1},
	})
}

func TestLateCasesIncludeFinishedOnes(t *testing.T) {
	ctx := context.Background()
	db := openFixtures(t, "cases.sql")
	// Water residential within 2 WD: A3 and A5 took 3 WD (finished, late); A6 has been
	// open since 1 Oct (late at the end of the quarter); the others were in time.
	targets := []CaseTarget{{ID: "w2", MetricID: "connection_time", Statistic: "share_within", Limit: v(2), Utility: "water", Classes: []string{"residential"}}}
	p, _ := ParsePeriod("2024Q4", db.Location)
	late, err := LateCases(ctx, db.DB, p, targets)
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]bool{}
	for _, c := range late {
		got[c.CaseID] = c.Finished
	}
	if len(got) != 3 || got["A3"] != true || got["A5"] != true || got["A6"] != false {
		t.Errorf("late cases = %v, want A3 and A5 finished, A6 open", got)
	}
}
