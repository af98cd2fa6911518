package policy

import (
	"strings"
	"testing"
	"time"

	"github.com/utilscore/utilscore/metrics"
)

func TestBuiltinProfilesLoad(t *testing.T) {
	ids := BuiltinIDs()
	want := []string{"chibi-joint-2022", "district-wpgt", "huoqiu-joint-2023", "kunming-water-2023", "zigong-power-2021"}
	if strings.Join(ids, ",") != strings.Join(want, ",") {
		t.Fatalf("built-in profiles = %v, want %v", ids, want)
	}
	for _, id := range ids {
		p, err := Load(id)
		if err != nil {
			t.Fatal(err)
		}
		if p.ID != id || len(p.Targets) == 0 {
			t.Errorf("%s: id %q, %d targets", id, p.ID, len(p.Targets))
		}
	}
}

func TestMalformedProfilesAreRefusedWithLineAndReason(t *testing.T) {
	tests := []struct{ yaml, want string }{
		{"id: x\ntargets:\n  - {id: a, metric: nope, statistic: mean, comparison: '<=', threshold: 1, source: s}\n", `line 3, target "a": unknown metric "nope"`},
		{"id: x\ntargets:\n  - {id: a, metric: connection_time, statistic: share_within, source: s}\n", "line 3, target \"a\": a share_within target needs a limit"},
		{"id: x\ntargets:\n  - {id: a, metric: connection_time, statistic: mean, comparison: '<', threshold: 1, source: s}\n", "comparison must be <= or >="},
		{"id: x\ntargets:\n  - {id: a, metric: connection_time, statistic: mean, comparison: '<=', threshold: 1}\n", "name the source clause"},
		{"id: x\ntargets:\n  - {id: a, metric: satisfaction_rate, statistic: median, comparison: '>=', threshold: 1, source: s}\n", "has no statistic median"},
		{"id: x\ntargets:\n  - {id: a, metric: satisfaction_rate, statistic: rate, comparison: '>=', threshold: 1, source: s, where: {low_risk: true}}\n", "only per-case metrics"},
		{"id: x\ntargets:\n  - {id: a, metric: connection_time, statistic: mean, comparison: '<=', threshold: 1, source: s, effective: 2022-13-01}\n", "not a date"},
		{"id: x\ntarget:\n  - {}\n", "line 2: field target not found"},
		{"targets: []\n", "needs an id"},
		{"id: x\nsettings: {exempt_others_as: exempt}\n", "settings.exempt_others_as"},
		{"id: x\nsettings: {momentary_utilities: [electricity]}\n", `"electricity" is not a utility`},
	}
	for _, tt := range tests {
		if _, err := Parse([]byte(tt.yaml), "p.yaml"); err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("Parse(%q) = %v, want an error with %q", tt.yaml, err, tt.want)
		}
	}
}

