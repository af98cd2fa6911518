package pace

import (
	"math"
)

// Kind is how a figure grows over the year, which decides how it is projected.
type Kind string

// Kinds of figure.
const (
	// Additive figures add up month by month (outage hours per customer): the year is
	// the year so far plus the rest of the year.
	Additive Kind = "additive"
	// Share figures are counts over counts (share within a limit, a rate): the year is
	// the year so far and the rest (at last year's figure), weighted by their records.
	Share Kind = "share"
	// Average figures are means and medians of records; a median is taken, like a
	// mean, as the record-weighted blend of the year so far and the rest of the year.
	Average Kind = "average"
)

// KindOf tells the kind of a target's statistic.
func KindOf(statistic string) Kind {
	switch statistic {
	case "sum", "rolling_12m":
		return Additive
	case "share_within", "rate":
		return Share
	}
	return Average
}

// Verdicts.
const (
	OnPace       = "on_pace"
	AtRisk       = "at_risk"
	Missed       = "missed"
	NoProjection = "none"
)

// VerdictZH names a verdict in Chinese.
var VerdictZH = map[string]string{OnPace: "按进度", AtRisk: "有风险", Missed: "已未达标", NoProjection: "暂不预测"}

// Month is one month's figure and the records behind it.
type Month struct {
	Value *float64 `json:"value"`
	N     int64    `json:"n"`
}

// Rule is the target a figure is judged against, and what kind of figure it is.
type Rule struct {
	Kind       Kind     `json:"kind"`
	Comparison string   `json:"comparison"` // "<=" or ">="
	Threshold  float64  `json:"threshold"`
	OrYoYDrop  *float64 `json:"or_yoy_drop"` // also met when down this share on last year
	// Seasonal figures (interruptions, leakage) are not extrapolated from this year's
	// months alone: without last year's months there is no projection.
	Seasonal bool `json:"seasonal"`
}

// Series is what the projection reads: the year so far, its months, and last year's.
type Series struct {
	Observed int      `json:"observed"` // whole months of the year observed (0–12)
	YTD      *float64 `json:"ytd"`
	YTDN     int64    `json:"ytd_n"`
	Months   []Month  `json:"months"`    // this year's observed months, January first
	LastYear []Month  `json:"last_year"` // last year's twelve months; empty: no history
	// LastRest is last year's figure over the months this year has still to come: for
	// a share or an average, the figure they are projected at and the records they
	// will bring.
	LastRest  *Month   `json:"last_rest"`
	LastTotal *float64 `json:"last_total"` // last year's whole-year figure
}

// Projection is the year-end figure expected from the months observed.
type Projection struct {
	Point, Low, High *float64 // nil: no projection
	// Limit is the figure the year must meet: the threshold, or for an either/or
	// target the easier of its two legs.
	Limit float64
	// Required is what the rest of the year must come to: for an additive figure its
	// total over the remaining months, otherwise its own figure (share, mean, median).
	Required   *float64
	RestN      float64 // the records expected in the rest of the year
	History    bool    // last year's months were there to project with
	Verdict    string
	Reason     string // why there is no projection, in Chinese
	Remaining  int    // months left
	Impossible bool   // the required figure lies outside what the figure can take
}

// tolerance absorbs floating-point noise when a figure sits on its limit.
const tolerance = 1e-9

// MinMonths is the fewest whole months a projection is made from.
const MinMonths = 3

// Project projects a figure to the end of the year and judges it against its target.
func Project(r Rule, s Series) Projection {
	p := Projection{Limit: r.Threshold, Remaining: 12 - s.Observed}
	k := float64(p.Remaining)
	m := float64(s.Observed)
	p.History = hasHistory(r.Kind, s.LastYear) || r.Kind != Additive && s.LastRest != nil && s.LastRest.N > 0
	if r.OrYoYDrop != nil && s.LastTotal != nil {
		// Zigong: ≤5 h, or at least 8 % below last year; the easier leg is the limit.
		yoy := (1 - *r.OrYoYDrop) * *s.LastTotal
		if r.Comparison == "<=" {
			p.Limit = math.Max(p.Limit, yoy)
		} else {
			p.Limit = math.Min(p.Limit, yoy)
		}
	}
	if s.YTD == nil {
		p.Verdict, p.Reason = NoProjection, "年初至今无数据"
		return p
	}
	ytd := *s.YTD
	lo, hi := bounds(r.Kind)
	// The records the rest of the year is expected to bring: last year's in the same
	// months, else this year's pace.
	var w float64 = 1
	if r.Kind != Additive && p.Remaining > 0 {
		switch {
		case s.LastRest != nil && s.LastRest.N > 0:
			p.RestN = float64(s.LastRest.N)
		case p.History:
			for _, mo := range s.LastYear[s.Observed:] {
				p.RestN += float64(mo.N)
			}
		case s.Observed > 0:
			p.RestN = float64(s.YTDN) * k / m
		}
		if total := float64(s.YTDN) + p.RestN; total > 0 {
			w = float64(s.YTDN) / total
		}
	}
	// What the rest of the year must come to.
	switch {
	case p.Remaining == 0:
	case r.Kind == Additive:
		req := p.Limit - ytd
		p.Required = &req
		p.Impossible = r.Comparison == "<=" && req < -tolerance
	case w < 1:
		req := (p.Limit - w*ytd) / (1 - w)
		p.Required = &req
		p.Impossible = r.Comparison == ">=" && req > hi+tolerance || r.Comparison == "<=" && req < lo-tolerance
	}
	missed := p.Impossible
	if p.Remaining == 0 {
		missed = !meets(ytd, r.Comparison, p.Limit)
	}
	switch {
	case p.Remaining == 0:
		v := ytd
		p.Point, p.Low, p.High = &v, &v, &v
	case s.Observed < MinMonths:
		p.Reason = "观测不足三个月，不作预测"
	case r.Seasonal && !p.History:
		p.Reason = "无上年同期数据，且该指标有季节性，不作外推"
	case r.Kind == Additive:
		p.Point, p.Low, p.High = additive(ytd, s, p.History)
	default:
		p.Point, p.Low, p.High = blended(ytd, s, w, lo, hi)
	}
	switch {
	case missed:
		p.Verdict = Missed
	case p.Point == nil:
		p.Verdict = NoProjection
	case meets(unfavourable(r.Comparison, *p.Low, *p.High), r.Comparison, p.Limit):
		p.Verdict = OnPace
	default:
		p.Verdict = AtRisk
	}
	return p
}

