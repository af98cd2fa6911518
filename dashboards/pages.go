package dashboards

import (
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/go-echarts/go-echarts/v2/charts"
	"github.com/go-echarts/go-echarts/v2/opts"

	"github.com/utilscore/utilscore/domain"
	"github.com/utilscore/utilscore/metrics"
	"github.com/utilscore/utilscore/reports"
)

// The labels of codes are the domain's.
var (
	classZH = domain.ClassZH
	areaZH  = domain.AreaZH
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
		// The public counts the targets it sees missed, and is told how many it cannot see.
		missed, unseen := 0, 0
		for _, r := range s.d.Rows {
			if r.Utility != u || r.District != "" || r.Target == nil {
				continue
			}
			switch {
			case s.suppressed(s.d.Rows, r):
				unseen++
			case r.Status == metrics.StatusMissed:
				missed++
			}
		}
		missedCell := s.missedCell(u, missed)
		if unseen > 0 {
			missedCell.Text += "（另" + strconv.Itoa(unseen) + "项样本不足5件）"
		}
		score := cell{Text: "—"}
		if v, ok := scores[u]; ok && s.audience != "public" {
			score = cell{Text: strconv.FormatFloat(v, 'f', 1, 64), Class: "num " + scoreClass(v)}
		}
		headline.Rows = append(headline.Rows, []cell{{Text: utilityZH[u]}, score,
			s.numCell(s.d.Rows, "connection_time", "median", u, 1, false), s.numCell(s.d.Rows, "outage_hours_per_customer", "sum", u, 2, false),
			s.numCell(s.d.Rows, "satisfaction_rate", "rate", u, 1, true), s.numCell(s.d.Rows, "complaint_closure_rate", "rate", u, 1, true),
			s.numCell(s.d.Rows, "leakage_rate", "rate", u, 1, true), missedCell})
	}
	p.Tables = append(p.Tables, headline)
	p.Missed = s.missedTables("")
	p.Tables = append(p.Tables, s.paceTables()...)
	if s.audience != "public" {
		p.Charts = append(p.Charts, s.districtRanking())
	}
	p.Notes = append(p.Notes, "各图右上角“数据表”按钮可查看图表数据。", "口径见工作簿“口径说明”页。")
	if s.audience == "public" {
		p.Notes = append(p.Notes, "样本少于5件的分组不公开（表中为“<5”，图中为标注“<5”的灰色区域），以免识别个别用户；"+
			"为防止用合计减去其余分组反推，同一合计下另有记录数最少的分组一并不公开。")
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
	r, ok := reports.GeneralRow(rows, metric, statistic, utility, "", "", "")
	if ok && s.suppressed(rows, r) {
		return cell{Text: Suppressed, Class: "num suppressed"}
	}
	if !ok || r.Value == nil {
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
	// Lowest first: a horizontal chart draws its first category at the bottom, so the
	// best district is on top. Names sit on the vertical axis, each on its own line,
	// readable at a phone's width.
	sort.Slice(ds, func(i, j int) bool { return ds[i].score < ds[j].score })
	var names []string
	var values []any
	for _, d := range ds {
		names = append(names, d.name)
		values = append(values, round(d.score, 1))
	}
	bar := charts.NewBar()
	bar.SetGlobalOptions(baseOpts("district_ranking", "区县得分排名", "各项目标加权，满分100", "得分（满分100）", "区县")...)
	bar.SetXAxis(names).AddSeries("得分", barData(values), charts.WithMarkLineNameXAxisItemOpts(opts.MarkLineNameXAxisItem{Name: "90分", XAxis: 90}))
	bar.XYReversal()
	return chart(bar.ChartID, bar, lineLabels, func(o map[string]any) {
		if ml, ok := seriesAt(o, 0)["markLine"].(map[string]any); ok {
			ml["label"].(map[string]any)["position"] = "end"
		}
		for _, a := range asAxes(o["yAxis"]) {
			a["axisLabel"] = map[string]any{"interval": 0}
		}
		for _, a := range asAxes(o["xAxis"]) {
			a["max"] = 100
			a["nameLocation"] = "middle"
			a["nameGap"] = 28
		}
		o["grid"] = map[string]any{"left": 8, "right": 24, "bottom": 64, "containLabel": true}
	})
}

// utilityPage holds a utility's charts.
func (s *site) utilityPage(u string) page {
	p := page{Title: utilityZH[u] + " · " + s.d.Period.Label, Subtitle: s.subtitle(), Nav: s.nav(), Tables: []table{s.targetTable(u)}}
	p.Charts = append(p.Charts, s.connectionByClass(u), s.distribution(u), s.trendChart(u))
	if u != "telecom" {
		p.Charts = append(p.Charts, s.outagesByArea(u))
	}
	p.Charts = append(p.Charts, s.serviceCharts(u)...)
	if u == "water" {
		p.Charts = append(p.Charts, s.leakageChart())
	}
	p.Missed = s.missedTables(u)
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
	var hidden []bool
	for _, c := range classes {
		name := classZH[c]
		if name == "" { // a class the labels do not know yet shows its code
			name = c
		}
		names = append(names, name)
		v, h := s.figure(s.d.Rows, "connection_time", "median", u, c, "", "")
		medians, hidden = append(medians, v), append(hidden, h)
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
	return chart(bar.ChartID, bar, gaps(0, "xAxis", names, hidden), phoneLabels)
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
	var hidden []bool
	bins := s.d.Histogram[u]
	for i := 0; i < metrics.HistogramBins; i++ {
		name := strconv.Itoa(i) + "–" + strconv.Itoa(i+1)
		if i == metrics.HistogramBins-1 {
			name = strconv.Itoa(i) + "+"
		}
		names = append(names, name)
		var n any
		h := false
		if i < len(bins) {
			n = bins[i]
			if s.pub != nil && s.pub.HiddenBin(u, i) {
				n, h = nil, true
			}
		}
		counts, hidden = append(counts, n), append(hidden, h)
	}
	bar := charts.NewBar()
	bar.SetGlobalOptions(baseOpts(u+"_distribution", "接入时长分布", utilityZH[u]+" · 本期接入的工单", "工作日", "工单数（件）")...)
	bar.SetXAxis(names).AddSeries("工单数", barData(counts))
	return chart(bar.ChartID, bar, binGaps(0, names, hidden, counts))
}

// trendChart: the last eight periods of the median connection time.
func (s *site) trendChart(u string) chartBlock {
	var periods []string
	var values []any
	var hidden []bool
	for _, tp := range s.d.Trend {
		periods = append(periods, tp.Period.Label)
		v, h := s.figure(tp.Rows, "connection_time", "median", u, "", "", "")
		values, hidden = append(values, v), append(hidden, h)
	}
	line := charts.NewLine()
	line.SetGlobalOptions(baseOpts(u+"_trend", "接入时长趋势", utilityZH[u]+" · 中位数 · 近8期", "期间", "工作日")...)
	line.SetXAxis(periods).AddSeries("中位数", lineData(values))
	return chart(line.ChartID, line, gaps(0, "xAxis", periods, hidden), phoneLabels)
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
	return chart(bar.ChartID, bar, lineLabels, phoneLabels)
}

// serviceCharts: satisfaction and complaint closure by district, one chart each so a
// hidden district's band covers only its own figure.
func (s *site) serviceCharts(u string) []chartBlock {
	return []chartBlock{
		s.byDistrict(u+"_service", "好评率", "satisfaction_rate", u, map[string]float64{"100%": 1}),
		s.byDistrict(u+"_complaints", "投诉办结率", "complaint_closure_rate", u, map[string]float64{"100%": 1}),
	}
}

// byDistrict draws a rate of the whole utility and of each district, in per cent,
// against reference lines (name → fraction).
func (s *site) byDistrict(id, title, metric, u string, lines map[string]float64) chartBlock {
	codes := make([]string, 0, len(s.d.Districts))
	for c := range s.d.Districts {
		codes = append(codes, c)
	}
	sort.Strings(codes)
	names := []string{"全部"}
	v, h := s.figure(s.d.Rows, metric, "rate", u, "", "", "")
	values, hidden := []any{pct(v)}, []bool{h}
	for _, c := range codes {
		names = append(names, s.d.Districts[c])
		v, h := s.figure(s.d.Rows, metric, "rate", u, "", c, "")
		values, hidden = append(values, pct(v)), append(hidden, h)
	}
	percent := map[string]float64{}
	for name, x := range lines {
		percent[name] = round(x*100, 2)
	}
	bar := charts.NewBar()
	bar.SetGlobalOptions(baseOpts(id, title, utilityZH[u]+" · 按区县", "区县", "%")...)
	bar.SetXAxis(names).AddSeries(title, barData(values), markLines(percent))
	return chart(bar.ChartID, bar, percentAxis("yAxis"), lineLabels, gaps(0, "xAxis", names, hidden), phoneLabels)
}

// leakageChart: the leakage rate of each district against the domain's leakage lines
// (national aim, first and second grade of CJJ 92-2016).
func (s *site) leakageChart() chartBlock {
	codes := make([]string, 0, len(s.d.Districts))
	for c := range s.d.Districts {
		codes = append(codes, c)
	}
	sort.Strings(codes)
	names := []string{"全部"}
	values := []any{pct(s.value(s.d.Rows, "leakage_rate", "rate", "water", "", "", ""))}
	for _, c := range codes {
		names = append(names, s.d.Districts[c])
		values = append(values, pct(s.value(s.d.Rows, "leakage_rate", "rate", "water", "", c, "")))
	}
	lines := map[string]float64{}
	var rates []string
	for _, l := range domain.LeakageLines {
		rate := pctName(l.Rate)
		lines[strings.TrimSuffix(l.Label, rate)+" "+rate] = round(l.Rate*100, 2)
		rates = append(rates, rate)
	}
	bar := charts.NewBar()
	bar.SetGlobalOptions(baseOpts("water_leakage", "漏损率", "按区县 · "+strings.Join(rates, "、")+"参考线", "区县", "%")...)
	bar.SetXAxis(names).AddSeries("漏损率", barData(values), markLines(lines))
	return chart(bar.ChartID, bar, percentAxis("yAxis"), lineLabels, phoneLabels)
}