func period(t *testing.T, s string) metrics.Period {
	loc, _ := time.LoadLocation("Asia/Shanghai")
	p, err := metrics.ParsePeriod(s, loc)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func f(x float64) *float64 { return &x }

func TestJudgeAndScore(t *testing.T) {
	p, err := Parse([]byte(`id: t
targets:
  - {id: hours, metric: outage_hours_per_customer, statistic: rolling_12m, comparison: "<=", threshold: 5, or_yoy_drop: 0.08, where: {utility: power, area_types: [urban, rural]}, weight: 2, source: "001 二(四)"}
  - {id: sat, metric: satisfaction_rate, statistic: rate, comparison: ">=", threshold: 0.9, source: "s"}
  - {id: later, metric: satisfaction_rate, statistic: rate, comparison: ">=", threshold: 0.99, effective: 2025-01-01, source: "s"}
  - {id: leak, metric: leakage_rate, statistic: rate, comparison: "<=", threshold: 0.1, where: {utility: water}, source: "s"}
`), "t.yaml")
	if err != nil {
		t.Fatal(err)
	}
	rows := []metrics.Row{
		// urban 6 h over 5 h, and down only 5 %: missed, scoring 5/6 of weight 2
		{MetricID: "outage_hours_per_customer", Utility: "power", AreaType: "urban", Statistic: "rolling_12m", Value: f(6)},
		{MetricID: "outage_hours_yoy", Utility: "power", AreaType: "urban", Statistic: "rate", Value: f(-0.05)},
		// rural 18 h over 5 h but down 10 % on the year: met (Zigong's alternative)
		{MetricID: "outage_hours_per_customer", Utility: "power", AreaType: "rural", Statistic: "rolling_12m", Value: f(18)},
		{MetricID: "outage_hours_yoy", Utility: "power", AreaType: "rural", Statistic: "rate", Value: f(-0.10)},
		// satisfaction 0.81 against 0.9: missed, scoring 0.9 of weight 1
		{MetricID: "satisfaction_rate", Utility: "power", Statistic: "rate", Value: f(0.81)},
		// a district row: met
		{MetricID: "satisfaction_rate", Utility: "power", District: "510302", Statistic: "rate", Value: f(0.95)},
	}
	judged := Judge(p, period(t, "2024Q3"), rows)
	status := map[string]string{}
	for _, r := range judged {
		status[r.TargetID+"/"+r.Utility+"/"+r.AreaType+"/"+r.District] = r.Status
	}
	wantStatus := map[string]string{
		"hours/power/urban/": metrics.StatusMissed,
		"hours/power/rural/": metrics.StatusMet,
		"sat/power//":        metrics.StatusMissed,
		"sat/power//510302":  metrics.StatusMet,
		"leak/water//":       metrics.StatusNoData, // no row: reported as no_data
		"later/power//":      "",                   // not yet in force
	}
	for k, want := range wantStatus {
		if status[k] != want {
			t.Errorf("%s: status %q, want %q", k, status[k], want)
		}
	}
	scores := map[string]Score{}
	for _, s := range Scores(p, judged) {
		scores[s.Scope+"/"+s.Key] = s
	}
	// power: hours is scored once, on its lower credit (urban 5/6; rural met), weight 2;
	// satisfaction 0.9, weight 1 → (2 × 5/6 + 0.9) / 3.
	wantPower := 100 * (2.0*5/6 + 0.9) / 3
	if d := scores["utility/power"].Score - wantPower; d > 1e-9 || d < -1e-9 {
		t.Errorf("power score = %v, want %v", scores["utility/power"].Score, wantPower)
	}
	if s := scores["utility/power"]; s.Met != 0 || s.Missed != 2 || s.DataShare != 1 || s.Insufficient() {
		t.Errorf("power: %+v, want 2 missed targets, all weight with data", s)
	}
	// water's one target has no eligible record: 不适用, nothing to score.
	if s := scores["utility/water"]; s.NotApplicable != 1 || s.Score != 0 || s.Met+s.Missed+s.NoData != 0 {
		t.Errorf("water: %+v, want one target not applicable", s)
	}
	if scores["district/510302"].Score != 100 {
		t.Errorf("district 510302 score = %v, want 100", scores["district/510302"].Score)
	}
}

// Eligible records without the field a target needs earn nothing (数据缺失), and a
// score with less than 80 % of its weight backed by data carries 数据不足.
func TestMissingDataEarnsNothing(t *testing.T) {
	p, err := Parse([]byte(`id: t
targets:
  - {id: fee, metric: zero_fee_share, statistic: rate, comparison: ">=", threshold: 1, where: {utility: water}, weight: 1, source: "s"}
  - {id: sat, metric: satisfaction_rate, statistic: rate, comparison: ">=", threshold: 0.9, where: {utility: water}, weight: 3, source: "s"}
  - {id: proc, metric: procedures, statistic: mean, comparison: "<=", threshold: 2, where: {utility: water}, weight: 1, source: "s"}
`), "t.yaml")
	if err != nil {
		t.Fatal(err)
	}
	rows := []metrics.Row{
		{MetricID: "zero_fee_share", Utility: "water", Statistic: "rate", TargetID: "fee", N: 7}, // 7 eligible, no fee logged
		{MetricID: "satisfaction_rate", Utility: "water", Statistic: "rate", Value: f(0.95), N: 40},
		{MetricID: "procedures", Utility: "water", Statistic: "mean", TargetID: "proc", Value: f(4), N: 9}, // 2/4 = 0.5
	}
	var water Score
	for _, s := range Scores(p, Judge(p, period(t, "2024Q3"), rows)) {
		if s.Key == "water" {
			water = s
		}
	}
	want := 100 * (0 + 3 + 0.5) / 5
	if d := water.Score - want; d > 1e-9 || d < -1e-9 || water.NoData != 1 || water.Missing != 7 || water.DataShare != 0.8 || water.Insufficient() {
		t.Errorf("water: %+v, want score %v, one target lacking 7 records, 80 %% of the weight with data", water, want)
	}
	// Without the satisfaction figure only 1 of 5 had data: 数据不足.
	rows[1].Value = nil
	for _, s := range Scores(p, Judge(p, period(t, "2024Q3"), rows)) {
		if s.Key == "water" && (!s.Insufficient() || s.DataShare != 0.2) {
			t.Errorf("water: %+v, want 数据不足 at 20 %%", s)
		}
	}
}

func TestTargetsInForce(t *testing.T) {
	p, _ := Load("zigong-power-2021")
	in := func(id, period string) bool {
		for _, tg := range p.Targets {
			if tg.ID == id {
				return tg.Applies(periodOf(t, period))
			}
		}
		t.Fatalf("no target %s", id)
		return false
	}
	tests := []struct {
		id, period string
		want       bool
	}{
		{"lv-zero-total-2022", "2021Q4", false}, // ≤10 WD from 2022 (二(一))
		{"lv-zero-total-2022", "2022Q1", true},
		{"lv-zero-total-2022", "2023Q1", false}, // replaced by ≤7 WD from 2023
		{"lv-zero-total", "2022Q4", false},
		{"lv-zero-total", "2023Q1", true},
		{"outage-urban", "2022Q4", false}, // in force from 2023-01-01
		{"outage-urban", "2023Q1", true},
		{"outage-urban", "2023", false}, // the quarterly form; the year has its own
		{"outage-urban-year", "2023", true},
	}
	for _, tt := range tests {
		if got := in(tt.id, tt.period); got != tt.want {
			t.Errorf("%s in %s: %v, want %v", tt.id, tt.period, got, tt.want)
		}
	}
}

func periodOf(t *testing.T, s string) metrics.Period { return period(t, s) }

// A wider share_within target leaves to a narrower one on the same metric the cases
// that one covers (metrics.md H9): Kunming's "procedures ≤2; ≤1 when pre_service".
func TestNarrowerTargetsAreExcludedFromWiderOnes(t *testing.T) {
	p, err := Parse([]byte(`id: t
targets:
  - {id: wide, metric: procedures, statistic: share_within, limit: 2, where: {utility: water}, source: "1"}
  - {id: narrow, metric: procedures, statistic: share_within, limit: 1, where: {utility: water, channels: [pre_service]}, source: "1"}
  - {id: other, metric: materials, statistic: share_within, limit: 0, where: {utility: water, channels: [pre_service]}, source: "3"}
  - {id: gas, metric: procedures, statistic: share_within, limit: 5, where: {utility: gas}, source: "x"}
`), "t.yaml")
	if err != nil {
		t.Fatal(err)
	}
	excludes := map[string][]string{}
	for _, ct := range p.CaseTargets(period(t, "2024Q3")) {
		excludes[ct.ID] = ct.Excludes
	}
	if strings.Join(excludes["wide"], ",") != "narrow" || len(excludes["narrow"]) != 0 || len(excludes["other"]) != 0 || len(excludes["gas"]) != 0 {
		t.Errorf("excludes = %v, want only wide to leave narrow's cases", excludes)
	}
}

// The same judged rows give the same score to the last digit on every run: the
// weighted sum is taken in a fixed order, not in a map's.
func TestScoresAreReproducible(t *testing.T) {
	p, err := Parse([]byte(`id: t
targets:
  - {id: a, metric: satisfaction_rate, statistic: rate, comparison: ">=", threshold: 0.93, where: {utility: power}, weight: 0.7, source: "s"}
  - {id: b, metric: complaint_closure_rate, statistic: rate, comparison: ">=", threshold: 0.97, where: {utility: power}, weight: 1.3, source: "s"}
  - {id: c, metric: online_share, statistic: rate, comparison: ">=", threshold: 0.9, where: {utility: power}, weight: 0.1, source: "s"}
  - {id: d, metric: joint_share, statistic: rate, comparison: ">=", threshold: 0.35, where: {utility: power}, weight: 2.9, source: "s"}
  - {id: e, metric: zero_fee_share, statistic: rate, comparison: ">=", threshold: 1, where: {utility: power}, weight: 0.3, source: "s"}
`), "t.yaml")
	if err != nil {
		t.Fatal(err)
	}
	rows := []metrics.Row{
		{MetricID: "satisfaction_rate", Utility: "power", Statistic: "rate", Value: f(0.811), N: 10},
		{MetricID: "complaint_closure_rate", Utility: "power", Statistic: "rate", Value: f(0.7), N: 10},
		{MetricID: "online_share", Utility: "power", Statistic: "rate", Value: f(0.333), N: 10},
		{MetricID: "joint_share", Utility: "power", Statistic: "rate", Value: f(0.1), N: 10},
		{MetricID: "zero_fee_share", Utility: "power", Statistic: "rate", TargetID: "e", Value: f(0.77), N: 10},
	}
	judged := Judge(p, period(t, "2024Q3"), rows)
	first := Scores(p, judged)
	if len(first) != 1 || first[0].Missed != 5 {
		t.Fatalf("scores = %+v, want power with five missed targets", first)
	}
	for i := 0; i < 200; i++ {
		if got := Scores(p, judged)[0].Score; got != first[0].Score {
			t.Fatalf("run %d: score %v, first run %v", i, got, first[0].Score)
		}
	}
}
