package dashboards

import (
	"strconv"

	"github.com/utilscore/utilscore/domain"
	"github.com/utilscore/utilscore/pace"
)

// paceTables is the index's section on the year's targets: each one's figure for the
// year so far, its projection and band, the verdict and what the rest of the year must
// come to; then, for the targets at risk, the districts behind them. Internal builds
// only: the projections are for those who act on them.
func (s *site) paceTables() []table {
	p := s.d.Pace
	if p == nil || s.audience == "public" || len(p.Lines) == 0 {
		return nil
	}
	when := strconv.Itoa(p.Year) + "年度目标进度（截至" + p.AsOf.Format("2006-01-02") + "，已观测" + strconv.Itoa(p.Observed) + "个整月）"
	// The verdict next to the target, so a phone shows both before it scrolls; the
	// target's words name its utility.
	lines := table{Caption: when, Header: []string{"目标", "区域类型", "进度判断", "年初至今", "预测全年", "预测区间（80%）", "全年须达到", "余下月份要求或不预测原因"}}
	risks := table{Caption: "有风险目标的主要来源（按对全局预测的影响排序）", Header: []string{"目标", "区域类型", "区县", "区县年初至今", "区县预测全年", "区县进度", "影响"}}
	for _, l := range p.Lines {
		lines.Rows = append(lines.Rows, []cell{{Text: l.Statement, Class: "wrap"}, {Text: domain.Or(domain.AreaZH, l.AreaType)},
			{Text: l.VerdictText(), Class: verdictClass[l.Verdict]}, {Text: l.Text(l.Series.YTD), Class: "num"}, {Text: l.Text(l.Point), Class: "num"},
			{Text: l.Band(), Class: "num"}, {Text: l.Goal(), Class: "num"}, {Text: l.Advice(), Class: "wrap"}})
		for _, d := range l.Drivers {
			name := d.District
			if d.Name != "" {
				name += " " + d.Name
			}
			risks.Rows = append(risks.Rows, []cell{{Text: l.Statement, Class: "wrap"}, {Text: domain.Or(domain.AreaZH, l.AreaType)}, {Text: name},
				{Text: l.Text(d.Series.YTD), Class: "num"}, {Text: l.Text(d.Point), Class: "num"},
				{Text: domain.Or(pace.VerdictZH, d.Verdict), Class: verdictClass[d.Verdict]}, {Text: l.ImpactText(d), Class: "num"}})
		}
	}
	out := []table{lines}
	if len(risks.Rows) > 0 {
		out = append(out, risks)
	}
	return out
}

// verdictClass colours a verdict as the status cells are coloured.
var verdictClass = map[string]string{pace.OnPace: "met", pace.AtRisk: "no_data", pace.Missed: "missed"}
