package printout

import (
	"fmt"
	"math"
	"sort"
	"strconv"

	"github.com/utilscore/utilscore/domain"
	"github.com/utilscore/utilscore/metrics"
	"github.com/utilscore/utilscore/reports"
)

// scorecard is every target in force, in words, with its figure, utility by utility,
// and the one-line summary of the period.
func (b *builder) scorecard() ([]scoreGroup, []string) {
	groups := map[string]*scoreGroup{}
	var order []string
	counts := map[string]int{}
	add := func(u string, row scoreRow) {
		g, ok := groups[u]
		if !ok {
			g = &scoreGroup{Utility: domain.Or(domain.UtilityZH, u)}
			groups[u] = g
			order = append(order, u)
		}
		counts[row.StatusClass]++
		g.Rows = append(g.Rows, row)
	}
	for _, t := range b.targetsInForce() {
		statement := t.Statement(b.defs)
		rows := b.targetRows(t.ID)
		if len(rows) == 0 && b.shows(t.Where.Utility) {
			add(t.Where.Utility, scoreRow{ID: t.ID, Key: t.ID, Statement: statement, Source: b.d.Profile.Cite(t.Source), Status: "无数据", StatusClass: metrics.StatusNoData, Value: "无数据"})
		}
		for _, r := range rows {
			row := scoreRow{ID: t.ID, Key: t.ID, Statement: statement, Source: b.d.Profile.Cite(t.Source), row: r}
			// A target judged per utility or per area type has a row for each: named apart.
			if r.Utility != t.Where.Utility {
				row.Key += "__" + r.Utility
			}
			if r.AreaType != "" && len(t.Where.AreaTypes) > 1 {
				row.Key += "__" + r.AreaType
				row.Statement += "（" + domain.Or(domain.AreaZH, r.AreaType) + "）"
			}
			row.Value = b.valueText(r)
			row.Count = b.countText(r)
			row.Median = b.medianText(t.Metric, r)
			row.Status, row.StatusClass = b.statusText(r)
			row.Change = b.changeText(r, b.d.PrevQuarter)
			add(r.Utility, row)
		}
	}
	sort.SliceStable(order, func(i, j int) bool { return utilityRank(order[i]) < utilityRank(order[j]) })
	out := make([]scoreGroup, 0, len(order))
	n := 0
	for _, u := range order {
		g := *groups[u]
		for i := range g.Rows {
			n++
			g.Rows[i].No = n // numbered as printed
		}
		out = append(out, g)
	}
	summary := []string{fmt.Sprintf("本期在施行的目标共 %d 项：达标 %d 项，未达标 %d 项，无数据 %d 项。", n,
		counts[metrics.StatusMet], counts[metrics.StatusMissed], counts[metrics.StatusNoData])}
	if hidden := counts[""]; hidden > 0 {
		summary = append(summary, fmt.Sprintf("另有 %d 项因样本不足5件不予公开。", hidden))
	}
	return out, summary
}

// utilityRank orders utilities as the outputs do, the targets across utilities last.
func utilityRank(u string) int {
	for i, v := range domain.Utilities {
		if v == u {
			return i
		}
	}
	return len(domain.Utilities)
}

// medianText is the median beside a case-time target: that of the target's group
// when the metrics give one (no class, or a single class).
func (b *builder) medianText(metric string, r metrics.Row) string {
	if r.Statistic != "share_within" || b.defs[metric].Unit == "" || b.defs[metric].Unit == "rate" || b.defs[metric].Unit == "count" {
		return ""
	}
	m, ok := reports.GeneralRow(b.d.Rows, metric, "median", r.Utility, r.CustomerClass, "", r.AreaType)
	if !ok || m.Value == nil || b.hidden(m) {
		return ""
	}
	return "中位数" + b.valueText(m)
}

// headline is each utility's main figures in one table, with its targets met of
// those in the scorecard.
func (b *builder) headline(groups []scoreGroup) table {
	t := table{Header: []string{"行业", "目标达标", "接入时长中位数", "户均停电时间", "好评率", "投诉办结率", "漏损率"}}
	if !b.public() {
		t.Header = append(t.Header[:1], append([]string{"得分（满分100）"}, t.Header[1:]...)...)
	}
	for _, u := range b.utilities {
		met, judged := 0, 0
		for _, g := range groups {
			for _, s := range g.Rows {
				if s.row.Utility == u && s.row.TargetID != "" {
					judged++
					if s.StatusClass == metrics.StatusMet {
						met++
					}
				}
			}
		}
		row := []cell{{Text: domain.Or(domain.UtilityZH, u)}}
		if !b.public() {
			score := cell{Text: "—", Class: "num"}
			for _, s := range b.d.Scores {
				if s.Scope == "utility" && s.Key == u {
					score.Text = strconv.FormatFloat(s.Score, 'f', 1, 64)
				}
			}
			row = append(row, score)
		}
		row = append(row, cell{Text: fmt.Sprintf("%d/%d项", met, judged), Class: "num"})
		for _, f := range [][2]string{{"connection_time", "median"}, {"outage_hours_per_customer", "sum"},
			{"satisfaction_rate", "rate"}, {"complaint_closure_rate", "rate"}, {"leakage_rate", "rate"}} {
			c := cell{Text: "—", Class: "num"}
			if r, ok := reports.GeneralRow(b.d.Rows, f[0], f[1], u, "", "", ""); ok && r.Value != nil {
				c.Text = b.valueText(r)
			}
			row = append(row, c)
		}
		t.Rows = append(t.Rows, row)
	}
	return t
}

