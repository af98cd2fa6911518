package policy

import (
	"math"
	"slices"
	"sort"
	"strings"

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
			r.CustomerClass = strings.Join(t.Where.Classes, "+")
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
	Score  float64 // 0–100, over the applicable targets in force
	Met    int
	Missed int
	// NoData counts the targets whose eligible records lack what the target needs
	// (数据缺失): they earn nothing, so leaving a column out never improves a score.
	NoData int
	// Missing is the number of eligible records behind the NoData targets.
	Missing int64
	// NotApplicable counts the targets with no eligible record in the scope (不适用):
	// out of the denominator.
	NotApplicable int
	// DataShare is the share of the applicable weight in force that had data; below
	// MinDataShare the score carries the warning 数据不足.
	DataShare float64
}

// MinDataShare is the share of the weight that must have data for a score to stand
// without the warning 数据不足 (spec/targets.md, Scoring).
const MinDataShare = 0.8

// Insufficient tells whether the score carries the warning 数据不足.
func (s Score) Insufficient() bool { return s.DataShare < MinDataShare-tolerance }

// Scores scores every utility (on its utility-wide rows) and every district (on its
// district rows) from judged rows. Each target counts once per scope (metrics.md H9):
// where it judges several rows of one scope (an area type each, say) it earns the
// lowest credit among them. A met target earns 1, a missed one how close it came
// (credit), one without data 0; a target without eligible records is left out.
func Scores(p *Profile, judged []metrics.Row) []Score {
	weights := map[string]float64{}
	for _, t := range p.Targets {
		weights[t.ID] = t.Weight
	}
	type scopeKey [2]string
	type targetAcc struct {
		credit           float64 // the lowest credit of its rows with a value
		missed, lacking  bool    // a row missed; a row had eligible records but no value
		valued           bool    // a row has a value
		eligible, absent int64   // records behind its rows; behind the rows without a value
	}
	scopes := map[scopeKey]map[string]*targetAcc{}
	for _, r := range judged {
		if r.Target == nil || r.Status == metrics.StatusNoTarget || r.TargetID == "" {
			continue
		}
		key := scopeKey{"utility", r.Utility}
		if r.District != "" {
			key = scopeKey{"district", r.District}
		}
		if scopes[key] == nil {
			scopes[key] = map[string]*targetAcc{}
		}
		a := scopes[key][r.TargetID]
		if a == nil {
			a = &targetAcc{credit: 1}
			scopes[key][r.TargetID] = a
		}
		a.eligible += r.N
		a.valued = a.valued || r.Value != nil
		switch {
		case r.Status == metrics.StatusMissed:
			a.missed = true
			a.credit = math.Min(a.credit, credit(p.Settings.Scoring, *r.Value, r.Comparison, *r.Target))
		case r.Value == nil && r.N > 0:
			a.lacking = true
			a.absent += r.N
		}
	}
	var out []Score
	for key, targets := range scopes {
		s := Score{Scope: key[0], Key: key[1]}
		var earned, applicable, withData float64
		// In a fixed order: floating-point sums taken in a map's order differ in
		// their last digits from run to run, and a workbook must not.
		ids := make([]string, 0, len(targets))
		for id := range targets {
			ids = append(ids, id)
		}
		sort.Strings(ids)
		for _, id := range ids {
			a, w := targets[id], weights[id]
			switch {
			case a.eligible == 0 && !a.valued:
				s.NotApplicable++
				continue
			case a.lacking:
				s.NoData++
				s.Missing += a.absent
				a.credit = 0
			case a.missed:
				s.Missed++
				withData += w
			default:
				s.Met++
				withData += w
			}
			applicable += w
			earned += w * a.credit
		}
		if applicable > 0 {
			s.Score = 100 * earned / applicable
			s.DataShare = withData / applicable
		}
		out = append(out, s)
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Scope != out[j].Scope {
			return out[i].Scope > out[j].Scope // utilities first
		}
		return out[i].Key < out[j].Key
	})
	return out
}

// credit is what a missed target still earns (spec/targets.md, Scoring): for a share
// or rate how close it came (actual / target), for a limit on a figure min(1,
// limit / actual); never below 0. All-or-nothing scoring gives nothing.
func credit(scoring string, actual float64, comparison string, target float64) float64 {
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
