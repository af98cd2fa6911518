package reports

import (
	"fmt"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/xuri/excelize/v2"

	"github.com/utilscore/utilscore/domain"
	"github.com/utilscore/utilscore/metrics"
	"github.com/utilscore/utilscore/policy"
)

// trendPeriods is how many periods the trend shows, this one included.
const trendPeriods = 8

// TrendPeriod is one period of the trend: its connection and interruption figures,
// judged, and the method in force (the targets and their thresholds), so that a
// change of method shows as a break in the series.
type TrendPeriod struct {
	Period metrics.Period
	Rows   []metrics.Row
	Method string
}

// trendFamilies are the metric families the trend shows: connection time, outages and
// the leakage rate.
var trendFamilies = []string{"connection", "outages", "leakage"}

// method describes the targets in force in a period: two periods with different
// methods are not comparable without a note.
func method(prof *policy.Profile, p metrics.Period) string {
	var parts []string
	for _, t := range prof.Targets {
		if !t.Applies(p) {
			continue
		}
		limit := ""
		if t.Limit != nil {
			limit = strconv.FormatFloat(*t.Limit, 'f', -1, 64)
		}
		parts = append(parts, fmt.Sprintf("%s:%s%g:%s", t.Metric, t.Comparison, t.Threshold, limit))
	}
	sort.Strings(parts)
	return prof.ID + "|" + strings.Join(parts, ";")
}

// trendSeries is one column of the trend table: a utility's figure, or a target line.
type trendSeries struct {
	label     string
	metric    string
	statistic string
	utility   string
	area      string
	target    *float64 // a constant line: the profile's target on that figure
}

