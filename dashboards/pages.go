package dashboards

import (
	"slices"
	"sort"
	"strconv"

	"github.com/go-echarts/go-echarts/v2/charts"
	"github.com/go-echarts/go-echarts/v2/opts"

	"github.com/utilscore/utilscore/metrics"
)

var (
	classZH = map[string]string{"residential": "居民", "lv_zero": "低压小微", "lv_nonres": "低压非居民", "hv_single": "高压单电源",
		"hv_dual": "高压双电源", "nonres_dn40": "DN40及以下", "nonres_dn100": "DN100及以下", "nonres_large": "大型非居民",
		"real_estate": "房地产", "nonres_general": "一般非居民", "individual": "个人", "business": "企业", "key_account": "大客户"}
	areaZH   = map[string]string{"urban_core": "市中心", "urban": "市区", "town": "城镇", "rural": "农村"}
	statusZH = map[string]string{"met": "达标", "missed": "未达标", "no_data": "无数据", "no_target": "—"}
)

// baseOpts are the options every chart has: a stable id (the output is reproducible),
// a Chinese title, axis names with units, a tooltip, a legend and the data-view tool
// that shows the table behind the chart in one click.
// Titles are short, with the detail in the subtitle, so they fit a phone's width.
func baseOpts(id, title, subtitle, xName, yName string) []charts.GlobalOpts {
	return []charts.GlobalOpts{
		charts.WithInitializationOpts(opts.Initialization{ChartID: id}), // sized by site.css
		charts.WithTitleOpts(opts.Title{Title: title, Subtitle: subtitle}),
		charts.WithTooltipOpts(opts.Tooltip{Show: opts.Bool(true), Trigger: "axis"}),
		charts.WithLegendOpts(opts.Legend{Show: opts.Bool(true), Bottom: "0"}),
		charts.WithToolboxOpts(opts.Toolbox{Show: opts.Bool(true), Feature: &opts.ToolBoxFeature{
			DataView: &opts.ToolBoxFeatureDataView{Show: opts.Bool(true), Title: "数据表",
				Lang: []string{"数据表", "关闭", "刷新"}}}}),
		charts.WithXAxisOpts(opts.XAxis{Name: xName}),
		charts.WithYAxisOpts(opts.YAxis{Name: yName}),
	}
}

func barData(values []any) []opts.BarData {
	out := make([]opts.BarData, len(values))
	for i, v := range values {
		out[i] = opts.BarData{Value: v}
	}
	return out
}

func lineData(values []any) []opts.LineData {
	out := make([]opts.LineData, len(values))
	for i, v := range values {
		out[i] = opts.LineData{Value: v}
	}
	return out
}

// markLines draws thresholds as horizontal lines.
func markLines(lines map[string]float64) charts.SeriesOpts {
	names := make([]string, 0, len(lines))
	for n := range lines {
		names = append(names, n)
	}
	sort.Strings(names)
	var items []opts.MarkLineNameYAxisItem
	for _, n := range names {
		items = append(items, opts.MarkLineNameYAxisItem{Name: n, YAxis: lines[n]})
	}
	return charts.WithMarkLineNameYAxisItemOpts(items...)
}

