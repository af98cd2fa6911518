package printout

import (
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/utilscore/utilscore/domain"
	"github.com/utilscore/utilscore/metrics"
	"github.com/utilscore/utilscore/reports"
)

// figures are the report's charts: the district scores (internal), the trend, and
// per utility its connection times, interruptions, ratings and leakage.
func (b *builder) figures() []figure {
	var out []figure
	if !b.public() && b.utility == "" {
		out = append(out, b.districtScores())
	}
	out = append(out, b.trend())
	for _, u := range b.utilities {
		out = append(out, b.connectionByClass(u))
		if u != "telecom" {
			out = append(out, b.outagesByArea(u))
		}
		out = append(out, b.satisfaction(u))
		if u == "water" {
			out = append(out, b.leakage())
		}
	}
	var kept []figure
	for _, f := range out {
		if f.SVG != "" {
			kept = append(kept, f)
		}
	}
	return kept
}

func (b *builder) districtScores() figure {
	c := barChart{Places: 1, Unit: "分"}
	type ds struct {
		code  string
		score float64
	}
	var all []ds
	for _, s := range b.d.Scores {
		if s.Scope == "district" {
			all = append(all, ds{s.Key, s.Score})
		}
	}
	sort.SliceStable(all, func(i, j int) bool { return all[i].score > all[j].score })
	for _, d := range all {
		v := d.score
		c.Bars = append(c.Bars, bar{Label: b.districtName(d.code), Value: &v})
	}
	f := figure{ID: "district-scores", Title: "各区县得分（满分100）", Caption: "各项目标按权重计分，由高到低排列。"}
	if len(c.Bars) > 0 {
		f.SVG = c.SVG(f.Title)
	}
	return f
}

// trend: the median connection time of each utility over the last eight periods.
func (b *builder) trend() figure {
	c := lineChart{Unit: "个工作日", Places: 1}
	for _, tp := range b.d.Trend {
		c.Periods = append(c.Periods, tp.Period.Label)
	}
	for _, u := range b.utilities {
		s := series{Label: domain.Or(domain.UtilityZH, u)}
		any := false
		for _, tp := range b.d.Trend {
			r, ok := reports.GeneralRow(tp.Rows, "connection_time", "median", u, "", "", "")
			if !ok || r.Value == nil || b.hidden(r) {
				s.Values = append(s.Values, nil)
				continue
			}
			v := *r.Value
			s.Values = append(s.Values, &v)
			any = true
		}
		if any {
			c.Series = append(c.Series, s)
		}
	}
	f := figure{ID: "trend", Title: "接入时长中位数趋势（近8期）", Caption: "各行业本期及此前各期接入工单的接入时长中位数；断线处为该期无数据。"}
	if len(c.Series) > 0 {
		f.SVG = c.SVG(f.Title)
	}
	return f
}

// connectionByClass: the median connection time of each class against its limit.
func (b *builder) connectionByClass(u string) figure {
	var classes []string
	for _, r := range b.d.Rows {
		if r.TargetID == "" && r.Utility == u && r.MetricID == "connection_time" && r.Statistic == "median" && r.CustomerClass != "" &&
			r.District == "" && r.AreaType == "" && !slices.Contains(classes, r.CustomerClass) {
			classes = append(classes, r.CustomerClass)
		}
	}
	sort.Strings(classes)
	c := barChart{Places: 1, Unit: "个工作日", MarkerLabel: "单件时限"}
	if u == "telecom" {
		c.Unit = "小时"
	}
	for _, cl := range classes {
		r, _ := reports.GeneralRow(b.d.Rows, "connection_time", "median", u, cl, "", "")
		br := bar{Label: domain.Or(domain.ClassZH, cl), Value: r.Value, Suppressed: b.hidden(r), Marker: b.classLimit(u, cl)}
		if br.Marker != nil && r.Value != nil {
			br.Status = metrics.StatusMet
			if *r.Value > *br.Marker {
				br.Status = metrics.StatusMissed
			}
		}
		c.Bars = append(c.Bars, br)
	}
	f := figure{ID: u + "-connection", Title: domain.Or(domain.UtilityZH, u) + "：各客户类别接入时长中位数",
		Caption: "条形为本期接入工单的接入时长中位数，菱形为政策规定的单件时限；中位数超过时限的以红色表示。"}
	if len(c.Bars) > 0 {
		f.SVG = c.SVG(f.Title)
	}
	return f
}