// hasHistory: last year's twelve months are there; for an additive figure each with a
// value (a month without one would read as no interruption).
func hasHistory(k Kind, last []Month) bool {
	if len(last) != 12 {
		return false
	}
	var n int64
	for _, m := range last {
		if k == Additive && m.Value == nil {
			return false
		}
		n += m.N
	}
	return k == Additive || n > 0
}

// additive: the year so far plus the rest of the year at last year's figures for the
// same months (else at this year's monthly pace). The band: the spread of this year's
// months against last year's same months (else of this year's months), over the months
// left, at 80 % (Student's t).
func additive(ytd float64, s Series, history bool) (point, low, high *float64) {
	k := float64(12 - s.Observed)
	var rest float64
	var spread []float64
	if history {
		for _, mo := range s.LastYear[s.Observed:] {
			rest += *mo.Value
		}
		for i, mo := range s.Months {
			if mo.Value != nil && i < len(s.LastYear) && s.LastYear[i].Value != nil {
				spread = append(spread, *mo.Value-*s.LastYear[i].Value)
			}
		}
	} else {
		rest = ytd * k / float64(s.Observed)
		for _, mo := range s.Months {
			if mo.Value != nil {
				spread = append(spread, *mo.Value)
			}
		}
	}
	v := ytd + rest
	half := 0.0
	if sd, n := stdev(spread); n >= 2 {
		scale := math.Sqrt(k)
		if !history { // the monthly pace itself is estimated from n months
			scale = math.Sqrt(k + k*k/float64(n))
		}
		half = studentT80(n-1) * sd * scale
	}
	l, h := math.Max(v-half, ytd), v+half // the year can never come in below the year so far
	return &v, &l, &h
}

// blended: the year so far, and the rest of the year at last year's figure for the same
// months, weighted by their records (w is the year so far's share); without last
// year's figure the year so far stands. Backtested, the blend errs less than either
// the year so far or last year's figure. The band is how far the rest of the year, as
// one more draw of this year's months, could move the point.
func blended(ytd float64, s Series, w, lo, hi float64) (point, low, high *float64) {
	var vals []float64
	for _, mo := range s.Months {
		if mo.Value != nil && mo.N > 0 {
			vals = append(vals, *mo.Value)
		}
	}
	k := float64(12 - s.Observed)
	half := 0.0
	if sd, n := stdev(vals); n >= 2 {
		half = studentT80(n-1) * sd * math.Sqrt(1/k+1/float64(n)) * (1 - w)
	}
	v := ytd
	if s.LastRest != nil && s.LastRest.N > 0 && s.LastRest.Value != nil {
		v = w*ytd + (1-w)**s.LastRest.Value
	}
	l, h := math.Max(v-half, lo), math.Min(v+half, hi)
	return &v, &l, &h
}

func bounds(k Kind) (lo, hi float64) {
	if k == Share {
		return 0, 1
	}
	return 0, math.Inf(1)
}

func meets(v float64, comparison string, limit float64) bool {
	if comparison == "<=" {
		return v <= limit+tolerance
	}
	return v >= limit-tolerance
}

// unfavourable is the end of the band farther from meeting the target.
func unfavourable(comparison string, low, high float64) float64 {
	if comparison == "<=" {
		return high
	}
	return low
}

// stdev is the sample standard deviation and the number of values.
func stdev(xs []float64) (float64, int) {
	n := len(xs)
	if n < 2 {
		return 0, n
	}
	var mean float64
	for _, x := range xs {
		mean += x
	}
	mean /= float64(n)
	var ss float64
	for _, x := range xs {
		ss += (x - mean) * (x - mean)
	}
	return math.Sqrt(ss / float64(n-1)), n
}

// studentT80 is the 90th percentile of Student's t with df degrees of freedom: the
// half-width of a two-sided 80 % band in standard errors, wide when few months are seen.
func studentT80(df int) float64 {
	table := []float64{3.078, 1.886, 1.638, 1.533, 1.476, 1.440, 1.415, 1.397, 1.383, 1.372, 1.363}
	if df < 1 {
		return math.Inf(1)
	}
	if df <= len(table) {
		return table[df-1]
	}
	return 1.282
}
