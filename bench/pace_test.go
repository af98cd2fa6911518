package bench

import (
	"context"
	"fmt"
	"os"
	"testing"

	"github.com/utilscore/utilscore/pace"
	"github.com/utilscore/utilscore/policy"
	"github.com/utilscore/utilscore/store"
)

// BenchmarkPaceBacktest is the backtest of the year-end projection on the demo data
// (generated as the demo does, 3 000 cases over 2023–2024; UTILSCORE_BACKTEST_DB
// names an existing database instead): the projections made at the end of each of
// the first three quarters of 2024 against 2024's actual figures, and against the same
// "the year so far stands" (for shares and averages) and "the year comes in as last
// year did". It prints, per kind of figure and quarter, the mean absolute errors, the
// share of actual figures inside the 80 % band and the share of verdicts the year
// bore out, and fails when the projection does worse than last year's figure.
//
//	go test ./bench -run '^$' -bench PaceBacktest -benchtime 1x
func BenchmarkPaceBacktest(b *testing.B) {
	path := os.Getenv("UTILSCORE_BACKTEST_DB")
	if path == "" {
		path = generatedDB(b, 3000)
	}
	ctx := context.Background()
	db, err := store.OpenForReading(ctx, path, store.Options{})
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	for i := 0; i < b.N; i++ {
		var trials []pace.Trial
		for _, id := range []string{"zigong-power-2021", "kunming-water-2023", "district-wpgt"} {
			prof, err := policy.Load(id)
			if err != nil {
				b.Fatal(err)
			}
			t, err := pace.Backtest(ctx, db.DB, prof, 2024, db.Location)
			if err != nil {
				b.Fatal(err)
			}
			trials = append(trials, t...)
		}
		fmt.Printf("%-9s %-8s %6s %14s %14s %14s %8s %10s\n", "kind", "months", "trials", "projection MAE", "so-far MAE", "last-year MAE", "in band", "verdicts")
		for _, kind := range []pace.Kind{pace.Additive, pace.Share, pace.Average} {
			for _, m := range []int{3, 6, 9, 0} {
				s := pace.Summarise(trials, kind, m)
				label := fmt.Sprint(m)
				if m == 0 {
					label = "all"
				}
				fmt.Printf("%-9s %-8s %6d %14.4f %14.4f %14.4f %7.0f%% %5.0f%% of %d\n", kind, label, s.Trials, s.ProjectionMAE, s.StandingMAE, s.LastYearMAE,
					100*s.InBand, 100*s.VerdictsRight, s.VerdictsJudged)
				if m == 0 && s.ProjectionWorse {
					b.Errorf("%s: the projection (MAE %.4f) does worse than last year's figure (%.4f)", kind, s.ProjectionMAE, s.LastYearMAE)
				}
				if m == 0 {
					b.ReportMetric(s.ProjectionMAE, string(kind)+"-MAE")
					b.ReportMetric(s.LastYearMAE, string(kind)+"-lastyear-MAE")
				}
			}
		}
	}
}
