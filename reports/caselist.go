package reports

import (
	"fmt"

	"github.com/xuri/excelize/v2"
)

// caseListRows is how many data rows one sheet takes below its title and headers
// before the list goes on in the next sheet: Excel stops at 1 048 576 rows.
var caseListRows = excelize.TotalRows - (headerRow + 1)

// streamSheets writes a list that may be long (a million cases) with the stream
// writer, so memory does not grow with it; past Excel's row limit it goes on in
// sheets named "<name>（续2）" and so on, and each title says so. row(i) gives the i-th
// row of count.
func streamSheets(f *excelize.File, st *styles, name string, head titleBlock, cols []column, count int, row func(int) []any) error {
	sheets := max(1, (count+caseListRows-1)/caseListRows)
	for part := 0; part < sheets; part++ {
		sheet := name
		h := head
		if sheets > 1 {
			if part > 0 {
				sheet = fmt.Sprintf("%s（续%d）", name, part+1)
			}
			h.title = fmt.Sprintf("%s（第%d页，共%d页：超出Excel行数上限，续表见后）", head.title, part+1, sheets)
		}
		from, to := part*caseListRows, min(count, (part+1)*caseListRows)
		if err := streamSheet(f, st, sheet, h, cols, from, to, row); err != nil {
			return err
		}
	}
	return nil
}

func streamSheet(f *excelize.File, st *styles, sheet string, head titleBlock, cols []column, from, to int, row func(int) []any) error {
	if _, err := f.NewSheet(sheet); err != nil {
		return err
	}
	// Print set-up goes in before the stream: afterwards the sheet is raw XML.
	if err := printSetup(f, sheet, headerRow, headerRow+1); err != nil {
		return err
	}
	sw, err := f.NewStreamWriter(sheet)
	if err != nil {
		return err
	}
	for i, c := range cols {
		width := float64(min(max(displayWidth(c.zh), displayWidth(c.en)*8/10)+4, 40))
		if err := sw.SetColWidth(i+1, i+1, width); err != nil {
			return err
		}
	}
	if err := sw.SetPanes(&excelize.Panes{Freeze: true, YSplit: headerRow + 1, TopLeftCell: cellName(1, headerRow+2), ActivePane: "bottomLeft"}); err != nil {
		return err
	}
	label := func(v string) excelize.Cell { return excelize.Cell{Value: v, StyleID: st.label} }
	top := [][]any{
		{excelize.Cell{Value: head.title, StyleID: st.title}},
		{label("统计周期："), label(head.period), nil, label("填报单位："), label(head.unit)},
		{label("制表时间："), label(head.madeAt), nil, label("数据截至："), label(head.dataAsOf)},
	}
	for i, r := range top {
		if err := sw.SetRow(cellName(1, i+1), r); err != nil {
			return err
		}
	}
	zh, en := make([]any, len(cols)), make([]any, len(cols))
	for i, c := range cols {
		zh[i] = excelize.Cell{Value: c.zh, StyleID: st.header}
		en[i] = excelize.Cell{Value: c.en, StyleID: st.headerEN}
	}
	if err := sw.SetRow(cellName(1, headerRow), zh); err != nil {
		return err
	}
	if err := sw.SetRow(cellName(1, headerRow+1), en); err != nil {
		return err
	}
	cells := make([]any, len(cols))
	for i := from; i < to; i++ {
		for c, v := range row(i) {
			style := st.forFormat(cols[c].format)
			if sv, ok := v.(styledValue); ok {
				v, style = sv.value, sv.style
			}
			cells[c] = excelize.Cell{Value: v, StyleID: style}
		}
		if err := sw.SetRow(cellName(1, headerRow+2+i-from), cells); err != nil {
			return err
		}
	}
	// A table over the English header row gives the list its filter buttons.
	last := headerRow + 1 + max(to-from, 1)
	if err := sw.AddTable(&excelize.Table{Range: cellName(1, headerRow+1) + ":" + cellName(len(cols), last),
		Name: fmt.Sprintf("case_list_%d", from/max(caseListRows, 1)+1)}); err != nil {
		return err
	}
	return sw.Flush()
}
