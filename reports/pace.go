package reports

import (
	"strconv"

	"github.com/utilscore/utilscore/pace"
)

// paceSheet writes 年度进度: every target judged on the year, its figure for the year so
// far, the projection to the year's end with its band, the verdict, what the rest of
// the year must come to, and for a target at risk the districts behind it.
func (w *writer) paceSheet() error {
	cols := []column{{"行业", "utility", ""}, {"目标", "target", ""}, {"区域类型", "area type", ""}, {"单位", "unit", ""},
		{"年初至今", "year to date", "dec2"}, {"样本数（件）", "n", "int"}, {"上年全年", "last year", "dec2"},
		{"预测全年", "projected year", "dec2"}, {"区间下限（80%）", "band low", "dec2"}, {"区间上限（80%）", "band high", "dec2"},
		{"全年须达到", "year must meet", ""}, {"进度判断", "verdict", ""}, {"余下月份要求或不预测原因", "rest of the year, or why no projection", ""},
		{"主要风险区县（预测值）", "districts behind the risk (projection)", ""}, {"依据条款", "source clause", ""}, {"目标编号", "target id", ""}}
	var rows [][]any
	if p := w.d.Pace; p != nil {
		for _, l := range p.Lines {
			if !w.shows(l.Utility) {
				continue
			}
			format := map[string]string{"rate": "pct", "h": "dec2", "count": "dec1"}[l.Unit]
			if format == "" {
				format = "dec1"
			}
			num := func(v *float64) any {
				if v == nil {
					return styledValue{"", w.st.noData}
				}
				return styledValue{*v, w.st.forFormat(format)}
			}
			verdict := styledValue{l.VerdictText(), map[string]int{pace.OnPace: w.st.met, pace.AtRisk: w.st.noData, pace.Missed: w.st.missed}[l.Verdict]}
			if verdict.style == 0 {
				verdict.style = w.st.text
			}
			rows = append(rows, []any{or(UtilityZH, l.Utility), l.Statement, or(areaZH, l.AreaType), or(unitZH, l.Unit),
				num(l.Series.YTD), l.Series.YTDN, num(l.Series.LastTotal), num(l.Point), num(l.Low), num(l.High),
				l.Goal(), verdict, l.Advice(), l.DriverText(), l.Source, l.TargetID})
		}
	}
	head := w.head("年度进度")
	if p := w.d.Pace; p != nil {
		head.period = strconv.Itoa(p.Year) + "-01-01 至 " + p.AsOf.Format("2006-01-02") + "（已观测" + strconv.Itoa(p.Observed) + "个整月）"
	}
	return tableSheet(w.f, w.st, "年度进度", head, cols, rows)
}

// paceDefinitions are the rows of 口径说明 on how the pace is worked out, in the
// workbooks that hold the 年度进度 sheet.
func (w *writer) paceDefinitions() [][]any {
	if w.d.Pace == nil || w.audience != Regulator && w.audience != Office {
		return nil
	}
	var rows [][]any
	for _, m := range pace.Method() {
		rows = append(rows, []any{"年度进度", "年度目标进度与预测", "", "", "", m})
	}
	return rows
}