// classLimit is the per-case time limit the profile sets for all of a class's
// connections, if any.
func (b *builder) classLimit(u, class string) *float64 {
	for _, t := range b.d.Profile.Targets {
		if (t.Metric == "connection_time" || t.Metric == "connection_time_excl_works") && t.Statistic == "share_within" && t.Limit != nil &&
			t.Where.Utility == u && t.Applies(b.d.Period) && (len(t.Where.Classes) == 0 || slices.Contains(t.Where.Classes, class)) &&
			t.Where.LowRisk == nil && t.Where.BusinessTypes == nil && t.Where.ExternalWorks == nil {
			v := *t.Limit
			return &v
		}
	}
	return nil
}

// outagesByArea: the interruption hours per customer by area type, with the targets.
func (b *builder) outagesByArea(u string) figure {
	c := barChart{Places: 2, Unit: "小时"}
	for _, a := range []string{"urban_core", "urban", "town", "rural"} {
		r, ok := reports.GeneralRow(b.d.Rows, "outage_hours_per_customer", "sum", u, "", "", a)
		if !ok {
			continue
		}
		c.Bars = append(c.Bars, bar{Label: domain.Or(domain.AreaZH, a), Value: r.Value, Suppressed: b.hidden(r)})
	}
	seen := map[float64]bool{}
	for _, t := range b.d.Profile.Targets {
		if t.Metric == "outage_hours_per_customer" && t.Where.Utility == u && t.Applies(b.d.Period) && !seen[t.Threshold] {
			seen[t.Threshold] = true
			c.Lines = append(c.Lines, refLine{"目标" + strconv.FormatFloat(t.Threshold, 'f', -1, 64) + "小时", t.Threshold})
		}
	}
	f := figure{ID: u + "-outages", Title: domain.Or(domain.UtilityZH, u) + "：各区域类型户均停电时间",
		Caption: "本期计划与故障停电合计的户均停电时间（小时）；竖线为政策目标。"}
	if u != "power" {
		f.Title = domain.Or(domain.UtilityZH, u) + "：各区域类型户均停运时间"
		f.Caption = "本期计划与突发停运合计的户均停运时间（小时）；竖线为政策目标。"
	}
	if len(c.Bars) > 0 {
		f.SVG = c.SVG(f.Title)
	}
	return f
}

func (b *builder) districtCodes() []string {
	codes := make([]string, 0, len(b.d.Districts))
	for c := range b.d.Districts {
		codes = append(codes, c)
	}
	sort.Strings(codes)
	return codes
}

// districtBars are a rate's bars: all districts, then each district, by code.
func (b *builder) districtBars(metric, u string) []bar {
	var bars []bar
	add := func(label, district string) {
		r, ok := reports.GeneralRow(b.d.Rows, metric, "rate", u, "", district, "")
		if !ok {
			return
		}
		bars = append(bars, bar{Label: label, Value: r.Value, Suppressed: b.hidden(r)})
	}
	add("全部区县", "")
	for _, code := range b.districtCodes() {
		add(b.districtName(code), code)
	}
	return bars
}

// satisfaction: the share of good ratings in each district.
func (b *builder) satisfaction(u string) figure {
	c := barChart{Percent: true, Places: 1, Lines: []refLine{{"100%", 1}}, Bars: b.districtBars("satisfaction_rate", u)}
	f := figure{ID: u + "-satisfaction", Title: domain.Or(domain.UtilityZH, u) + "：各区县好评率",
		Caption: "本期好差评中好评所占比例。"}
	if len(c.Bars) > 0 {
		f.SVG = c.SVG(f.Title)
	}
	return f
}

// leakage: each district's leakage rate against the national aim and the grades.
func (b *builder) leakage() figure {
	c := barChart{Percent: true, Places: 1, Bars: b.districtBars("leakage_rate", "water")}
	var names []string
	for _, l := range domain.LeakageLines {
		c.Lines = append(c.Lines, refLine{l.Label, l.Rate})
		names = append(names, l.Label)
	}
	f := figure{ID: "water-leakage", Title: "供水：各区县漏损率", Caption: "竖线为" + strings.Join(names, "、") + "（CJJ 92-2016）。"}
	if len(c.Bars) > 0 {
		f.SVG = c.SVG(f.Title)
	}
	return f
}
