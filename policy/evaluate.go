package policy

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/utilscore/utilscore/metrics"
)

// Evaluation is one period's figures judged against a profile.
type Evaluation struct {
	Period  metrics.Period
	Profile *Profile             // nil: no profile, nothing judged
	Targets []metrics.CaseTarget // the profile's case targets in force in the period
	Rows    []metrics.Row        // every figure, judged where a target covers it
	Scores  []Score              // per utility and district; none without a profile
}

// Evaluate is the one path from a period to its judgement: it computes the period's
// metrics (only the named families, when given) with the profile's settings and case
// targets, judges them and scores them. Without a profile the figures are computed
// with the default settings and nothing is judged.
func Evaluate(ctx context.Context, db *sql.DB, prof *Profile, p metrics.Period, families ...string) (*Evaluation, error) {
	ev := &Evaluation{Period: p, Profile: prof}
	settings := metrics.DefaultSettings()
	if prof != nil {
		settings = prof.MetricSettings()
		ev.Targets = prof.CaseTargets(p)
	}
	rows, err := metrics.ComputeFamilies(ctx, db, p, settings, families, ev.Targets...)
	if err != nil {
		return nil, fmt.Errorf("metrics of %s: %w", p.Label, err)
	}
	if prof == nil {
		ev.Rows = rows
		return ev, nil
	}
	ev.Rows = Judge(prof, p, rows)
	ev.Scores = Scores(prof, ev.Rows)
	return ev, nil
}
