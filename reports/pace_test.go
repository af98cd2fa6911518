package reports

import (
	"context"
	"reflect"
	"testing"

	"github.com/utilscore/utilscore/internal/testdb"
	"github.com/utilscore/utilscore/metrics"
	"github.com/utilscore/utilscore/pace"
	"github.com/utilscore/utilscore/policy"
)

// A report computes its year's pace with its own periods in one pass; the pace must be
// the one gathered alone (utilscore pace), with its band projected (2024Q2, six months
// observed) and without (2024Q4, the whole year).
func TestCollectedPaceIsTheGatheredOne(t *testing.T) {
	ctx := context.Background()
	db := testdb.Generated(t, 600, 7)
	prof, err := policy.Load("district-wpgt")
	if err != nil {
		t.Fatal(err)
	}
	for _, period := range []string{"2024Q2", "2024Q4"} {
		p, _ := metrics.ParsePeriod(period, db.Location)
		d, err := Collect(ctx, db.DB, p, prof)
		if err != nil {
			t.Fatal(err)
		}
		d.Close()
		alone, err := pace.Gather(ctx, db.DB, prof, p.Start.Year(), p.End.AddDate(0, 0, -1))
		if err != nil {
			t.Fatal(err)
		}
		if len(alone.Lines) == 0 {
			t.Fatalf("%s: the pace has no line", period)
		}
		if !reflect.DeepEqual(d.Pace, alone) {
			t.Errorf("%s: the report's pace differs from the one gathered alone:\n%+v\nalone:\n%+v", period, d.Pace.Lines, alone.Lines)
		}
	}
}