// index: every utility's headline figures and score, and the district ranking.
func (s *site) index() page {
	p := page{Title: "水电气网营商环境指标 " + s.d.Period.Label, Subtitle: s.subtitle(), Nav: s.nav(), Workbooks: s.workbooks}
	scores := map[string]float64{}
	for _, sc := range s.d.Scores {
		if sc.Scope == "utility" {
			scores[sc.Key] = sc.Score
		}
	}
	headline := table{Caption: "各行业主要指标", Header: []string{"行业", "得分", "接入总时长中位数（工作日）", "户均停运时间（小时）", "好评率", "投诉办结率", "漏损率", "未达标目标"}}
	for _, u := range utilities {
		missed := 0
		for _, r := range s.d.Rows {
			if r.Utility == u && r.District == "" && r.Status == metrics.StatusMissed {
				missed++
			}
		}
		score := cell{Text: "—"}
		if v, ok := scores[u]; ok && s.audience != "public" {
			score = cell{Text: strconv.FormatFloat(v, 'f', 1, 64), Class: "num " + scoreClass(v)}
		}
		headline.Rows = append(headline.Rows, []cell{{Text: utilityZH[u]}, score,
			s.numCell(s.d.Rows, "connection_time", "median", u, 1, false), s.numCell(s.d.Rows, "outage_hours_per_customer", "sum", u, 2, false),
			s.numCell(s.d.Rows, "satisfaction_rate", "rate", u, 1, true), s.numCell(s.d.Rows, "complaint_closure_rate", "rate", u, 1, true),
			s.numCell(s.d.Rows, "leakage_rate", "rate", u, 1, true), {Text: strconv.Itoa(missed), Class: "num"}})
	}
	p.Tables = append(p.Tables, headline)
	p.Tables = append(p.Tables, s.paceTables()...)
	if s.audience != "public" {
		p.Charts = append(p.Charts, s.districtRanking())
	}
	p.Notes = append(p.Notes, "各图右上角“数据表”按钮可查看图表数据。", "口径见工作簿“口径说明”页。")
	if s.audience == "public" {
		p.Notes = append(p.Notes, "样本少于5件的分组不予显示，以免识别个别用户。")
	}
	return p
}

func scoreClass(v float64) string {
	switch {
	case v >= 90:
		return "met"
	case v >= 60:
		return "no_data"
	}
	return "missed"
}

func (s *site) numCell(rows []metrics.Row, metric, statistic, utility string, places int, percent bool) cell {
	r, ok := s.find(rows, metric, statistic, utility, "", "", "")
	if !ok || r.Value == nil || s.suppressed(r) {
		return cell{Text: "—", Class: "num"}
	}
	v := *r.Value
	if percent {
		return cell{Text: strconv.FormatFloat(v*100, 'f', places, 64) + "%", Class: "num"}
	}
	return cell{Text: strconv.FormatFloat(v, 'f', places, 64), Class: "num"}
}

// districtRanking ranks the districts by their score.
func (s *site) districtRanking() chartBlock {
	var ds []struct {
		name  string
		score float64
	}
	for _, sc := range s.d.Scores {
		if sc.Scope == "district" {
			name := sc.Key
			if n := s.d.Districts[sc.Key]; n != "" {
				name = n
			}
			ds = append(ds, struct {
				name  string
				score float64
			}{name, sc.Score})
		}
	}
	sort.Slice(ds, func(i, j int) bool { return ds[i].score > ds[j].score })
	var names []string
	var values []any
	for _, d := range ds {
		names = append(names, d.name)
		values = append(values, round(d.score, 1))
	}
	bar := charts.NewBar()
	bar.SetGlobalOptions(baseOpts("district_ranking", "区县得分排名", "各项目标加权，满分100", "区县", "得分（满分100）")...)
	bar.SetXAxis(names).AddSeries("得分", barData(values), markLines(map[string]float64{"90分": 90}))
	return chart(bar.ChartID, bar)
}

// utilityPage holds a utility's charts.
func (s *site) utilityPage(u string) page {
	p := page{Title: utilityZH[u] + " · " + s.d.Period.Label, Subtitle: s.subtitle(), Nav: s.nav()}
	p.Charts = append(p.Charts, s.connectionByClass(u), s.distribution(u), s.trendChart(u))
	if u != "telecom" {
		p.Charts = append(p.Charts, s.outagesByArea(u))
	}
	p.Charts = append(p.Charts, s.serviceChart(u))
	if u == "water" {
		p.Charts = append(p.Charts, s.leakageChart())
	}
	return p
}

