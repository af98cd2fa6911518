package reports

import (
	"fmt"
	"maps"

	"github.com/utilscore/utilscore/metrics"
)

// missedSheet is the sheet 未达标明细, the list of every missed record;
// missedTargetsSheet, 未达标目标, states the missed targets it lists.
const (
	missedSheet        = "未达标明细"
	missedTargetsSheet = "未达标目标"
)

// topGroups is how many groups of each dimension the sheet names per missed target.
const topGroups = 3

// drillColumns are the columns of the list of missed records.
var drillColumns = []column{{"目标编号", "target id", ""}, {"工单编号", "case or ticket id", ""}, {"类型", "kind", ""},
	{"行业", "utility", ""}, {"区县", "district", ""}, {"客户类别", "customer class", ""},
	{"开始时间", "start", "datetime"}, {"结束时间", "end", ""}, {"实际值", "value", "dec1"}, {"限值", "limit", "dec1"},
	{"超出", "over the limit", "dec1"}, {"单位", "unit", ""}, {"联系电话", "phone (masked)", ""}}

// drillWidths fit the columns whose values are wider than their headers: ids, dates
// with their time, district names.
var drillWidths = map[string]float64{"target id": 28, "case or ticket id": 14, "district": 18, "customer class": 19,
	"start": 17, "end": 22, "value": 9, "phone (masked)": 14}

// missed writes 未达标目标, per missed target its statement, its figure and the groups
// that contribute most to the miss, then 未达标明细, one list of every record that
// missed, by target (the furthest past its limit first), as 超期工单 is written: the
// breakdowns count the records before the first is read, and the list is written as
// it is read, so a long one costs no memory.
func (w *writer) missed() error {
	source := w.d.Missed
	if source == nil {
		source = noMissed{}
	}
	l := newListSheets(w.f, w.st, missedSheet, w.head(missedSheet), drillColumns)
	var traced []Traced
	loc := w.d.Period.Start.Location()
	err := source.Trace(w.utility, func(ts []Traced) error {
		traced = ts
		if err := w.missedTargets(ts); err != nil {
			return err
		}
		l.widths = maps.Clone(drillWidths)
		count := 0
		for _, t := range ts {
			l.widths["target id"] = max(l.widths["target id"], float64(displayWidth(t.Missed.Target.ID)+2))
			if t.Breakdown.Traced {
				count += int(t.Breakdown.Missed)
			}
		}
		return l.begin(count)
	}, func(i int, r metrics.MissedRecord) error {
		t := traced[i]
		format := "dec1"
		switch t.Breakdown.RecordUnit {
		case "count":
			format = "int"
		case "h", "CNY":
			format = "dec2"
		}
		num := func(x *float64) styledValue {
			if x == nil {
				return styledValue{"无数据", w.st.noData}
			}
			return styledValue{*x, w.st.forFormat(format)}
		}
		end := styledValue{RecordEnd(r, loc), w.st.text}
		if r.End == nil {
			end.style = w.st.missed
		}
		return l.add([]any{t.Missed.Target.ID, r.ID, or(RecordKindZH, r.Kind), or(UtilityZH, r.Utility),
			w.districtLabel(r.District), RecordClassZH(r), r.Start.In(loc), end,
			num(r.Value), num(r.Limit), num(r.Over), RecordUnitZH(t.Breakdown.RecordUnit), r.Phone})
	})
	if err != nil {
		return err
	}
	return l.end()
}

// missedTargets writes 未达标目标: per missed target its statement, its figure and its
// largest groups, a row each, under the target's id to filter by.
func (w *writer) missedTargets(traced []Traced) error {
	cols := []column{{"目标编号", "target id", ""}, {"项目", "item", ""}, {"内容", "detail", ""}}
	var rows [][]any
	defs := w.defs()
	for i, t := range traced {
		m := t.Missed
		who := or(UtilityZH, m.Row.Utility)
		if m.Row.AreaType != "" {
			who += " " + or(areaZH, m.Row.AreaType)
		}
		id := m.Target.ID
		rows = append(rows,
			[]any{id, "目标", fmt.Sprintf("%d. %s", i+1, m.Target.Statement(defs))},
			[]any{id, "本期", who + "：" + FigureText(t) + "；依据" + w.d.Profile.Cite(m.Target.Source)})
		for _, c := range TopGroups(t, topGroups) {
			rows = append(rows, []any{id, DimensionZH[c.Dimension], GroupText(t, c, w.d.Districts)})
		}
		if !t.Breakdown.Traced {
			rows = append(rows, []any{id, "说明", "该指标按停电、评价或水量汇总计算，不逐件列示。"})
		}
	}
	if err := tableSheet(w.f, w.st, missedTargetsSheet, w.head(missedTargetsSheet), cols, rows); err != nil {
		return err
	}
	// What the sheet holds, in the rows the title block leaves free above the headers.
	notes := []string{"本期没有未达标的目标。"}
	if len(traced) > 0 {
		notes = []string{fmt.Sprintf("本期未达标目标%d项，每项列出目标、本期数值和未达标最集中的区县、客户类别（各前%d位）。", len(traced), topGroups),
			"逐件明细见“" + missedSheet + "”页，可按目标编号筛选。"}
	}
	for i, n := range notes {
		cell := cellName(1, 4+i)
		if err := w.f.SetCellValue(missedTargetsSheet, cell, n); err != nil {
			return err
		}
		if err := w.f.SetCellStyle(missedTargetsSheet, cell, cell, w.st.label); err != nil {
			return err
		}
	}
	return nil
}

// noMissed is the drill-down of data that has none.
type noMissed struct{}

func (noMissed) Trace(_ string, start func([]Traced) error, _ func(int, metrics.MissedRecord) error) error {
	return start(nil)
}

func (noMissed) Summarize(string, int) ([]Summary, error) { return nil, nil }

// defs are the metric definitions by id, for targets written out in words.
func (w *writer) defs() map[string]metrics.Definition {
	out := map[string]metrics.Definition{}
	for _, d := range w.d.Definitions {
		out[d.ID] = d
	}
	return out
}
