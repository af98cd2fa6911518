package policy

import (
	"context"
	"database/sql"
	"fmt"
	"strings"

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
	evs, err := EvaluateMany(ctx, db, prof, []Want{{Period: p, Families: families}})
	if err != nil {
		return nil, err
	}
	return evs[0], nil
}

// Want is one period to evaluate, with the families wanted (all when none).
type Want struct {
	Period   metrics.Period
	Families []string
}

// EvaluateMany is Evaluate for several periods at once, each computed as Evaluate
// would, sharing what the periods have in common (metrics.ComputeMany).
func EvaluateMany(ctx context.Context, db *sql.DB, prof *Profile, wants []Want) ([]*Evaluation, error) {
	evs, _, err := EvaluateWith(ctx, db, prof, wants, nil)
	return evs, err
}

// EvaluateWith is EvaluateMany computing other requests in the same pass (a report's
// pace: its periods share the cases' judgement and the passes over them), under the
// profile's settings; it returns their rows, as computed, beside the evaluations.
func EvaluateWith(ctx context.Context, db *sql.DB, prof *Profile, wants []Want, others []metrics.Request) ([]*Evaluation, [][]metrics.Row, error) {
	settings := metrics.DefaultSettings()
	if prof != nil {
		settings = prof.MetricSettings()
	}
	evs := make([]*Evaluation, len(wants))
	reqs := make([]metrics.Request, len(wants))
	for i, w := range wants {
		evs[i] = &Evaluation{Period: w.Period, Profile: prof}
		if prof != nil {
			evs[i].Targets = prof.CaseTargets(w.Period)
		}
		reqs[i] = metrics.Request{Period: w.Period, Families: w.Families, Targets: evs[i].Targets}
	}
	rows, err := metrics.ComputeMany(ctx, db, settings, append(reqs, others...))
	if err != nil {
		labels := make([]string, len(wants))
		for i, w := range wants {
			labels[i] = w.Period.Label
		}
		return nil, nil, fmt.Errorf("metrics of %s: %w", strings.Join(labels, ", "), err)
	}
	for i, ev := range evs {
		if prof == nil {
			ev.Rows = rows[i]
			continue
		}
		ev.Rows = Judge(prof, ev.Period, rows[i])
		ev.Scores = Scores(prof, ev.Rows)
	}
	return evs, rows[len(wants):], nil
}