// connectionByClass: median connection time per class against each class's limit.
func (s *site) connectionByClass(u string) chartBlock {
	var classes []string
	seen := map[string]bool{}
	for _, r := range s.d.Rows {
		if r.Utility == u && r.MetricID == "connection_time" && r.Statistic == "median" && r.CustomerClass != "" && r.District == "" && !seen[r.CustomerClass] {
			seen[r.CustomerClass] = true
			classes = append(classes, r.CustomerClass)
		}
	}
	sort.Strings(classes)
	var names []string
	var medians, limits []any
	for _, c := range classes {
		name := classZH[c]
		if name == "" { // a class the labels do not know yet shows its code
			name = c
		}
		names = append(names, name)
		medians = append(medians, s.value(s.d.Rows, "connection_time", "median", u, c, "", ""))
		limits = append(limits, s.classLimit(u, c))
	}
	bar := charts.NewBar()
	bar.SetGlobalOptions(baseOpts(u+"_connection_by_class", "接入时长与时限", utilityZH[u]+" · 按客户类别 · 中位数", "客户类别", "工作日")...)
	bar.SetXAxis(names).AddSeries("中位数", barData(medians))
	// A class's limit is its own value, not a point on a line between classes.
	marks := charts.NewScatter()
	points := make([]opts.ScatterData, len(limits))
	for i, l := range limits {
		points[i] = opts.ScatterData{Value: l, Symbol: "diamond", SymbolSize: 14}
	}
	marks.SetXAxis(names).AddSeries("单件时限", points)
	bar.Overlap(marks)
	return chart(bar.ChartID, bar)
}

// classLimit is the per-case time limit the profile sets for a class, if any.
func (s *site) classLimit(u, class string) any {
	for _, t := range s.d.Profile.Targets {
		if t.Metric == "connection_time" && t.Statistic == "share_within" && t.Limit != nil && t.Where.Utility == u &&
			t.Applies(s.d.Period) && (len(t.Where.Classes) == 0 || slices.Contains(t.Where.Classes, class)) &&
			t.Where.LowRisk == nil && t.Where.BusinessTypes == nil && t.Where.ExternalWorks == nil {
			return *t.Limit
		}
	}
	return nil
}

// distribution: how many cases took each whole number of working days. The public
// does not see a bin of fewer than five cases.
func (s *site) distribution(u string) chartBlock {
	var names []string
	var counts []any
	bins := s.d.Histogram[u]
	for i := 0; i < metrics.HistogramBins; i++ {
		name := strconv.Itoa(i) + "–" + strconv.Itoa(i+1)
		if i == metrics.HistogramBins-1 {
			name = strconv.Itoa(i) + "+"
		}
		names = append(names, name)
		var n any
		if i < len(bins) {
			n = bins[i]
			if s.audience == "public" && bins[i] > 0 && bins[i] < minGroup {
				n = nil
			}
		}
		counts = append(counts, n)
	}
	bar := charts.NewBar()
	bar.SetGlobalOptions(baseOpts(u+"_distribution", "接入时长分布", utilityZH[u]+" · 本期接入的工单", "工作日", "工单数（件）")...)
	bar.SetXAxis(names).AddSeries("工单数", barData(counts))
	return chart(bar.ChartID, bar)
}

// trendChart: the last eight periods of the median connection time.
func (s *site) trendChart(u string) chartBlock {
	var periods []string
	var values []any
	for _, tp := range s.d.Trend {
		periods = append(periods, tp.Period.Label)
		values = append(values, s.value(tp.Rows, "connection_time", "median", u, "", "", ""))
	}
	line := charts.NewLine()
	line.SetGlobalOptions(baseOpts(u+"_trend", "接入时长趋势", utilityZH[u]+" · 中位数 · 近8期", "期间", "工作日")...)
	line.SetXAxis(periods).AddSeries("中位数", lineData(values))
	return chart(line.ChartID, line)
}

