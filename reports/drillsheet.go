package reports

import (
	"fmt"
	"slices"

	"github.com/xuri/excelize/v2"

	"github.com/utilscore/utilscore/metrics"
)

// missedSheet is the sheet 未达标明细.
const missedSheet = "未达标明细"

// topGroups is how many groups of each dimension the sheet names per missed target.
const topGroups = 3

// drillColumns are the columns of the list of missed records.
var drillColumns = []column{{"目标编号", "target id", ""}, {"工单编号", "case or ticket id", ""}, {"类型", "kind", ""},
	{"行业", "utility", ""}, {"区县", "district", ""}, {"客户类别", "customer class", ""},
	{"开始时间", "start", "datetime"}, {"结束时间", "end", ""}, {"实际值", "value", "dec1"}, {"限值", "limit", "dec1"},
	{"超出", "over the limit", "dec1"}, {"单位", "unit", ""}, {"联系电话", "phone (masked)", ""}}

// drillWidths fit the columns: ids, dates with their time, district names.
var drillWidths = []float64{28, 14, 6, 6, 18, 19, 17, 22, 9, 7, 8, 8, 14}

// missed writes 未达标明细: per missed target its statement, its figure and the groups
// that contribute most to the miss, then one list of every record that missed, by
// target (the furthest past its limit first), with a filter on every column. The list
// is written as it is read, so a long one costs no memory.
func (w *writer) missed() error {
	source := w.d.Missed
	if source == nil {
		source = noMissed{}
	}
	var sw *excelize.StreamWriter
	var traced []Traced
	row, first := 0, 0
	put := func(cells ...any) error {
		row++
		return sw.SetRow(cellName(1, row), cells)
	}
	cells := make([]any, len(drillColumns))
	full := false
	loc := w.d.Period.Start.Location()
	err := source.Trace(w.utility, func(ts []Traced) error {
		traced = ts
		summary := w.missedSummary(ts)
		if _, err := w.f.NewSheet(missedSheet); err != nil {
			return err
		}
		// The print set-up, which repeats the list's header rows, goes in before the
		// stream: afterwards the sheet is raw XML.
		first = len(summary) + 2 // the list's Chinese header row, after a blank row
		if len(ts) > 0 {
			if err := printSetup(w.f, missedSheet, first, first+1); err != nil {
				return err
			}
		}
		var err error
		if sw, err = w.f.NewStreamWriter(missedSheet); err != nil {
			return err
		}
		widths := slices.Clone(drillWidths)
		for _, t := range ts {
			widths[0] = max(widths[0], float64(displayWidth(t.Missed.Target.ID)+2))
		}
		for i, width := range widths {
			if err := sw.SetColWidth(i+1, i+1, width); err != nil {
				return err
			}
		}
		for _, cells := range summary {
			if err := put(cells...); err != nil {
				return err
			}
		}
		if len(ts) == 0 {
			return nil
		}
		row++
		zh, en := make([]any, len(drillColumns)), make([]any, len(drillColumns))
		for i, c := range drillColumns {
			zh[i] = excelize.Cell{Value: c.zh, StyleID: w.st.header}
			en[i] = excelize.Cell{Value: c.en, StyleID: w.st.headerEN}
		}
		put(zh...)
		return put(en...)
	}, func(i int, r metrics.MissedRecord) error {
		if row >= excelize.TotalRows-1 {
			full = true
			return nil
		}
		t := traced[i]
		format := "dec1"
		switch t.Breakdown.RecordUnit {
		case "count":
			format = "int"
		case "h", "CNY":
			format = "dec2"
		}
		num := func(x *float64) any {
			if x == nil {
				return excelize.Cell{Value: "无数据", StyleID: w.st.noData}
			}
			return excelize.Cell{Value: *x, StyleID: w.st.forFormat(format)}
		}
		text := func(s string) excelize.Cell { return excelize.Cell{Value: s, StyleID: w.st.text} }
		end := text(RecordEnd(r, loc))
		if r.End == nil {
			end.StyleID = w.st.missed
		}
		class := "—"
		if r.CustomerClass != "" {
			class = or(classZH, r.CustomerClass)
		}
		cells = append(cells[:0], text(t.Missed.Target.ID), text(r.ID), text(or(RecordKindZH, r.Kind)), text(or(UtilityZH, r.Utility)),
			text(w.districtLabel(r.District)), text(class),
			excelize.Cell{Value: r.Start.In(loc), StyleID: w.st.datetime}, end,
			num(r.Value), num(r.Limit), num(r.Over), text(RecordUnitZH(t.Breakdown.RecordUnit)), text(r.Phone))
		return put(cells...)
	})
	if err != nil {
		return err
	}
	if len(traced) > 0 {
		last := max(row, first+2)
		if err := sw.AddTable(&excelize.Table{Range: cellName(1, first+1) + ":" + cellName(len(drillColumns), last), Name: "missed_records"}); err != nil {
			return err
		}
	}
	if full {
		put(excelize.Cell{Value: "明细超出Excel行数上限，其余未列出；可用 utilscore explain --format csv 导出全部。", StyleID: w.st.label})
	}
	return sw.Flush()
}

// missedSummary lays out the head of 未达标明细: the title block, then per missed
// target its statement, its figure and its largest groups.
func (w *writer) missedSummary(traced []Traced) [][]any {
	label := func(v any) excelize.Cell { return excelize.Cell{Value: v, StyleID: w.st.label} }
	h := w.head(missedSheet)
	summary := [][]any{
		{excelize.Cell{Value: h.title, StyleID: w.st.title}},
		{label("统计周期："), label(h.period), nil, label("填报单位："), label(h.unit)},
		{label("制表时间："), label(h.madeAt), nil, label("数据截至："), label(h.dataAsOf)},
		nil,
	}
	if len(traced) == 0 {
		return append(summary, []any{label("本期没有未达标的目标。")})
	}
	summary = append(summary, []any{label(fmt.Sprintf("本期未达标目标%d项。每项列出目标、本期数值和未达标最集中的区县、客户类别（各前%d位），逐件明细见下表，可按目标编号筛选。", len(traced), topGroups))})
	defs := w.defs()
	for i, t := range traced {
		m := t.Missed
		who := or(UtilityZH, m.Row.Utility)
		if m.Row.AreaType != "" {
			who += " " + or(areaZH, m.Row.AreaType)
		}
		summary = append(summary, nil,
			[]any{excelize.Cell{Value: m.Target.ID, StyleID: w.st.header}, label(fmt.Sprintf("%d. %s", i+1, m.Target.Statement(defs)))},
			[]any{label("本期"), label(who + "：" + FigureText(t) + "；依据 " + m.Target.Source)})
		for _, c := range TopGroups(t, topGroups) {
			summary = append(summary, []any{label(DimensionZH[c.Dimension]), label(GroupText(t, c, w.d.Districts))})
		}
		if !t.Breakdown.Traced {
			summary = append(summary, []any{nil, label("该指标按停电、评价或水量汇总计算，不逐件列示。")})
		}
	}
	return summary
}

// noMissed is the drill-down of data that has none.
type noMissed struct{}

func (noMissed) Trace(_ string, start func([]Traced) error, _ func(int, metrics.MissedRecord) error) error {
	return start(nil)
}

// defs are the metric definitions by id, for targets written out in words.
func (w *writer) defs() map[string]metrics.Definition {
	out := map[string]metrics.Definition{}
	for _, d := range w.d.Definitions {
		out[d.ID] = d
	}
	return out
}