// disclosureGroups are the rows of the disclosure table of a utility: the whole, each
// district, and for power each area type.
func (b *builder) disclosureGroups(u string) [][2]string {
	groups := [][2]string{{"", ""}}
	codes := make([]string, 0, len(b.d.Districts))
	for c := range b.d.Districts {
		codes = append(codes, c)
	}
	sort.Strings(codes)
	for _, c := range codes {
		groups = append(groups, [2]string{c, ""})
	}
	if u == "power" {
		for _, a := range []string{"urban_core", "urban", "town", "rural"} {
			groups = append(groups, [2]string{"", a})
		}
	}
	return groups
}

// disclosure is the table a utility must publish each quarter, as the workbooks' 信息公开.
func (b *builder) disclosure() table {
	t := table{Header: []string{"行业", "区县或区域类型", "计划停运次数", "突发停运次数", "户均停运时间（小时）", "漏损率"}}
	for _, u := range []string{"water", "power", "gas"} {
		if !b.shows(u) {
			continue
		}
		for _, g := range b.disclosureGroups(u) {
			label := b.districtName(g[0])
			if g[1] != "" {
				label = domain.Or(domain.AreaZH, g[1]) + "区域"
			}
			row := []cell{{Text: domain.Or(domain.UtilityZH, u)}, {Text: label, Class: "name"}}
			for _, f := range [][2]string{{"planned_stop_count", "count"}, {"sudden_stop_count", "count"}, {"outage_hours_per_customer", "sum"}, {"leakage_rate", "rate"}} {
				c := cell{Text: "", Class: "num"}
				if f[0] == "leakage_rate" && (u != "water" || g[1] != "") {
					row = append(row, c)
					continue
				}
				if r, ok := reports.GeneralRow(b.d.Rows, f[0], f[1], u, "", g[0], g[1]); ok {
					c.Text = b.number(r) // the header holds the unit
				}
				row = append(row, c)
			}
			t.Rows = append(t.Rows, row)
		}
	}
	return t
}

// missed lists every missed target with the districts behind the miss, worst first.
func (b *builder) missed(groups []scoreGroup) []missedTarget {
	var out []missedTarget
	for _, g := range groups {
		for _, s := range g.Rows {
			if s.StatusClass != metrics.StatusMissed {
				continue
			}
			m := missedTarget{No: s.No, ID: s.ID, Key: s.Key, Statement: s.Statement, Value: s.Value, Count: s.Count, Source: s.Source, row: s.row}
			var rows []metrics.Row
			for _, r := range b.d.Rows {
				if r.TargetID == s.ID && r.District != "" && r.Utility == s.row.Utility && r.AreaType == s.row.AreaType {
					rows = append(rows, r)
				}
			}
			// A hidden figure's rank would tell what the figure hides: those go last, by code.
			sort.SliceStable(rows, func(i, j int) bool {
				if hi, hj := b.hidden(rows[i]), b.hidden(rows[j]); hi || hj {
					return !hi && hj
				}
				return shortfall(rows[i]) > shortfall(rows[j])
			})
			m.Districts = table{Header: []string{"区县", "数值", "件数", "达标情况"}}
			for _, r := range rows {
				status, class := b.statusText(r)
				count := b.countText(r)
				if count == "" {
					count = strconv.FormatInt(r.N, 10) + "件"
					if b.hidden(r) {
						count = "<5"
					}
				}
				m.Districts.Rows = append(m.Districts.Rows, []cell{{Text: b.districtName(r.District)},
					{Text: b.valueText(r), Class: "num"}, {Text: count, Class: "num"}, {Text: status, Class: class}})
			}
			out = append(out, m)
		}
	}
	return out
}

// shortfall is how much a district's figure adds to the miss: for a share, the
// records short of the target (a district of 8 cases at 37.5 % weighs more than one
// of 2 at 0 %); for another figure, its distance past the target. Districts that met
// it, or have no figure, come last.
func shortfall(r metrics.Row) float64 {
	if r.Value == nil || r.Target == nil || r.Status != metrics.StatusMissed {
		return math.Inf(-1)
	}
	gap := *r.Target - *r.Value
	if r.Comparison == "<=" || r.Comparison == "<" {
		gap = -gap
	}
	if isShare(r) {
		return gap * float64(r.N)
	}
	return gap
}

// notes are the profile's notes and, for the public, the suppression rule.
func (b *builder) notes() []string {
	var out []string
	if b.public() {
		out = append(out, fmt.Sprintf("样本少于%d件的数值以“<5”表示、图中留空并标注，以免识别个别用户；"+
			"停电与漏损数值描述的是管网而非用户，始终公开。", domain.MinPublicGroup))
	}
	out = append(out, "各项指标的计算口径见同期工作簿“口径说明”页。")
	out = append(out, b.d.Profile.Notes...)
	return out
}
