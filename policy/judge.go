package policy

import (
	"math"
	"slices"
	"sort"

	"github.com/utilscore/utilscore/metrics"
)

// tolerance absorbs floating-point noise when a value sits on its threshold.
const tolerance = 1e-9

// Judge sets target, comparison, status and source on every row a target in force
// covers, and adds a no_data row for a target that no row covers. Rows no target
// covers keep no_target (or no_data).
func Judge(p *Profile, period metrics.Period, rows []metrics.Row) []metrics.Row {
	out := append([]metrics.Row(nil), rows...)
	for _, t := range p.Targets {
		if !t.Applies(period) {
			continue
		}
		matched := false
		for i := range out {
			if !t.covers(out[i]) {
				continue
			}
			matched = true
			judge(t, &out[i], out)
		}
		if !matched {
			r := metrics.Row{MetricID: t.Metric, Utility: t.Where.Utility, Period: period.Label, Statistic: t.Statistic, TargetID: t.ID}
			if len(t.Where.Classes) == 1 {
				r.CustomerClass = t.Where.Classes[0]
			}
			if len(t.Where.AreaTypes) == 1 {
				r.AreaType = t.Where.AreaTypes[0]
			}
			judge(t, &r, out)
			out = append(out, r)
		}
	}
	metrics.SortRows(out)
	return out
}

// covers tells whether a target judges a row: a case target its own rows; any other
// target the rows of its metric and statistic that its filter names.
func (t Target) covers(r metrics.Row) bool {
	if metrics.IsCaseMetric(t.Metric) {
		return r.TargetID == t.ID
	}
	if r.TargetID != "" || r.MetricID != t.Metric || r.Statistic != t.Statistic {
		return false
	}
	if t.Where.Utility != "" && r.Utility != t.Where.Utility {
		return false
	}
	if len(t.Where.Classes) > 0 && !slices.Contains(t.Where.Classes, r.CustomerClass) {
		return false
	}
	if len(t.Where.AreaTypes) > 0 && !slices.Contains(t.Where.AreaTypes, r.AreaType) {
		return false
	}
	return true
}

func judge(t Target, r *metrics.Row, all []metrics.Row) {
	threshold := t.Threshold
	r.Target, r.Comparison, r.Source, r.TargetID = &threshold, t.Comparison, t.Source, t.ID
	if r.Value == nil {
		r.Status = metrics.StatusNoData
		return
	}
	if meets(*r.Value, t.Comparison, threshold) || fellEnough(t, *r, all) {
		r.Status = metrics.StatusMet
	} else {
		r.Status = metrics.StatusMissed
	}
}

func meets(value float64, comparison string, threshold float64) bool {
	if comparison == "<=" {
		return value <= threshold+tolerance
	}
	return value >= threshold-tolerance
}

// fellEnough is Zigong's alternative: the figure fell by at least the given share on
// the year before (outage_hours_yoy of the same group).
func fellEnough(t Target, r metrics.Row, all []metrics.Row) bool {
	if t.OrYoYDrop == nil {
		return false
	}
	for _, y := range all {
		if y.MetricID == "outage_hours_yoy" && y.Utility == r.Utility && y.CustomerClass == r.CustomerClass &&
			y.District == r.District && y.AreaType == r.AreaType && y.Value != nil {
			return *y.Value <= -*t.OrYoYDrop+tolerance
		}
	}
	return false
}

// Score is the quarterly score of a utility or a district (spec/targets.md, Scoring).
type Score struct {
	Scope  string  // "utility" or "district"
	Key    string  // the utility, or the district code; "" for targets across utilities
	Score  float64 // 0–100
	Met    int
	Missed int
	NoData int
}

// Scores scores every utility (on its utility-wide rows) and every district (on its
// district rows) from judged rows: a met target scores its weight; a missed one, in
// the proportional formula, min(1, target/actual) of it where lower is better and
// min(1, actual/target) where higher is better; no data scores nothing.
func Scores(p *Profile, judged []metrics.Row) []Score {
	weights := map[string]float64{}
	for _, t := range p.Targets {
		weights[t.ID] = t.Weight
	}
	type acc struct {
		earned, possible float64
		s                Score
	}
	buckets := map[[2]string]*acc{}
	for _, r := range judged {
		if r.Target == nil || r.Status == metrics.StatusNoTarget {
			continue
		}
		key := [2]string{"utility", r.Utility}
		if r.District != "" {
			key = [2]string{"district", r.District}
		}
		a := buckets[key]
		if a == nil {
			a = &acc{s: Score{Scope: key[0], Key: key[1]}}
			buckets[key] = a
		}
		w := weights[r.TargetID]
		a.possible += w
		switch r.Status {
		case metrics.StatusMet:
			a.earned += w
			a.s.Met++
		case metrics.StatusMissed:
			a.earned += w * partial(p.Settings.Scoring, *r.Value, r.Comparison, *r.Target)
			a.s.Missed++
		default:
			a.s.NoData++
		}
	}
	var out []Score
	for _, a := range buckets {
		if a.possible > 0 {
			a.s.Score = 100 * a.earned / a.possible
		}
		out = append(out, a.s)
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Scope != out[j].Scope {
			return out[i].Scope > out[j].Scope // utilities first
		}
		return out[i].Key < out[j].Key
	})
	return out
}

// partial is the share of its weight a missed target still earns.
func partial(scoring string, actual float64, comparison string, target float64) float64 {
	if scoring == "all_or_nothing" {
		return 0
	}
	if comparison == "<=" { // lower is better
		if actual <= 0 {
			return 1
		}
		return math.Min(1, target/actual)
	}
	if target <= 0 {
		return 1
	}
	return math.Max(0, math.Min(1, actual/target))
}
