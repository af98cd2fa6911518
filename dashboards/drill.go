package dashboards

import (
	"strconv"
	"strings"

	"github.com/utilscore/utilscore/domain"
	"github.com/utilscore/utilscore/metrics"
	"github.com/utilscore/utilscore/reports"
)

// pageRecords is how many missed records a page lists per target: the full list is
// in the workbook's 未达标明细 and in utilscore explain.
const pageRecords = 100

// missedTarget is a missed target as the pages show it: its breakdown and the head of
// its list of missed records.
type missedTarget = reports.Summary

// drillAudience tells whether a build shows the drill-down: internal builds for those
// who act on a miss (regulators and utilities), never the public.
func drillAudience(audience string) bool {
	return audience == reports.Regulator || audience == reports.Utility
}

// collectMissed traces the period's missed targets once for every page, grouped by
// utility ("" for a figure across utilities, shown on the regulators' index only).
func collectMissed(d *reports.Data, audience string) (map[string][]missedTarget, error) {
	out := map[string][]missedTarget{}
	if !drillAudience(audience) || d.Missed == nil {
		return out, nil
	}
	all, err := d.Missed.Summarize("", pageRecords)
	for _, m := range all {
		u := m.Missed.Row.Utility
		if u == "" && audience != reports.Regulator {
			continue // it mixes utilities: a utility's own build leaves it out
		}
		out[u] = append(out[u], m)
	}
	return out, err
}

// anchor is the id of a missed target's section on its page.
func anchor(m missedTarget) string {
	id := "missed-" + m.Missed.Target.ID
	if m.Missed.Row.AreaType != "" {
		id += "-" + m.Missed.Row.AreaType
	}
	return id
}

// missedLink links the missed targets of a utility ("" = across utilities) from
// elsewhere: the section that lists them.
func missedLink(utility string) string {
	if utility == "" {
		return "index.html#missed"
	}
	return utility + ".html#missed"
}

// missedTables are the sections of a page for its missed targets: a list that links
// each to its breakdown, then per target its largest groups and the cases or tickets
// that missed it.
func (s *site) missedTables(utility string) []table {
	ms := s.missed[utility]
	if len(ms) == 0 {
		return nil
	}
	defs := map[string]metrics.Definition{}
	for _, d := range s.d.Definitions {
		defs[d.ID] = d
	}
	list := table{ID: "missed", Caption: "本期未达标目标（点击查看分布和明细）", Header: []string{"目标", "本期", "依据"}}
	out := []table{}
	for _, m := range ms {
		statement := m.Missed.Target.Statement(defs)
		if m.Missed.Row.AreaType != "" {
			statement += "（" + domain.Or(domain.AreaZH, m.Missed.Row.AreaType) + "）"
		}
		list.Rows = append(list.Rows, []cell{{Text: statement, Href: "#" + anchor(m), Class: "wrap"},
			{Text: reports.FigureText(m.Traced), Class: "missed wrap"}, {Text: s.d.Profile.Cite(m.Missed.Target.Source)}})
		out = append(out, s.breakdownTable(m, statement))
		if m.Breakdown.Traced {
			out = append(out, s.recordTable(m))
		}
	}
	out = append([]table{list}, out...)
	// A name may hold a line or paragraph separator (U+2028, U+2029): harmless in
	// HTML text, but no page carries one raw, and in a cell it only breaks the line.
	for _, t := range out {
		for _, row := range t.Rows {
			for i := range row {
				row[i].Text = lineSeparators.Replace(row[i].Text)
			}
		}
	}
	return out
}

var lineSeparators = strings.NewReplacer("\u2028", " ", "\u2029", " ")

// breakdownTable: the groups that contribute most to one miss.
func (s *site) breakdownTable(m missedTarget, statement string) table {
	t := table{ID: anchor(m), Caption: statement + " —— 未达标分布", Header: []string{"分组", "情况"}}
	for _, c := range reports.TopGroups(m.Traced, 5) {
		t.Rows = append(t.Rows, []cell{{Text: reports.DimensionZH[c.Dimension]}, {Text: reports.GroupText(m.Traced, c, s.d.Districts), Class: "wrap"}})
	}
	if !m.Breakdown.Traced {
		t.Rows = append(t.Rows, []cell{{Text: "说明"}, {Text: "该指标按停电、评价或水量汇总计算，不逐件列示。", Class: "wrap"}})
	}
	return t
}

// recordTable: the first of the records that missed, furthest past the limit first.
func (s *site) recordTable(m missedTarget) table {
	unit := reports.RecordUnitZH(m.Breakdown.RecordUnit)
	caption := "未达标明细：共" + strconv.FormatInt(m.Breakdown.Missed, 10) + "件"
	if m.Breakdown.Missed > int64(len(m.Records)) {
		caption += "，此处列出超出最多的" + strconv.Itoa(len(m.Records)) + "件，全部见工作簿“未达标明细”页"
	}
	t := table{Caption: caption, Header: []string{"编号", "类型", "区县", "客户类别", "开始时间", "结束时间",
		"实际值（" + unit + "）", "限值", "超出", "联系电话"}}
	loc := s.d.Period.Start.Location()
	num := func(x *float64) cell {
		if x == nil {
			return cell{Text: "无数据", Class: "num no_data"}
		}
		return cell{Text: strconv.FormatFloat(*x, 'f', -1, 64), Class: "num"}
	}
	round2 := func(x *float64) *float64 {
		if x == nil {
			return nil
		}
		v := round(*x, 2)
		return &v
	}
	for _, r := range m.Records {
		district := r.District
		if name := s.d.Districts[r.District]; name != "" {
			district += " " + name
		}
		end := cell{Text: reports.RecordEnd(r, loc)}
		if r.End == nil {
			end.Class = "missed"
		}
		t.Rows = append(t.Rows, []cell{{Text: r.ID}, {Text: domain.Or(reports.RecordKindZH, r.Kind)}, {Text: district}, {Text: reports.RecordClassZH(r)},
			{Text: r.Start.In(loc).Format("2006-01-02 15:04")}, end, num(round2(r.Value)), num(r.Limit), num(round2(r.Over)), {Text: r.Phone}})
	}
	return t
}

// missedCell is a utility's count of missed targets, linked to their breakdowns where
// the build shows them.
func (s *site) missedCell(utility string, missed int) cell {
	c := cell{Text: strconv.Itoa(missed), Class: "num"}
	if len(s.missed[utility]) > 0 {
		c.Href = missedLink(utility)
	}
	return c
}
