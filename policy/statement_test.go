package policy

import (
	"flag"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/utilscore/utilscore/metrics"
)

var update = flag.Bool("update", false, "rewrite the golden files")

// TestStatementsOfBuiltinProfiles writes every target of every built-in profile out in
// words, with its citation, and compares with testdata/statements.golden (reviewed by
// hand; -update rewrites it after a reviewed change).
func TestStatementsOfBuiltinProfiles(t *testing.T) {
	families, err := metrics.Catalog()
	if err != nil {
		t.Fatal(err)
	}
	defs := metrics.Definitions(families)
	var b strings.Builder
	ascii := regexp.MustCompile(`[A-Za-z]{2,}`)
	for _, id := range BuiltinIDs() {
		p, err := Load(id)
		if err != nil {
			t.Fatal(err)
		}
		b.WriteString("# " + p.ID + "\n")
		for _, target := range p.Targets {
			s, cite := target.Statement(defs), p.Cite(target.Source)
			b.WriteString(target.ID + "\t" + s + "\t" + cite + "\n")
			// Only the abbreviations Chinese writes in Latin letters (DN40, 手机APP).
			for _, run := range ascii.FindAllString(s+cite, -1) {
				if run != "DN" && run != "APP" {
					t.Errorf("%s %s: %q has the Latin run %q", id, target.ID, s+cite, run)
				}
			}
			if strings.Contains(cite, "《》") || regexp.MustCompile(`》\s*$`).MatchString(cite) || regexp.MustCompile(`^\d`).MatchString(strings.TrimPrefix(cite, "《")) {
				t.Errorf("%s %s: citation %q lacks the title or the clause", id, target.ID, cite)
			}
		}
	}
	golden := filepath.Join("testdata", "statements.golden")
	if *update {
		if err := os.WriteFile(golden, []byte(b.String()), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatal(err)
	}
	if got := b.String(); got != string(want) {
		t.Errorf("statements differ from %s (go test ./policy -run Statements -update to rewrite after review):\n%s", golden, got)
	}
}

// TestStatementWorkedExamples checks the phrases of spec/outputs.md by hand.
func TestStatementWorkedExamples(t *testing.T) {
	families, err := metrics.Catalog()
	if err != nil {
		t.Fatal(err)
	}
	defs := metrics.Definitions(families)
	v := func(x float64) *float64 { return &x }
	tests := []struct {
		target Target
		want   string
	}{
		{Target{Metric: "utility_time", Statistic: "share_within", Limit: v(16), Comparison: ">=", Threshold: 1,
			Where: Filter{Utility: "power", Classes: []string{"hv_single"}}}, "电力 高压单电源 合计办电时间≤16个工作日 办结占比 目标100%"},
		{Target{Metric: "outage_hours_per_customer", Statistic: "rolling_12m", Comparison: "<=", Threshold: 5,
			Where: Filter{Utility: "power", AreaTypes: []string{"urban"}}}, "电力 市区 户均停电时间（滚动12个月）≤5小时"},
		{Target{Metric: "outage_hours_per_customer", Statistic: "sum", Comparison: "<=", Threshold: 12, Periods: []string{"year"},
			Where: Filter{Utility: "water"}}, "供水 户均停水时间（全年）≤12小时"},
		{Target{Metric: "procedures", Statistic: "share_within", Limit: v(2), Comparison: ">=", Threshold: 0.95,
			Where: Filter{Utility: "gas"}}, "燃气 办理环节数≤2个的工单占比 目标≥95%"},
		{Target{Metric: "fee", Statistic: "share_within", Limit: v(0), Comparison: ">=", Threshold: 1,
			Where: Filter{Utility: "power", Classes: []string{"lv_nonres"}, MaxCapacity: v(160)}}, "电力 低压非居民 报装容量160千瓦及以下 用户承担费用为0的工单占比 目标100%"},
		{Target{Metric: "hookup_time", Statistic: "share_within", Limit: v(0), Comparison: ">=", Threshold: 1,
			Where: Filter{Utility: "power", Classes: []string{"lv_zero"}}}, "电力 低压小微企业 竣工验收至接入当日办结的占比 目标100%"},
		{Target{Metric: "complaint_on_time_rate", Statistic: "rate", Comparison: ">=", Threshold: 1,
			Where: Filter{Utility: "gas"}}, "燃气 投诉按时办结率 目标100%"},
		{Target{Metric: "leakage_rate", Statistic: "rate", Comparison: "<=", Threshold: 0.1,
			Where: Filter{Utility: "water"}}, "供水 漏损率≤10%"},
		{Target{Metric: "connection_time", Statistic: "mean", Comparison: "<=", Threshold: 3,
			Where: Filter{Utility: "power", Classes: []string{"residential"}}}, "电力 居民 接入总时长平均≤3个工作日"},
		{Target{Metric: "stage_time", Statistic: "share_within", Limit: v(3), Comparison: ">=", Threshold: 1, From: "accepted", To: "plan_replied",
			Where: Filter{Utility: "gas"}}, "燃气 受理至方案答复时长≤3个工作日 办结占比 目标100%"},
	}
	for _, tt := range tests {
		if got := tt.target.Statement(defs); got != tt.want {
			t.Errorf("Statement = %q, want %q", got, tt.want)
		}
	}
}

func TestCiteGivesTitleAndClause(t *testing.T) {
	p := &Profile{Title: "自贡市进一步优化电力营商环境（获得电力）实施方案", Document: "001 自贡市进一步优化电力营商环境（获得电力）实施方案，2021-04-30"}
	if got, want := p.Cite("001 二(一)"), "《自贡市进一步优化电力营商环境…》二(一)"; got != want {
		t.Errorf("Cite = %q, want %q", got, want)
	}
	p = &Profile{Title: "某区水电气网接入工作方案", Document: "000 某区水电气网接入工作方案（未注明年份）"}
	if got, want := p.Cite("000 四(五), 三2"), "《某区水电气网接入工作方案》四(五)、三2"; got != want {
		t.Errorf("Cite = %q, want %q", got, want)
	}
	p = &Profile{Title: "昆明", Document: "002 昆明，2023"}
	if got, want := p.Cite("002 2、3"), "《昆明》第2、3条"; got != want {
		t.Errorf("Cite = %q, want %q", got, want)
	}
}

func TestTallyValueAndChange(t *testing.T) {
	v := func(x float64) *float64 { return &x }
	share := metrics.Row{Statistic: "share_within", Unit: "WD", Value: v(0.75), N: 16}
	if got := Tally(share); got != "12/16件" {
		t.Errorf("Tally = %q, want 12/16件", got)
	}
	if got := ValueText(share); got != "75.0%" {
		t.Errorf("ValueText = %q, want 75.0%%", got)
	}
	if got := ChangeText(share, v(0.8)); got != "-5.0个百分点" {
		t.Errorf("ChangeText = %q, want -5.0个百分点", got)
	}
	hours := metrics.Row{Statistic: "sum", Unit: "h", Value: v(4.126), N: 3}
	if Tally(hours) != "" || ValueText(hours) != "4.13小时" || ChangeText(hours, v(3)) != "+1.13小时" {
		t.Errorf("hours: %q %q %q", Tally(hours), ValueText(hours), ChangeText(hours, v(3)))
	}
}

func TestMedianBesideACaseTimeTarget(t *testing.T) {
	families, err := metrics.Catalog()
	if err != nil {
		t.Fatal(err)
	}
	defs := metrics.Definitions(families)
	v := func(x float64) *float64 { return &x }
	rows := []metrics.Row{
		{MetricID: "utility_time", Utility: "power", CustomerClass: "hv_single", Statistic: "median", Value: v(12)},
		{MetricID: "utility_time", Utility: "power", CustomerClass: "hv_dual", Statistic: "median", Value: v(25.26)},
		{MetricID: "utility_time", Utility: "power", CustomerClass: "hv_dual", District: "510302", Statistic: "median", Value: v(3)},
	}
	two := Target{Metric: "utility_time", Statistic: "share_within", Limit: v(16), Where: Filter{Utility: "power", Classes: []string{"hv_single", "hv_dual"}}}
	if got, want := Median(two, defs, rows), "中位数 高压单电源 12.0、高压双电源 25.3个工作日"; got != want {
		t.Errorf("Median = %q, want %q", got, want)
	}
	one := Target{Metric: "utility_time", Statistic: "share_within", Limit: v(16), Where: Filter{Utility: "power", Classes: []string{"hv_single"}}}
	if got, want := Median(one, defs, rows), "中位数 12.0个工作日"; got != want {
		t.Errorf("Median = %q, want %q", got, want)
	}
	if got := Median(Target{Metric: "procedures", Statistic: "share_within", Limit: v(2)}, defs, rows); got != "" {
		t.Errorf("a count target has no median, got %q", got)
	}
}
