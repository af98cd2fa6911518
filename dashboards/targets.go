package dashboards

import (
	"github.com/utilscore/utilscore/domain"
	"github.com/utilscore/utilscore/metrics"
	"github.com/utilscore/utilscore/policy"
)

// targetTable lists a utility's targets in words (spec v2): each target as a phrase,
// the figure with the count behind a share, the median beside a case time, the
// judgement and the document's title and clause. The public sees the workbook's
// suppression: <5 for a group too small to show.
func (s *site) targetTable(u string) table {
	t := table{Caption: domain.UtilityZH[u] + "本期目标", Header: []string{"目标", "区域类型", "数值", "达标件数/总件数", "中位数", "达标情况", "依据"}}
	families, err := metrics.Catalog()
	if err != nil {
		return t // the catalog is embedded and checked by every computation before this
	}
	defs := metrics.Definitions(families)
	var visible []metrics.Row
	for _, r := range s.d.Rows {
		if !s.suppressed(s.d.Rows, r) {
			visible = append(visible, r)
		}
	}
	for _, r := range s.d.Rows {
		if r.Target == nil || r.District != "" || r.Utility != u {
			continue
		}
		target, ok := s.d.Profile.Target(r.TargetID)
		if !ok {
			continue
		}
		value, tally, status := policy.ValueText(r), policy.Tally(r), domain.Or(domain.StatusZH, r.Status)
		if s.suppressed(s.d.Rows, r) {
			value, tally, status = "<5", "—", "—"
		}
		area := ""
		if r.AreaType != "" {
			area = domain.AreaZH[r.AreaType]
		}
		t.Rows = append(t.Rows, []cell{{Text: target.Statement(defs)}, {Text: area}, {Text: value, Class: "num"}, {Text: tally, Class: "num"},
			{Text: policy.Median(target, defs, visible)}, {Text: status, Class: r.Status}, {Text: s.d.Profile.Cite(target.Source)}})
	}
	if len(t.Rows) == 0 {
		t.Rows = append(t.Rows, []cell{{Text: "本政策配置对该行业未设目标"}, {}, {}, {}, {}, {}, {}})
	}
	return t
}
