package printout

import (
	"math"
	"strconv"

	"github.com/utilscore/utilscore/domain"
	"github.com/utilscore/utilscore/pace"
	"github.com/utilscore/utilscore/reports"
)

// printGroups is how many groups of each dimension a missed target names, and
// printRecords how many of its missed records it lists: the full list is in the
// workbook's 未达标明细.
const (
	printGroups  = 3
	printRecords = 20
)

// drillAudience tells whether a report shows the drill-down: those who act on a miss
// (regulators and utilities), never the public.
func drillAudience(audience string) bool {
	return audience == reports.Regulator || audience == reports.Utility
}

// paceAudience tells whether a report shows the year's pace: the regulators and the
// office that follow the year's targets.
func paceAudience(audience string) bool {
	return audience == reports.Regulator || audience == reports.Office
}

// drillKey names a traced miss as the scorecard keys its row: the target, the
// utility and the area type it judges.
type drillKey struct{ target, utility, area string }

// trace reads the drill-down of the report's missed targets (a utility's report: its
// own), with the first records of each.
func (b *builder) trace() (map[drillKey]*reports.Summary, error) {
	out := map[drillKey]*reports.Summary{}
	if !drillAudience(b.audience) || b.d.Missed == nil {
		return out, nil
	}
	all, err := b.d.Missed.Summarize(b.utility, printRecords)
	for i := range all {
		m := &all[i]
		out[drillKey{m.Missed.Target.ID, m.Missed.Row.Utility, m.Missed.Row.AreaType}] = m
	}
	return out, err
}

// drillOf lays out a missed target's drill-down: its figure, its largest groups, and
// the records that missed it, furthest past the limit first.
func (b *builder) drillOf(m *reports.Summary) *drill {
	dr := &drill{Figure: reports.FigureText(m.Traced), Groups: table{Header: []string{"分组", "情况"}}}
	for _, c := range reports.TopGroups(m.Traced, printGroups) {
		dr.Groups.Rows = append(dr.Groups.Rows, []cell{{Text: reports.DimensionZH[c.Dimension]}, {Text: reports.GroupText(m.Traced, c, b.d.Districts)}})
	}
	if !m.Breakdown.Traced {
		dr.Note = "该指标按停电、评价或水量汇总计算，不逐件列示。"
		return dr
	}
	dr.Caption = "未达标明细：共" + strconv.FormatInt(m.Breakdown.Missed, 10) + "件"
	if m.Breakdown.Missed > int64(len(m.Records)) {
		dr.Caption += "，此处列出超出最多的" + strconv.Itoa(len(m.Records)) + "件，全部见同期工作簿“未达标明细”页"
	}
	unit := reports.RecordUnitZH(m.Breakdown.RecordUnit)
	dr.Records = table{Header: []string{"编号", "类型", "区县", "客户类别", "开始时间", "结束时间", "超出（" + unit + "）", "联系电话"}}
	loc := b.d.Period.Start.Location()
	for _, r := range m.Records {
		end := cell{Text: reports.RecordEnd(r, loc)}
		if r.End == nil {
			end.Class = "missed"
		}
		over := cell{Text: "无数据", Class: "num no_data"}
		if r.Over != nil {
			over = cell{Text: strconv.FormatFloat(math.Round(*r.Over*100)/100, 'f', -1, 64), Class: "num"}
		}
		dr.Records.Rows = append(dr.Records.Rows, []cell{{Text: r.ID}, {Text: domain.Or(reports.RecordKindZH, r.Kind)},
			{Text: b.districtName(r.District)}, {Text: reports.RecordClassZH(r)}, {Text: r.Start.In(loc).Format("2006-01-02 15:04")}, end, over, {Text: r.Phone}})
	}
	return dr
}

// paceSection is the year's pace: every target judged on the year, its figure so far,
// the projection with its band, the verdict and what the rest of the year must come
// to, with the districts behind a target at risk.
func (b *builder) paceSection() *paceView {
	p := b.d.Pace
	if p == nil || !paceAudience(b.audience) {
		return nil
	}
	v := &paceView{
		Summary: strconv.Itoa(p.Year) + "年按年判定的目标，截至" + p.AsOf.Format("2006-01-02") + "（已观测" + strconv.Itoa(p.Observed) +
			"个整月）的进度与全年预测；预测区间置信水平80%，测算方法见同期工作簿“口径说明”页。",
		Lines: table{Header: []string{"目标", "单位", "年初至今", "预测全年", "预测区间（80%）", "全年须达到", "进度判断", "余下月份要求或不预测原因"}},
	}
	for _, l := range p.Lines {
		if !b.shows(l.Utility) {
			continue
		}
		statement := l.Statement
		if l.AreaType != "" {
			statement += "（" + domain.Or(domain.AreaZH, l.AreaType) + "）"
		}
		ytd := l.Text(l.Series.YTD)
		if l.Series.YTD != nil && l.Series.YTDN > 0 {
			ytd += "（" + strconv.FormatInt(l.Series.YTDN, 10) + "件）"
		}
		v.Lines.Rows = append(v.Lines.Rows, []cell{{Text: statement + "（" + b.d.Profile.Cite(l.Source) + "）", Class: "statement"},
			{Text: domain.Or(domain.UnitZH, l.Unit)}, {Text: ytd, Class: "num"}, {Text: l.Text(l.Point), Class: "num"},
			{Text: l.Band(), Class: "num"}, {Text: l.Goal(), Class: "num"}, {Text: l.VerdictText(), Class: verdictClass[l.Verdict]},
			{Text: l.Advice()}})
		if len(l.Drivers) > 0 {
			v.Risks = append(v.Risks, statement+"：主要风险区县 "+l.DriverText())
		}
	}
	if len(v.Lines.Rows) == 0 {
		return nil
	}
	return v
}

// verdictClass colours a verdict as the status cells are coloured.
var verdictClass = map[string]string{pace.OnPace: "met", pace.AtRisk: "no_data", pace.Missed: "missed"}
