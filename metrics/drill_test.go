package metrics

import (
	"context"
	"fmt"
	"math"
	"slices"
	"strings"
	"testing"
)

// drilled is a breakdown and its records, read back whole for a test.
type drilled struct {
	b       Breakdown
	records []MissedRecord
}

func drill(t *testing.T, fixture, period string, targets []CaseTarget, rows []Row, dt DrillTarget) drilled {
	t.Helper()
	ctx := context.Background()
	db := openFixtures(t, fixture)
	p, err := ParsePeriod(period, db.Location)
	if err != nil {
		t.Fatal(err)
	}
	d, err := NewDriller(ctx, db.DB, p, DefaultSettings(), targets, rows)
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	var out drilled
	err = d.Drill(ctx, dt, func(b Breakdown) error { out.b = b; return nil },
		func(r MissedRecord) error { out.records = append(out.records, r); return nil })
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// contributors writes the groups as "dimension key missed/n value" lines, in rank order.
func contributors(cs []Contributor) string {
	var b strings.Builder
	for _, c := range cs {
		v := "-"
		if c.Value != nil {
			v = fmt.Sprintf("%.4f", *c.Value)
		}
		fmt.Fprintf(&b, "%s %s %d/%d %s|", c.Dimension, c.Key, c.Missed, c.N, v)
	}
	return b.String()
}

// records writes the records as "id end value over" lines, in list order.
func records(rs []MissedRecord) string {
	var b strings.Builder
	for _, r := range rs {
		end := "open"
		switch {
		case r.Cancelled != nil:
			end = "cancelled " + r.Cancelled.Format("01-02")
		case r.End != nil:
			end = r.End.Format("01-02")
		}
		f := func(x *float64) string {
			if x == nil {
				return "-"
			}
			return fmt.Sprintf("%.4f", *x)
		}
		fmt.Fprintf(&b, "%s %s %s %s %s %s|", r.ID, r.District, end, f(r.Value), f(r.Limit), f(r.Over))
	}
	return b.String()
}

// The cases behind a missed time limit are those its share judged, once and by the
// legal count (judged_once.sql, worked out there); each is listed with how far past
// its deadline it ended or stood at the data cut-off (Mon 6 Jan 2025 10:00).
func TestDrillTimeLimit(t *testing.T) {
	targets := []CaseTarget{{ID: "lv4", MetricID: "connection_time", Statistic: "share_within", Limit: v(4), Utility: "power", Classes: []string{"lv_zero"}}}
	dt := DrillTarget{ID: "lv4", MetricID: "connection_time", Statistic: "share_within", Comparison: ">=", Threshold: 1, Utility: "power"}
	tests := []struct {
		period           string
		missed, n        int64
		groups, recorded string
	}{
		// Q3: P1 (connected 8 Oct, deadline Fri 27 Sep) missed, P2 met. P1 took
		// 0.625 + 4 (24–27 Sep) + 1 (Sun 29 make-up) + 1 (30 Sep) + 10/24 = 7.0417 WD;
		// it ended on the 3rd working day after its deadline (29, 30 Sep, 8 Oct).
		{"2024Q3", 1, 2,
			"district 510302 1/2 0.5000|customer_class lv_zero 1/2 0.5000|",
			"P1 510302 10-08 7.0417 4.0000 3.0000|"},
		// Q4: P3 (open, deadline Tue 31 Dec) and P4 (cancelled 15 Oct 09:00, after its
		// deadline Fri 11 Oct) missed; P7 met. P3 to the cut-off: 0.625 + 4 (26, 27,
		// 30, 31 Dec) + 2 (2, 3 Jan) + 10/24 = 7.0417, 3 WD past (2, 3, 6 Jan). P4 to
		// its cancellation: 14/24 + 4 (8–11 Oct) + 1 (Sat 12 make-up) + 1 (14 Oct) +
		// 9/24 = 6.9583, 3 WD past (12, 14, 15 Oct). 510303 (P3 alone, share 0)
		// ranks before 510302 (P4 of two, share 0.5): one missed case each.
		{"2024Q4", 2, 3,
			"district 510303 1/1 0.0000|district 510302 1/2 0.5000|customer_class lv_zero 2/3 0.3333|",
			"P3 510303 open 7.0417 4.0000 3.0000|P4 510302 cancelled 10-15 6.9583 4.0000 3.0000|"},
	}
	for _, tt := range tests {
		got := drill(t, "judged_once.sql", tt.period, targets, nil, dt)
		if !got.b.Traced || got.b.Missed != tt.missed || got.b.N != tt.n || got.b.RecordUnit != "WD" {
			t.Errorf("%s: traced %v, %d of %d missed in %s, want %d of %d in WD", tt.period, got.b.Traced, got.b.Missed, got.b.N, got.b.RecordUnit, tt.missed, tt.n)
		}
		if g := contributors(got.b.Contributors); g != tt.groups {
			t.Errorf("%s groups:\n got %s\nwant %s", tt.period, g, tt.groups)
		}
		if g := records(got.records); g != tt.recorded {
			t.Errorf("%s records:\n got %s\nwant %s", tt.period, g, tt.recorded)
		}
	}
}

// A median's cases are those on the wrong side of its threshold; each group shows
// its own median and n (cases.sql: water residential 1, 2, 3, 0.25 and 3 WD).
func TestDrillMedian(t *testing.T) {
	targets := []CaseTarget{{ID: "res-median", MetricID: "connection_time", Statistic: "median", Utility: "water", Classes: []string{"residential"}}}
	dt := DrillTarget{ID: "res-median", MetricID: "connection_time", Statistic: "median", Comparison: "<=", Threshold: 1, Utility: "water"}
	got := drill(t, "cases.sql", "2024Q4", targets, nil, dt)
	// 510302: A1 1, A2 2, A3 3 → median 2, two over 1 WD; 510303: A4 0.25, A5 3 → 1.625.
	wantGroups := "district 510302 2/3 2.0000|district 510303 1/2 1.6250|customer_class residential 3/5 2.0000|"
	if g := contributors(got.b.Contributors); g != wantGroups {
		t.Errorf("groups:\n got %s\nwant %s", g, wantGroups)
	}
	// Over the threshold by 2, 2 and 1 WD; A3 before A5 on the same figures by id.
	wantRecords := "A3 510302 10-18 3.0000 1.0000 2.0000|A5 510303 11-08 3.0000 1.0000 2.0000|A2 510302 10-14 2.0000 1.0000 1.0000|"
	if g := records(got.records); g != wantRecords {
		t.Errorf("records:\n got %s\nwant %s", g, wantRecords)
	}
}

// A ticket rate's tickets are judged as the rate judges them: pending ones out
// (cases.sql: K3 closed 22 Oct against a 7 WD deadline of Thu 17 Oct; K4 pending).
func TestDrillTickets(t *testing.T) {
	dt := DrillTarget{ID: "on-time", MetricID: "complaint_on_time_rate", Statistic: "rate", Comparison: ">=", Threshold: 1, Utility: "water"}
	got := drill(t, "cases.sql", "2024Q4", nil, nil, dt)
	if got.b.Missed != 1 || got.b.N != 3 {
		t.Errorf("%d of %d missed, want 1 of 3", got.b.Missed, got.b.N)
	}
	// K3: 9 Oct 09:00 → 22 Oct 09:00 = 0.625 + 9 + 0.375 = 10 WD, closed on the 3rd
	// working day after its deadline of 17 Oct (18, 21, 22 Oct).
	if g, w := records(got.records), "K3 510302 10-22 10.0000 7.0000 3.0000|"; g != w {
		t.Errorf("records:\n got %s\nwant %s", g, w)
	}
	if g, w := contributors(got.b.Contributors), "district 510302 1/3 0.6667|"; g != w {
		t.Errorf("groups:\n got %s\nwant %s", g, w)
	}
}

// drilledTargets are case targets of every kind a drill-down traces: time limits on
// the whole case, a share of connected cases with a narrower target that leaves its
// cases (H9), and a fee.
var drilledTargets = []CaseTarget{
	{ID: "lv4", MetricID: "connection_time", Statistic: "share_within", Limit: v(4), Utility: "power"},
	{ID: "wide", MetricID: "procedures", Statistic: "share_within", Limit: v(3), Utility: "power", Classes: []string{"lv_nonres"}, Excludes: []string{"narrow"}},
	{ID: "narrow", MetricID: "procedures", Statistic: "share_within", Limit: v(1), Utility: "power", Classes: []string{"lv_nonres"}, Channels: []string{"pre_service"}},
	{ID: "fee0", MetricID: "fee", Statistic: "share_within", Limit: v(0), Utility: "water"},
	{ID: "water2", MetricID: "connection_time", Statistic: "share_within", Limit: v(2), Utility: "water"},
}

// tracedFigure is a figure a drill-down traces to records: a case target's own figure,
// or a utility's ticket rate, which a target on tickets judges as the utility's
// figure (traced under the metric's id).
type tracedFigure struct {
	Row
	id     string
	ticket bool
}

// tracedFigures are the figures of rows the drill-downs trace, the utility's own ones.
func tracedFigures(defs map[string]Definition, rows []Row) []tracedFigure {
	var out []tracedFigure
	for _, r := range rows {
		ticketRate := r.TargetID == "" && r.Statistic == "rate" && defs[r.MetricID].Family == "tickets" && r.Utility != ""
		if r.TargetID == "" && !ticketRate || r.District != "" || r.Value == nil {
			continue
		}
		f := tracedFigure{Row: r, id: r.TargetID, ticket: ticketRate}
		if ticketRate {
			f.id = r.MetricID
		}
		out = append(out, f)
	}
	return out
}

// The drill-down counts what the figure counts: for every case target of a fixture,
// and every utility's ticket rate, its missed records and its n agree with the row.
func TestDrillAgreesWithFigures(t *testing.T) {
	ctx := context.Background()
	families, err := Catalog()
	if err != nil {
		t.Fatal(err)
	}
	defs := Definitions(families)
	checked, tickets := 0, 0
	for _, fixture := range []string{"judged_once.sql", "eligibility.sql", "cases.sql"} {
		db := openFixtures(t, fixture)
		targets := drilledTargets
		for _, period := range []string{"2024Q3", "2024Q4"} {
			p, _ := ParsePeriod(period, db.Location)
			rows, err := Compute(ctx, db.DB, p, DefaultSettings(), targets...)
			if err != nil {
				t.Fatal(err)
			}
			d, err := NewDriller(ctx, db.DB, p, DefaultSettings(), targets, rows)
			if err != nil {
				t.Fatal(err)
			}
			for _, r := range tracedFigures(defs, rows) {
				var b Breakdown
				var listed int64
				dt := DrillTarget{ID: r.id, MetricID: r.MetricID, Statistic: r.Statistic, Comparison: ">=", Threshold: 1, Utility: r.Utility}
				if err := d.Drill(ctx, dt, func(x Breakdown) error { b = x; return nil }, func(MissedRecord) error { listed++; return nil }); err != nil {
					t.Fatal(err)
				}
				checked++
				if r.ticket {
					tickets++
				}
				missed := math.Round((1 - *r.Value) * float64(r.N))
				if b.N != r.N || float64(b.Missed) != missed || listed != b.Missed {
					t.Errorf("%s %s %s: drill %d of %d (%d listed), figure %v of %d", fixture, period, r.TargetID, b.Missed, b.N, listed, missed, r.N)
				}
			}
			d.Close()
		}
	}
	if checked < 8 || tickets < 4 {
		t.Errorf("only %d target figures compared, %d of them ticket rates", checked, tickets)
	}
}

// Targets traced together (DrillAll, one statement for all of them) get the breakdowns
// and records each gets traced alone: time limits, connected cases and ticket rates,
// the same ticket metric for several utilities among them.
func TestDrillAllEqualsEachAlone(t *testing.T) {
	ctx := context.Background()
	families, err := Catalog()
	if err != nil {
		t.Fatal(err)
	}
	defs := Definitions(families)
	targets := slices.Concat(drilledTargets, []CaseTarget{{ID: "mean-days", MetricID: "connection_time", Statistic: "mean", Utility: "power"}})
	sources := map[string]bool{}
	for _, fixture := range []string{"judged_once.sql", "cases.sql"} {
		db := openFixtures(t, fixture)
		p, _ := ParsePeriod("2024Q4", db.Location)
		rows, err := Compute(ctx, db.DB, p, DefaultSettings(), targets...)
		if err != nil {
			t.Fatal(err)
		}
		var ts []DrillTarget
		for _, r := range tracedFigures(defs, rows) {
			threshold := 1.0
			if r.Statistic == "mean" {
				threshold = *r.Value - 0.5 // some of its cases above it
			}
			ts = append(ts, DrillTarget{ID: r.id, MetricID: r.MetricID, Statistic: r.Statistic, Comparison: "<=", Threshold: threshold, Utility: r.Utility})
		}
		write := func(b Breakdown, rs []MissedRecord) string {
			return fmt.Sprintf("%s/%s %d of %d: %s\n%s", b.Target.ID, b.Target.Utility, b.Missed, b.N, contributors(b.Contributors), records(rs))
		}
		d, err := NewDriller(ctx, db.DB, p, DefaultSettings(), targets, rows)
		if err != nil {
			t.Fatal(err)
		}
		var together []Breakdown
		listed := make([][]MissedRecord, len(ts))
		err = d.DrillAll(ctx, ts, func(bs []Breakdown) error { together = bs; return nil },
			func(i int, r MissedRecord) error { listed[i] = append(listed[i], r); return nil })
		if err != nil {
			t.Fatal(err)
		}
		for i, dt := range ts {
			var alone Breakdown
			var records []MissedRecord
			if err := d.Drill(ctx, dt, func(b Breakdown) error { alone = b; return nil },
				func(r MissedRecord) error { records = append(records, r); return nil }); err != nil {
				t.Fatal(err)
			}
			src, _ := d.source(dt)
			sources[src] = sources[src] || alone.Missed > 0
			if got, want := write(together[i], listed[i]), write(alone, records); got != want {
				t.Errorf("%s, target %d traced together:\n%s\nalone:\n%s", fixture, i, got, want)
			}
		}
		d.Close()
	}
	for _, src := range []string{"clock", "case", "ticket"} {
		if !sources[src] {
			t.Errorf("no target traced from %q missed a record: %v", src, sources)
		}
	}
}

func TestMaskPhone(t *testing.T) {
	for in, want := range map[string]string{"13812345678": "138****5678", "0813-1234567": "081****4567", "12345": "****"} {
		if got := MaskPhone(in); got != want {
			t.Errorf("MaskPhone(%q) = %q, want %q", in, got, want)
		}
	}
}

// A target traced alone judges only the cases of the targets traced, yet still leaves
// to a narrower target the cases that one covers (metrics.md H9): eligibility.sql's
// power lv_nonres cases of 2024Q4 are E1 (2 procedures), E2 (3), E5 (none recorded)
// and, by the pre-service channel the narrower target names, E3 (1) and E4 (4). Over
// 3 procedures, or with none recorded, misses: E5 alone of the three left to "wide".
func TestDrillTargetAloneLeavesNarrower(t *testing.T) {
	targets := []CaseTarget{
		{ID: "wide", MetricID: "procedures", Statistic: "share_within", Limit: v(3), Utility: "power", Classes: []string{"lv_nonres"}, Excludes: []string{"narrow"}},
		{ID: "narrow", MetricID: "procedures", Statistic: "share_within", Limit: v(1), Utility: "power", Classes: []string{"lv_nonres"}, Channels: []string{"pre_service"}},
		{ID: "lv4", MetricID: "connection_time", Statistic: "share_within", Limit: v(4), Utility: "power"},
	}
	dt := DrillTarget{ID: "wide", MetricID: "procedures", Statistic: "share_within", Comparison: ">=", Threshold: 1, Utility: "power"}
	got := drill(t, "eligibility.sql", "2024Q4", targets, nil, dt)
	if got.b.Missed != 1 || got.b.N != 3 {
		t.Errorf("%d of %d missed, want 1 of 3", got.b.Missed, got.b.N)
	}
	if g, w := records(got.records), "E5 510302 11-05 - 3.0000 -|"; g != w {
		t.Errorf("records:\n got %s\nwant %s", g, w)
	}
}

// The targets a drill-down judges are those traced and every target narrower than
// them, at any depth, in the profile's order: judged with fewer, a target would keep
// cases a narrower one takes, and a run's shared judgement would not hold the set.
func TestWithNarrower(t *testing.T) {
	all := []CaseTarget{
		{ID: "a", Excludes: []string{"b"}},
		{ID: "b", Excludes: []string{"c"}},
		{ID: "c"},
		{ID: "d", Excludes: []string{"c"}},
		{ID: "e"},
	}
	tests := []struct {
		want []string
		got  string
	}{
		{[]string{"a"}, "a b c"},
		{[]string{"b"}, "b c"},
		{[]string{"d", "e"}, "c d e"},
		{[]string{"c"}, "c"},
		{nil, ""},
	}
	for _, tt := range tests {
		want := map[string]bool{}
		for _, id := range tt.want {
			want[id] = true
		}
		var ids []string
		for _, tg := range withNarrower(all, want) {
			ids = append(ids, tg.ID)
		}
		if got := strings.Join(ids, " "); got != tt.got {
			t.Errorf("withNarrower(%v) = %q, want %q", tt.want, got, tt.got)
		}
	}
}
