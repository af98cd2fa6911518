package metrics_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/utilscore/utilscore/internal/testdb"
	"github.com/utilscore/utilscore/metrics"
	"github.com/utilscore/utilscore/policy"
	"github.com/utilscore/utilscore/store"
)

// TestSharedJudgementsEqualJudgingAlone computes figures and drill-downs under one
// shared judgement, as a report does, and each alone: the rows and the missed records
// must be the same, and the judgement must be made once for the targets and settings
// that are the same, and again for those that are not.
func TestSharedJudgementsEqualJudgingAlone(t *testing.T) {
	ctx := context.Background()
	db := testdb.Generated(t, 600, 7)
	prof, err := policy.Load("district-wpgt")
	if err != nil {
		t.Fatal(err)
	}
	p, _ := metrics.ParsePeriod("2024Q4", db.Location)
	year, _ := metrics.ParsePeriod("2024", db.Location)
	settings := prof.MetricSettings()
	targets := prof.CaseTargets(p)
	// The same targets, one limit changed: its cases are judged anew.
	changed := append([]metrics.CaseTarget(nil), targets...)
	for i, tg := range changed {
		if tg.Limit != nil && tg.Statistic == "share_within" {
			limit := *tg.Limit + 1
			changed[i].Limit = &limit
			break
		}
	}
	elapsed := settings
	elapsed.DeadlineRule = "elapsed"
	// A drill-down traces a part of the targets: it reads theirs from the judgement.
	var drilled []metrics.DrillTarget
	for _, tg := range targets {
		if tg.Statistic == "share_within" && len(drilled) < 8 {
			drilled = append(drilled, metrics.DrillTarget{ID: tg.ID, MetricID: tg.MetricID, Statistic: tg.Statistic, Comparison: ">=", Threshold: 1, Utility: tg.Utility})
		}
	}
	if len(drilled) == 0 {
		t.Fatal("the profile has no share_within case target")
	}

	shared, release, err := metrics.ShareJudgements(ctx, db.DB)
	if err != nil {
		t.Fatal(err)
	}
	defer release()
	steps := []struct {
		name      string
		settings  metrics.Settings
		reqs      []metrics.Request
		judgement int // judgements kept after the step
	}{
		{"quarter and year", settings, []metrics.Request{{Period: p, Targets: targets}, {Period: year, Families: []string{"connection"}, Targets: targets}}, 1},
		{"the year's targets again", settings, []metrics.Request{{Period: year, Families: []string{"connection"}, Targets: targets, TargetsOnly: true}}, 1},
		{"a limit changed", settings, []metrics.Request{{Period: p, Families: []string{"connection"}, Targets: changed}}, 2},
		{"another deadline rule", elapsed, []metrics.Request{{Period: p, Families: []string{"connection"}, Targets: targets}}, 3},
	}
	for _, step := range steps {
		together, err := metrics.ComputeMany(shared, db.DB, step.settings, step.reqs)
		if err != nil {
			t.Fatal(err)
		}
		alone, err := metrics.ComputeMany(ctx, db.DB, step.settings, step.reqs)
		if err != nil {
			t.Fatal(err)
		}
		for i := range step.reqs {
			if len(together[i]) != len(alone[i]) || len(alone[i]) == 0 {
				t.Fatalf("%s: %d rows shared, %d alone", step.name, len(together[i]), len(alone[i]))
			}
			for j := range alone[i] {
				if !sameRow(together[i][j], alone[i][j]) {
					t.Errorf("%s row %d: shared %+v, alone %+v", step.name, j, together[i][j], alone[i][j])
				}
			}
		}
		if got := judgementsKept(t, db); got != step.judgement {
			t.Errorf("after %s: %d judgements kept, want %d", step.name, got, step.judgement)
		}
	}

	drill := func(ctx context.Context) []string {
		d, err := metrics.NewDriller(ctx, db.DB, p, settings, targets, nil)
		if err != nil {
			t.Fatal(err)
		}
		defer d.Close()
		var out []string
		err = d.DrillAll(ctx, drilled, func(bs []metrics.Breakdown) error {
			for _, b := range bs {
				out = append(out, fmt.Sprintf("%s %d of %d", b.Target.ID, b.Missed, b.N))
			}
			return nil
		}, func(i int, r metrics.MissedRecord) error {
			out = append(out, fmt.Sprintf("%d %s %s %v %v", i, r.Utility, r.ID, deref(r.Value), deref(r.Over)))
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		return out
	}
	together, alone := drill(shared), drill(ctx)
	if fmt.Sprint(together) != fmt.Sprint(alone) {
		t.Errorf("drill-down shared:\n%v\nalone:\n%v", together, alone)
	}
	if len(alone) <= len(drilled) {
		t.Errorf("the drill-down listed no record: %v", alone)
	}
	if got := judgementsKept(t, db); got != 3 {
		t.Errorf("after the drill-down: %d judgements kept, want the 3 before", got)
	}
	release()
	if got := judgementsKept(t, db); got != 0 {
		t.Errorf("after release: %d judgements kept", got)
	}
}

// judgementsKept counts the judgements kept in the process's shared judgement
// databases: one table of judged cases each.
func judgementsKept(t *testing.T, db *store.DB) int {
	t.Helper()
	var n int
	if err := db.DB.QueryRow(`SELECT count(*) FROM duckdb_tables() WHERE database_name LIKE 'judged\_%' ESCAPE '\' AND table_name LIKE '%\_cases' ESCAPE '\'`).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

func deref(v *float64) any {
	if v == nil {
		return nil
	}
	return *v
}
