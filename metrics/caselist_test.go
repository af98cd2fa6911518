package metrics

import (
	"context"
	"errors"
	"fmt"
	"math"
	"reflect"
	"testing"
)

// The streamed list holds what the two slices held: the late cases, then the open
// ones near their limit, in the same order; a utility narrows it.
func TestListCasesMatchesLateThenWarnings(t *testing.T) {
	ctx := context.Background()
	db := openFixtures(t, "overdue.sql")
	targets := []CaseTarget{
		{ID: "lv", MetricID: "connection_time", Statistic: "share_within", Limit: v(4), Utility: "power", Classes: []string{"lv_nonres", "lv_zero"}},
		{ID: "72h", MetricID: "telecom_connection_hours", Statistic: "share_within", Limit: v(72), Utility: "telecom", Classes: []string{"individual"}},
	}
	p, _ := ParsePeriod("2024Q4", db.Location)
	late, err := LateCases(ctx, db.DB, p, targets)
	if err != nil {
		t.Fatal(err)
	}
	near, err := Overdue(ctx, db.DB, p.End.Add(-1), 0.8, targets)
	if err != nil {
		t.Fatal(err)
	}
	want := late
	for _, c := range near {
		if c.Used <= 1 {
			want = append(want, c)
		}
	}
	if len(want) < 3 {
		t.Fatalf("the fixture gives %d cases; the test needs late and near ones", len(want))
	}
	saved := caseBatch
	defer func() { caseBatch = saved }()
	for _, tt := range []struct {
		utility string
		batch   int
	}{{"", saved}, {"", 2}, {"power", 3}, {"telecom", saved}, {"water", saved}} {
		caseBatch, utility := tt.batch, tt.utility
		var got, expected []OpenCase
		for _, c := range want {
			if utility == "" || c.Utility == utility {
				expected = append(expected, c)
			}
		}
		count := -1
		err := ListCases(ctx, db.DB, CaseQuery{Period: p, WarnShare: 0.8, Targets: targets, Utility: utility},
			func(n int) error { count = n; return nil },
			func(c OpenCase) error { got = append(got, c); return nil })
		if err != nil {
			t.Fatal(err)
		}
		if count != len(expected) || !reflect.DeepEqual(got, expected) {
			t.Errorf("utility %q, batches of %d: count %d, cases %+v\nwant %d: %+v", utility, caseBatch, count, got, len(expected), expected)
		}
	}
}

// A list longer than a page, measured in several batches, is read in pages, and an
// error from the writer stops it.
func TestListCasesPagesAndStops(t *testing.T) {
	saved := caseBatch
	caseBatch = 7000
	defer func() { caseBatch = saved }()
	ctx := context.Background()
	db := openFixtures(t, "overdue.sql")
	_, err := db.Exec(`INSERT INTO cases (case_id, utility, district, customer_class, status, applied_at, load_id, source_row)
		SELECT 'P' || lpad(i::VARCHAR, 6, '0'), 'power', '510302', 'lv_zero', 'open', TIMESTAMPTZ '2024-10-08 09:00:00+08' + i * INTERVAL 1 SECOND, 1, i
		FROM range(45000) t(i)`)
	if err != nil {
		t.Fatal(err)
	}
	targets := []CaseTarget{{ID: "lv", MetricID: "connection_time", Statistic: "share_within", Limit: v(4), Utility: "power", Classes: []string{"lv_zero"}}}
	p, _ := ParsePeriod("2024Q4", db.Location)
	q := CaseQuery{Period: p, WarnShare: 0.8, Targets: targets, Utility: "power"}
	var n, seen int
	lastUsed, lastID := math.Inf(1), ""
	err = ListCases(ctx, db.DB, q, func(count int) error { n = count; return nil }, func(c OpenCase) error {
		seen++
		// Most overdue first; the later a case was applied for, the less it has used.
		if c.Used > lastUsed+1e-12 || (c.CaseID[0] == 'P' && lastID != "" && c.CaseID < lastID) {
			return fmt.Errorf("out of order: %s (%v) after %s (%v)", c.CaseID, c.Used, lastID, lastUsed)
		}
		lastUsed = c.Used
		if c.CaseID[0] == 'P' {
			lastID = c.CaseID
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if n < 45000 || seen != n {
		t.Errorf("count %d, read %d, want at least 45000 and both equal", n, seen)
	}
	stop := errors.New("disk full")
	seen = 0
	err = ListCases(ctx, db.DB, q, func(int) error { return nil }, func(OpenCase) error {
		seen++
		if seen == 10 {
			return stop
		}
		return nil
	})
	if !errors.Is(err, stop) || seen != 10 {
		t.Errorf("err = %v after %d cases, want the writer's error after 10", err, seen)
	}
}