// outagesByArea: planned and fault interruption hours per customer by area type,
// stacked, against the profile's area targets where it sets them.
func (s *site) outagesByArea(u string) chartBlock {
	areas := []string{"urban_core", "urban", "town", "rural"}
	var names []string
	var planned, fault []any
	targets := map[string]float64{}
	for _, a := range areas {
		names = append(names, areaZH[a])
		planned = append(planned, s.value(s.d.Rows, "outage_hours_per_customer_planned", "sum", u, "", "", a))
		fault = append(fault, s.value(s.d.Rows, "outage_hours_per_customer_fault", "sum", u, "", "", a))
		for _, t := range s.d.Profile.Targets {
			if t.Metric == "outage_hours_per_customer" && t.Where.Utility == u && slices.Contains(t.Where.AreaTypes, a) && t.Applies(s.d.Period) {
				targets[areaZH[a]+"目标 "+strconv.FormatFloat(t.Threshold, 'f', -1, 64)+"h"] = t.Threshold
			}
		}
	}
	bar := charts.NewBar()
	bar.SetGlobalOptions(baseOpts(u+"_outages_by_area", "户均停运时间", utilityZH[u]+" · 按区域类型 · 计划与故障", "区域类型", "小时")...)
	bar.SetXAxis(names).
		AddSeries("计划停运", barData(planned), charts.WithBarChartOpts(opts.BarChart{Stack: "hours"})).
		AddSeries("故障停运", barData(fault), charts.WithBarChartOpts(opts.BarChart{Stack: "hours"}), markLines(targets))
	return chart(bar.ChartID, bar)
}

// serviceChart: satisfaction and complaint closure by district.
func (s *site) serviceChart(u string) chartBlock {
	codes := make([]string, 0, len(s.d.Districts))
	for c := range s.d.Districts {
		codes = append(codes, c)
	}
	sort.Strings(codes)
	names := []string{"全部"}
	sat := []any{s.value(s.d.Rows, "satisfaction_rate", "rate", u, "", "", "")}
	closed := []any{s.value(s.d.Rows, "complaint_closure_rate", "rate", u, "", "", "")}
	for _, c := range codes {
		names = append(names, s.d.Districts[c])
		sat = append(sat, s.value(s.d.Rows, "satisfaction_rate", "rate", u, "", c, ""))
		closed = append(closed, s.value(s.d.Rows, "complaint_closure_rate", "rate", u, "", c, ""))
	}
	bar := charts.NewBar()
	bar.SetGlobalOptions(baseOpts(u+"_service", "好评率与投诉办结率", utilityZH[u]+" · 按区县", "区县", "比率（1 = 100%）")...)
	bar.SetXAxis(names).AddSeries("好评率", barData(sat)).AddSeries("投诉办结率", barData(closed), markLines(map[string]float64{"100%": 1}))
	return chart(bar.ChartID, bar)
}

// leakageChart: the leakage rate of each district against the 9/10/12 % lines
// (national aim, first and second grade of CJJ 92-2016).
func (s *site) leakageChart() chartBlock {
	codes := make([]string, 0, len(s.d.Districts))
	for c := range s.d.Districts {
		codes = append(codes, c)
	}
	sort.Strings(codes)
	names := []string{"全部"}
	values := []any{s.value(s.d.Rows, "leakage_rate", "rate", "water", "", "", "")}
	for _, c := range codes {
		names = append(names, s.d.Districts[c])
		values = append(values, s.value(s.d.Rows, "leakage_rate", "rate", "water", "", c, ""))
	}
	bar := charts.NewBar()
	bar.SetGlobalOptions(baseOpts("water_leakage", "漏损率", "按区县 · 9%、10%、12%参考线", "区县", "漏损率（1 = 100%）")...)
	bar.SetXAxis(names).AddSeries("漏损率", barData(values),
		markLines(map[string]float64{"国家目标 9%": 0.09, "一级 10%": 0.10, "二级 12%": 0.12}))
	return chart(bar.ChartID, bar)
}