// trend writes the 趋势 sheet: the last eight periods of the median connection time
// and the interruption hours per customer of each utility, with the profile's
// utility-wide targets as lines where it sets them, and two native line charts.
func (w *writer) trend() error {
	if len(w.d.Trend) == 0 {
		return nil
	}
	type chartSpec struct {
		title, axis string
		series      []trendSeries
	}
	var charts []chartSpec
	perUtility := func(title, axis, metric, statistic string, utilities []string) chartSpec {
		c := chartSpec{title: title, axis: axis}
		for _, u := range utilities {
			if !w.shows(u) {
				continue
			}
			c.series = append(c.series, trendSeries{label: UtilityZH[u] + title, metric: metric, statistic: statistic, utility: u})
			if t := w.figureTarget(metric, statistic, u, ""); t != nil {
				c.series = append(c.series, trendSeries{label: UtilityZH[u] + "目标", target: t})
			}
		}
		return c
	}
	charts = append(charts,
		perUtility("接入总时长中位数", "工作日", "connection_time", "median", []string{"power", "water", "gas", "telecom"}),
		perUtility("户均停运时间", "小时", "outage_hours_per_customer", "sum", []string{"power", "water", "gas"}))
	// Where the profile sets interruption targets by area type (Zigong), the rolling
	// figure of each area against its target.
	for _, u := range []string{"power", "water", "gas"} {
		if !w.shows(u) {
			continue
		}
		c := chartSpec{title: UtilityZH[u] + "户均停运时间（滚动12个月，按区域）", axis: "小时"}
		for _, a := range []string{"urban_core", "urban", "town", "rural"} {
			if t := w.figureTarget("outage_hours_per_customer", "rolling_12m", u, a); t != nil {
				c.series = append(c.series,
					trendSeries{label: UtilityZH[u] + areaZH[a] + "户均停运时间", metric: "outage_hours_per_customer", statistic: "rolling_12m", utility: u, area: a},
					trendSeries{label: areaZH[a] + "目标", target: t})
			}
		}
		if len(c.series) > 0 {
			charts = append(charts, c)
		}
	}
	if w.shows("water") {
		c := chartSpec{title: "供水漏损率", axis: "%", series: []trendSeries{{label: "供水漏损率", metric: "leakage_rate", statistic: "rate", utility: "water"}}}
		for _, l := range domain.LeakageLines {
			c.series = append(c.series, trendSeries{label: l.Label, target: &l.Rate})
		}
		charts = append(charts, c)
	}
	cols := []column{{"期间", "period", ""}}
	for _, c := range charts {
		for _, s := range c.series {
			format := map[string]string{"小时": "dec2", "%": "pct"}[c.axis]
			if format == "" {
				format = "dec1"
			}
			cols = append(cols, column{s.label + "（" + c.axis + "）", strings.TrimSpace(s.metric + " " + s.statistic + " " + s.utility + " " + s.area), format})
		}
	}
	cols = append(cols, column{"口径变化", "break in series", ""})
	var rows [][]any
	for i, tp := range w.d.Trend {
		row := []any{tp.Period.Label}
		for _, c := range charts {
			for _, s := range c.series {
				if s.target != nil {
					row = append(row, *s.target)
					continue
				}
				row = append(row, w.trendValue(tp.Rows, s))
			}
		}
		note := ""
		if i > 0 && tp.Method != w.d.Trend[i-1].Method {
			note = "口径变化：目标与上期不同，不宜直接比较"
		}
		rows = append(rows, append(row, note))
	}
	if err := tableSheet(w.f, w.st, "趋势", w.head("趋势"), cols, rows); err != nil {
		return err
	}
	first, last := headerRow+2, headerRow+1+len(rows)
	col := 2
	for i, c := range charts {
		var cs []excelize.ChartSeries
		for _, s := range c.series {
			name, _ := excelize.ColumnNumberToName(col)
			line := excelize.ChartLine{Width: 2}
			if s.target != nil {
				line.Dash = excelize.ChartDashDash
			}
			cs = append(cs, excelize.ChartSeries{
				Name:       fmt.Sprintf("'趋势'!$%s$%d", name, headerRow),
				Categories: fmt.Sprintf("'趋势'!$A$%d:$A$%d", first, last),
				Values:     fmt.Sprintf("'趋势'!$%s$%d:$%s$%d", name, first, name, last),
				Line:       line,
			})
			col++
		}
		if len(cs) == 0 {
			continue
		}
		// Each chart starts a printed page, so none is cut in two.
		// (The break goes a row above the chart: a reader may place the chart's top
		// edge a few points higher than its anchor row.)
		anchor := cellName(1, last+3+i*20)
		if err := w.f.InsertPageBreak("趋势", cellName(1, last+2+i*20)); err != nil {
			return err
		}
		yAxis := excelize.ChartAxis{Title: []excelize.RichTextRun{{Text: c.axis}}, MajorGridLines: true}
		if c.axis == "%" {
			yAxis.NumFmt = excelize.ChartNumFmt{CustomNumFmt: "0%"}
		}
		err := w.f.AddChart("趋势", anchor, &excelize.Chart{
			Type: excelize.Line, Series: cs,
			Title:     []excelize.RichTextRun{{Text: c.title + "（近" + strconv.Itoa(trendPeriods) + "期，" + c.axis + "）"}},
			XAxis:     excelize.ChartAxis{Title: []excelize.RichTextRun{{Text: "期间"}}},
			YAxis:     yAxis,
			Legend:    excelize.ChartLegend{Position: "bottom"},
			Dimension: excelize.ChartDimension{Width: 720, Height: 340},
		})
		if err != nil {
			return err
		}
	}
	return nil
}

func (w *writer) trendValue(rows []metrics.Row, s trendSeries) any {
	r, ok := GeneralRow(rows, s.metric, s.statistic, s.utility, "", "", s.area)
	if !ok || r.Value == nil || w.suppressedIn(r, rows) {
		return ""
	}
	return *r.Value
}

// figureTarget is the profile's threshold on a utility's figure (as a whole, or for one
// area type), if it sets one in force in the period.
func (w *writer) figureTarget(metric, statistic, utility, area string) *float64 {
	for _, t := range w.d.Profile.Targets {
		inArea := len(t.Where.AreaTypes) == 0 && area == "" || area != "" && slices.Contains(t.Where.AreaTypes, area)
		if t.Metric == metric && t.Statistic == statistic && t.Where.Utility == utility && len(t.Where.Classes) == 0 &&
			inArea && t.Applies(w.d.Period) {
			v := t.Threshold
			return &v
		}
	}
	return nil
}
