package metrics

import (
	"context"
	"math"
	"os"
	"strconv"
	"testing"

	"github.com/utilscore/utilscore/store"
)

// openFixtures loads SQL fixtures from testdata into a fresh in-memory database.
func openFixtures(t *testing.T, fixtures ...string) *store.DB {
	t.Helper()
	db, err := store.Open(context.Background(), ":memory:", store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	for _, f := range fixtures {
		sqlText, err := os.ReadFile("testdata/" + f)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := db.Exec(string(sqlText)); err != nil {
			t.Fatalf("%s: %v", f, err)
		}
	}
	return db
}

// compute loads SQL fixtures into a fresh database and computes a period.
func compute(t *testing.T, period string, fixtures ...string) []Row {
	t.Helper()
	ctx := context.Background()
	db := openFixtures(t, fixtures...)
	p, err := ParsePeriod(period, db.Location)
	if err != nil {
		t.Fatal(err)
	}
	rows, err := Compute(ctx, db.DB, p, DefaultSettings())
	if err != nil {
		t.Fatal(err)
	}
	return rows
}

// want is one expected row: the grouping, the statistic and the value worked out by
// hand; value nil means no_data is expected.

type want struct {
	metric, utility, class, district, area, statistic string
	value                                             *float64
	n                                                 int64
}

func v(x float64) *float64 { return &x }

func check(t *testing.T, rows []Row, wants []want) {
	t.Helper()
	for _, w := range wants {
		var found *Row
		for i, r := range rows {
			if r.MetricID == w.metric && r.Utility == w.utility && r.CustomerClass == w.class && r.District == w.district &&
				r.AreaType == w.area && r.Statistic == w.statistic {
				found = &rows[i]
			}
		}
		name := w.metric + "/" + w.utility + "/" + w.class + "/" + w.district + "/" + w.area + "/" + w.statistic
		switch {
		case found == nil:
			t.Errorf("%s: no row", name)
		case w.value == nil && (found.Value != nil || found.Status != StatusNoData):
			t.Errorf("%s = %v (%s), want no_data", name, *found.Value, found.Status)
		case w.value != nil && (found.Value == nil || math.Abs(*found.Value-*w.value) > 1e-9):
			got := "no_data"
			if found.Value != nil {
				got = fmtFloat(*found.Value)
			}
			t.Errorf("%s = %s, want %v", name, got, *w.value)
		case w.n >= 0 && found.N != w.n:
			t.Errorf("%s: n = %d, want %d", name, found.N, w.n)
		}
	}
}

func fmtFloat(x float64) string { return strconv.FormatFloat(x, 'g', -1, 64) }

func TestOutageWorkedCheck(t *testing.T) {
	rows := compute(t, "2024Q3", "outages.sql")
	const n = 100000.0
	check(t, rows, []want{
		// (3 h × 1 000 + 0.5 h × 4 000) / 100 000 = 0.05 h per customer; O4 started in Q2
		// and the exempt O3 is left out. O5 lasted 0 minutes: a momentary interruption
		// (metrics.md H8), out of every sustained figure and counted on its own.
		{"outage_hours_per_customer", "power", "", "", "", "sum", v(0.05), 2},
		{"outage_hours_per_customer", "power", "", "510302", "", "sum", v(0.05), 2},
		{"outage_hours_per_customer", "power", "", "", "urban", "sum", v(0.05), 2},
		{"outage_hours_per_customer_planned", "power", "", "", "", "sum", v(3000 / n), 1},
		{"outage_hours_per_customer_fault", "power", "", "", "", "sum", v(2000 / n), 1},
		{"outage_hours_per_customer_exempt", "power", "", "", "", "sum", v(10 * 2000 / n), 1},
		// RS-1 over the 2 208 hours of a third quarter.
		{"supply_reliability", "power", "", "", "", "rate", v(1 - 0.05/2208), 2},
		{"outages_per_customer", "power", "", "", "", "sum", v((1000 + 4000) / n), 2},
		{"planned_stop_count", "power", "", "", "", "count", v(1), 1},
		{"sudden_stop_count", "power", "", "", "", "count", v(1), 1},
		{"momentary_count", "power", "", "", "", "count", v(1), 1},
		// O1 told 48 h ahead; O5, told 12 h ahead, is momentary and not judged.
		{"planned_notice_24h_rate", "power", "", "", "", "rate", v(1), 1},
		// Water's customer base lacks September: no N, no figure.
		{"outage_hours_per_customer", "water", "", "", "", "sum", nil, 2},
		{"supply_reliability", "water", "", "", "", "rate", nil, 2},
		// W1 (30 h, emergency supply) and W2 (26 h, none).
		{"long_stop_emergency_rate", "water", "", "", "", "rate", v(0.5), 2},
	})
}

func TestRollingTwelveMonthsAcrossAYearEnd(t *testing.T) {
	rows := compute(t, "2025Q1", "rolling.sql")
	check(t, rows, []want{
		{"outage_hours_per_customer", "power", "", "", "", "sum", v(0.01), 1},
		// 2024Q2 + Q3 + Q4 + 2025Q1, each 0.01 with its own N.
		{"outage_hours_per_customer", "power", "", "", "", "rolling_12m", v(0.04), 1},
		// A year before: 2023Q2 … 2024Q1 = 4 × 0.02 = 0.08; 0.04 / 0.08 − 1 = −50 %.
		{"outage_hours_yoy", "power", "", "", "", "rate", v(-0.5), 1},
	})
	// 2023Q3 lacks the customer base of 2023Q1 for its rolling figure.
	rows = compute(t, "2023Q3", "rolling.sql")
	check(t, rows, []want{
		{"outage_hours_per_customer", "power", "", "", "", "sum", v(0.02), 1},
		{"outage_hours_per_customer", "power", "", "", "", "rolling_12m", nil, 1},
	})
	// A year is judged on its own sum.
	rows = compute(t, "2024", "rolling.sql")
	check(t, rows, []want{
		{"outage_hours_per_customer", "power", "", "", "", "sum", v(0.02 + 0.01*3), 4},
		{"outage_hours_per_customer", "power", "", "", "", "rolling_12m", v(0.05), 4},
	})
}

func TestLeakageWorkedCheck(t *testing.T) {
	rows := compute(t, "2024", "leakage.sql")
	const gross, r1, r2, r3 = 0.15, 0.024, 0.99 * (0.09 - 0.0693), 0.005
	check(t, rows, []want{
		{"leakage_rate_gross", "water", "", "510302", "", "rate", v(gross), 12},
		{"leakage_correction_r1", "water", "", "510302", "", "rate", v(r1), 12},
		{"leakage_correction_r2", "water", "", "510302", "", "rate", v(r2), 12},   // 2.0493 %
		{"leakage_correction_r3", "water", "", "510302", "", "rate", v(r3), 12},   // 0.40 MPa
		{"leakage_correction_r4", "water", "", "510302", "", "rate", v(0), 12},    // 0.5 m
		{"leakage_rate", "water", "", "510302", "", "rate", v(0.100507), 12},      // 10.0507 %: second grade
		{"leakage_correction_r2", "water", "", "510303", "", "rate", v(0.03), 12}, // A = 0.2: clamped
		{"leakage_correction_r3", "water", "", "510304", "", "rate", v(0), 12},    // 0.35 MPa is not above 0.35
		{"leakage_correction_r3", "water", "", "510305", "", "rate", v(0.005), 12},
		{"leakage_correction_r3", "water", "", "510306", "", "rate", v(0.01), 12},
		{"leakage_correction_r3", "water", "", "510307", "", "rate", v(0.02), 12},
		{"leakage_correction_r4", "water", "", "510308", "", "rate", v(0), 12}, // 1.4 m is not above 1.4
		{"leakage_correction_r4", "water", "", "510309", "", "rate", v(0.01), 12},
		// No residential volume: R1 is missing and counts 0.
		{"leakage_correction_r1", "water", "", "510310", "", "rate", nil, 12},
		{"leakage_rate", "water", "", "510310", "", "rate", v(gross - r2 - r3), 12},
	})
	// A quarter: Qs annualised as Qs × 12 / 3 gives the same A and the same rate.
	rows = compute(t, "2024Q2", "leakage.sql")
	check(t, rows, []want{{"leakage_rate", "water", "", "510302", "", "rate", v(0.100507), 3}})
}

func TestConnectionMetrics(t *testing.T) {
	rows := compute(t, "2024Q4", "cases.sql")
	check(t, rows, []want{
		// Water residential connected in Q4: 1, 2, 3, 0.25, 3 WD (A6 open, A7 cancelled,
		// A8 connected in Q3). Sorted 0.25, 1, 2, 3, 3.
		{"connection_time", "water", "residential", "", "", "median", v(2), 5},
		{"connection_time", "water", "residential", "", "", "mean", v(9.25 / 5), 5},
		{"connection_time", "water", "residential", "", "", "max", v(3), 5},
		{"connection_time", "water", "residential", "", "", "p90", v(3), 5}, // between the 4th and 5th value, both 3
		// nonres_dn40: 1 and 2 WD, an even count: the mean of the middle two.
		{"connection_time", "water", "nonres_dn40", "", "", "median", v(1.5), 2},
		// The whole of water: 0.25, 1, 1, 2, 2, 3, 3: median 2, p90 at 5.4 → 3.
		{"connection_time", "water", "", "", "", "median", v(2), 7},
		{"connection_time", "water", "", "", "", "p90", v(3), 7},
		{"connection_time", "water", "", "510303", "", "mean", v((0.25 + 3) / 2), 2},
		{"telecom_connection_hours", "telecom", "", "", "", "median", v(48), 1},
		// Survey: A1 applied 30 Sep 12:00, surveyed 8 Oct 09:00 = 0.5 + 0.375.
		{"survey_time", "water", "residential", "", "", "median", v(0.875), 1},
		// Zero fee: of the two eligible nonres_dn40 cases, B1 paid nothing.
		{"zero_fee_share", "water", "", "", "", "rate", v(0.5), 2},
		// Online: A1, A3 (app), A5, B1 of 7 water cases; A4 gave no channel.
		{"online_share", "water", "", "", "", "rate", v(4.0 / 7), 7},
		{"procedures", "water", "residential", "", "", "mean", v(10.0 / 5), 5},
		{"joint_share", "power", "", "", "", "rate", v(1), 1},
		// The joint application J1 as a whole: 6 WD.
		{"joint_time", "", "", "", "", "median", v(6), 1},
		// S1, every stage (see the fixture).
		{"connection_time", "gas", "residential", "", "", "median", v(9), 1},
		{"connection_time_excl_works", "gas", "residential", "", "", "median", v(7), 1},
		{"plan_reply_time", "gas", "residential", "", "", "median", v(2), 1},
		{"approval_time", "gas", "residential", "", "", "mean", v(1), 1},
		{"works_time", "gas", "residential", "", "", "median", v(3), 1},
		{"hookup_time", "gas", "residential", "", "", "median", v(1), 1},
		{"materials", "gas", "residential", "", "", "mean", v(2), 1},
		{"visits", "gas", "residential", "", "", "mean", v(1), 1},
	})
}

func TestRatingAndTicketMetrics(t *testing.T) {
	rows := compute(t, "2024Q4", "cases.sql")
	check(t, rows, []want{
		{"satisfaction_rate", "water", "", "", "", "rate", v(3.0 / 5), 5},
		{"satisfaction_rate", "water", "residential", "", "", "rate", v(1), 2},
		{"poor_rating_rectified", "water", "", "", "", "rate", v(1), 2},
		// E4 put right in 3 WD, E5 in 7 WD: one of two on time.
		{"poor_rating_rectified_on_time", "water", "", "", "", "rate", v(0.5), 2},
		{"rating_coverage", "water", "residential", "", "", "rate", v(2.0 / 5), 5},
		// K1 closed in 2 WD, K2 after the period, K3 in 10 WD.
		// Tickets received in Q4 with every closure the data holds (to 3 Jan 2025), each
		// judged on its legal deadline: K1 (due 16 Oct) and K2 (closed 3 Jan, due 9 Jan)
		// in time, K3 (closed 22 Oct, due 17 Oct) late. K4, open and due 10 Jan, is
		// pending: out of every denominator, counted on its own.
		{"complaint_closure_rate", "water", "", "", "", "rate", v(1), 3},
		{"complaint_closure_rate", "water", "", "", "", "pending", v(1), 4},
		{"complaint_on_time_rate", "water", "", "", "", "rate", v(2.0 / 3), 3},
		{"complaint_on_time_rate", "water", "", "", "", "pending", v(1), 4},
		{"complaint_satisfied_rate", "water", "", "", "", "rate", v(2.0 / 3), 3},
		// 2, 3 (Mon 30 Dec → Fri 3 Jan over New Year) and 10 WD.
		{"complaint_close_time", "water", "", "", "", "median", v(3), 3},
		{"repair_on_time_rate", "water", "", "", "", "rate", v(0.5), 2},
		{"repair_on_time_rate", "water", "", "", "", "pending", v(0), 2},
		{"enquiry_same_day_rate", "water", "", "", "", "rate", v(0.5), 2},
	})
}

func TestParsePeriod(t *testing.T) {
	loc, _ := store.Open(context.Background(), ":memory:", store.Options{})
	defer loc.Close()
	tests := []struct {
		in, start, end string
		hours          float64
	}{
		{"2024Q3", "2024-07-01", "2024-10-01", 2208},
		{"2024", "2024-01-01", "2025-01-01", 8784},
		{"2024-02", "2024-02-01", "2024-03-01", 696},
	}
	for _, tt := range tests {
		p, err := ParsePeriod(tt.in, loc.Location)
		if err != nil || p.Start.Format("2006-01-02") != tt.start || p.End.Format("2006-01-02") != tt.end || p.Hours() != tt.hours {
			t.Errorf("ParsePeriod(%s) = %v–%v (%v h), %v", tt.in, p.Start, p.End, p.Hours(), err)
		}
	}
	for _, bad := range []string{"2024Q5", "24Q1", "2024-13", "Q3"} {
		if _, err := ParsePeriod(bad, loc.Location); err == nil {
			t.Errorf("ParsePeriod(%s) accepted", bad)
		}
	}
	if got := (Period{Label: "2025Q1", Kind: "quarter", Months: 3, Start: mustPeriod(t, "2025Q1").Start}).Previous(4).Label; got != "2024Q1" {
		t.Errorf("four quarters before 2025Q1 = %s", got)
	}
}

func mustPeriod(t *testing.T, s string) Period {
	db, _ := store.Open(context.Background(), ":memory:", store.Options{})
	defer db.Close()
	p, err := ParsePeriod(s, db.Location)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func TestCaseTargetsComputeTheirOwnFigures(t *testing.T) {
	ctx := context.Background()
	db := openFixtures(t, "cases.sql")
	p, _ := ParsePeriod("2024Q4", db.Location)
	yes, no := true, false
	targets := []CaseTarget{
		// Water residential, each case judged once in the quarter it is decided (legal
		// deadlines): A1–A5 met 3 WD; A6, open since 1 Oct, missed on its deadline 10 Oct
		// (the data runs to 8 Nov): 5 of 6. Within 2 WD: A3 (deadline 17 Oct with its
		// pause, connected 18 Oct) and A5 (7 Nov, connected 8 Nov) missed, A6 (9 Oct)
		// missed: 3 of 6. A7 was cancelled with no known time: not judged.
		{ID: "w3", MetricID: "connection_time", Statistic: "share_within", Limit: v(3), Utility: "water", Classes: []string{"residential"}},
		{ID: "w2", MetricID: "connection_time", Statistic: "share_within", Limit: v(2), Utility: "water", Classes: []string{"residential"}},
		// The median over several classes at once: 1, 2 (nonres_dn40) → 1.5.
		{ID: "med", MetricID: "connection_time", Statistic: "median", Utility: "water", Classes: []string{"nonres_dn40", "nonres_dn100"}},
		// Zero fee among water nonres_dn40 up to DN40: B1 paid nothing, B2 paid 500.
		{ID: "fee", MetricID: "zero_fee_share", Statistic: "rate", Utility: "water", Classes: []string{"nonres_dn40"}, MaxCapacity: v(40)},
		// Joint applications across utilities: J1P and J1G, one procedure each.
		{ID: "joint", MetricID: "procedures", Statistic: "share_within", Limit: v(1), Joint: &yes},
		// Low-risk projects: none in the fixture, so no data.
		{ID: "lowrisk", MetricID: "connection_time", Statistic: "share_within", Limit: v(1), Utility: "water", LowRisk: &yes},
		// Not online: A2 (window, 2 WD), A4 (no channel counts as not online, 0.25), B2 (window, 2).
		{ID: "offline", MetricID: "connection_time", Statistic: "max", Utility: "water", Online: &no},
	}
	rows, err := Compute(ctx, db.DB, p, DefaultSettings(), targets...)
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]Row{}
	for _, r := range rows {
		if r.TargetID != "" && r.District == "" {
			got[r.TargetID] = r
		}
	}
	tests := []struct {
		id    string
		value *float64
		n     int64
	}{
		{"w3", v(5.0 / 6), 6}, {"w2", v(0.5), 6}, {"med", v(1.5), 2}, {"fee", v(0.5), 2}, {"joint", v(1), 2},
		{"lowrisk", nil, 0}, {"offline", v(2), 3},
	}
	for _, tt := range tests {
		r, ok := got[tt.id]
		switch {
		case !ok:
			t.Errorf("target %s: no row", tt.id)
		case tt.value == nil && r.Value != nil:
			t.Errorf("target %s = %v, want no data", tt.id, *r.Value)
		case tt.value != nil && (r.Value == nil || math.Abs(*r.Value-*tt.value) > 1e-9):
			t.Errorf("target %s = %v, want %v", tt.id, r.Value, *tt.value)
		case r.N != tt.n:
			t.Errorf("target %s: n = %d, want %d", tt.id, r.N, tt.n)
		}
	}
	if r := got["w3"]; r.CustomerClass != "residential" || r.Utility != "water" {
		t.Errorf("a one-class target's row is shown on its class: %+v", r)
	}
}

func TestHistogram(t *testing.T) {
	db := openFixtures(t, "cases.sql")
	p, _ := ParsePeriod("2024Q4", db.Location)
	h, err := Histogram(context.Background(), db.DB, p)
	if err != nil {
		t.Fatal(err)
	}
	// Water in Q4: 0.25 → bin 0; 1, 1 → bin 1; 2, 2 → bin 2; 3, 3 → bin 3.
	want := map[int]int64{0: 1, 1: 2, 2: 2, 3: 2}
	for bin, n := range h["water"] {
		if n != want[bin] {
			t.Errorf("water bin %d: %d cases, want %d", bin, n, want[bin])
		}
	}
	if h["gas"][9] != 1 || h["gas"][6] != 1 { // S1 9 WD, J1G 6 WD
		t.Errorf("gas bins = %v", h["gas"])
	}
}
