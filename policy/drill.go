package policy

import (
	"context"
	"database/sql"

	"github.com/utilscore/utilscore/metrics"
)

// Missed is a target whose figure missed in the period: the target, its judged row
// and what the drill-down needs to trace it.
type Missed struct {
	Target Target
	Row    metrics.Row
	Drill  metrics.DrillTarget
}

// Missed lists the figures that missed a target in the period, utility-wide (a
// district's own miss is part of its utility's breakdown), in the profile's order; a
// target judged per utility or per area type may miss more than once.
func (ev *Evaluation) Missed() []Missed {
	if ev.Profile == nil {
		return nil
	}
	var out []Missed
	for _, t := range ev.Profile.Targets {
		for _, r := range ev.Rows {
			if r.TargetID != t.ID || r.District != "" || r.Status != metrics.StatusMissed {
				continue
			}
			areas := t.Where.AreaTypes
			if r.AreaType != "" {
				areas = []string{r.AreaType}
			}
			out = append(out, Missed{Target: t, Row: r, Drill: metrics.DrillTarget{ID: t.ID, MetricID: t.Metric,
				Statistic: t.Statistic, Comparison: t.Comparison, Threshold: t.Threshold, Utility: r.Utility, AreaTypes: areas}})
		}
	}
	return out
}

// Find returns the missed figures of one target (none when it was met, lacked data
// or is not in force).
func (ev *Evaluation) Find(targetID string) []Missed {
	var out []Missed
	for _, m := range ev.Missed() {
		if m.Target.ID == targetID {
			out = append(out, m)
		}
	}
	return out
}

// NewDriller prepares the drill-down of the evaluation's period: the cases judged with
// the profile's settings and case targets, exactly as its figures judged them.
func (ev *Evaluation) NewDriller(ctx context.Context, db *sql.DB) (*metrics.Driller, error) {
	settings := metrics.DefaultSettings()
	if ev.Profile != nil {
		settings = ev.Profile.MetricSettings()
	}
	return metrics.NewDriller(ctx, db, ev.Period, settings, ev.Targets, ev.Rows)
}
