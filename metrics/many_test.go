package metrics_test

import (
	"context"
	"math"
	"slices"
	"testing"
	"time"

	"github.com/utilscore/utilscore/internal/testdb"
	"github.com/utilscore/utilscore/metrics"
	"github.com/utilscore/utilscore/policy"
)

// TestComputeManyEqualsEachPeriodAlone computes a report's periods together (the
// quarter, the seven before it, some with every family and some with the trend's two,
// and periods overlapping them)
// on the generated demo data under a profile, and each period alone: the rows must be
// the same, value for value.
func TestComputeManyEqualsEachPeriodAlone(t *testing.T) {
	ctx := context.Background()
	db := testdb.Generated(t, 600, 5)
	prof, err := policy.Load("district-wpgt")
	if err != nil {
		t.Fatal(err)
	}
	p, _ := metrics.ParsePeriod("2024Q4", db.Location)
	var reqs []metrics.Request
	for i := 0; i < 8; i++ {
		q := p
		if i > 0 {
			q = p.Previous(i)
		}
		var families []string
		if i != 0 && i != 1 && i != 4 {
			families = []string{"connection", "outages"}
		}
		reqs = append(reqs, metrics.Request{Period: q, Families: families, Targets: prof.CaseTargets(q)})
	}
	// Periods overlapping the quarters, as a pace asks for them (the year, one of its
	// months), and one whose bounds fall within days: each case counts in every period
	// it falls in, and only there.
	year, _ := metrics.ParsePeriod("2024", db.Location)
	month, _ := metrics.ParsePeriod("2024-11", db.Location)
	noon := time.Date(2024, 10, 15, 12, 0, 0, 0, db.Location)
	days := metrics.Period{Label: "10-15 12:00 to 11-20 08:30", Start: noon, End: noon.Add(35*24*time.Hour + 20*time.Hour + 30*time.Minute), Months: 1, Kind: "span"}
	for _, q := range []metrics.Period{year, month, days} {
		reqs = append(reqs, metrics.Request{Period: q, Families: []string{"connection"}, Targets: prof.CaseTargets(q)})
	}
	// A pace's period: its targets' figures alone, with no per-case metric by group.
	reqs = append(reqs, metrics.Request{Period: month, Families: []string{"connection"}, Targets: prof.CaseTargets(month), TargetsOnly: true})
	// A period again without targets: the judgements must follow the targets.
	reqs = append(reqs, metrics.Request{Period: p, Families: []string{"connection"}})
	together, err := metrics.ComputeMany(ctx, db.DB, prof.MetricSettings(), reqs)
	if err != nil {
		t.Fatal(err)
	}
	withTargets := 0
	for i, r := range reqs {
		alone, err := metrics.ComputeFamilies(ctx, db.DB, r.Period, prof.MetricSettings(), r.Families, r.Targets...)
		if err != nil {
			t.Fatal(err)
		}
		if r.TargetsOnly {
			alone = slices.DeleteFunc(alone, func(row metrics.Row) bool {
				return row.TargetID == "" && metrics.IsCaseMetric(row.MetricID)
			})
		}
		if len(alone) == 0 {
			t.Fatalf("%s: no rows", r.Period.Label)
		}
		if len(together[i]) != len(alone) {
			t.Fatalf("%s: %d rows together, %d alone", r.Period.Label, len(together[i]), len(alone))
		}
		for j := range alone {
			if !sameRow(together[i][j], alone[j]) {
				t.Errorf("%s row %d: together %+v, alone %+v", r.Period.Label, j, together[i][j], alone[j])
			}
			if alone[j].TargetID != "" {
				withTargets++
			}
		}
	}
	if withTargets == 0 {
		t.Error("no target's own figure was compared")
	}
}

// sameRow: equal in every field, the value to 1e-12 of its size, since DuckDB adds
// floating-point numbers of a group in whatever order its threads reach them.
func sameRow(a, b metrics.Row) bool {
	av, bv := a.Value, b.Value
	a.Value, b.Value = nil, nil
	if a != b || (av == nil) != (bv == nil) {
		return false
	}
	return av == nil || math.Abs(*av-*bv) <= 1e-12*math.Max(1, math.Abs(*bv))
}
