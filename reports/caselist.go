package reports

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/xuri/excelize/v2"

	"github.com/utilscore/utilscore/metrics"
)

// CaseList is a case list that a workbook reads while writing it: List tells start
// how many cases of a utility ("" = all) it has, then gives each to each, in order.
// The list Collect makes reads them from the database a page at a time, so a million
// cases are never held in memory.
type CaseList interface {
	List(utility string, start func(n int) error, each func(metrics.OpenCase) error) error
}

// CaseSlice is a case list already in memory (small lists, tests).
type CaseSlice []metrics.OpenCase

// List gives the cases of the utility.
func (s CaseSlice) List(utility string, start func(int) error, each func(metrics.OpenCase) error) error {
	n := 0
	for _, c := range s {
		if utility == "" || c.Utility == utility {
			n++
		}
	}
	if err := start(n); err != nil {
		return err
	}
	for _, c := range s {
		if utility == "" || c.Utility == utility {
			if err := each(c); err != nil {
				return err
			}
		}
	}
	return nil
}

// storedCases is the case list of a period as the database holds it. It keeps the
// context of the Collect that made it: the workbooks are written within that call's
// work, against the same open database.
type storedCases struct {
	ctx   context.Context
	db    *sql.DB
	query metrics.CaseQuery
}

func (s storedCases) List(utility string, start func(int) error, each func(metrics.OpenCase) error) error {
	q := s.query
	q.Utility = utility
	return metrics.ListCases(s.ctx, s.db, q, start, each)
}

// caseListRows is how many data rows one sheet takes below its title and headers
// before the list goes on in the next sheet: Excel stops at 1 048 576 rows.
var caseListRows = excelize.TotalRows - (headerRow + 1)

// listSheets writes a list that may be long (a million cases) with the stream writer,
// one row as it comes, so memory does not grow with it; past Excel's row limit it
// goes on in sheets named "<name>（续2）" and so on, and each title says so.
type listSheets struct {
	f      *excelize.File
	st     *styles
	name   string
	head   titleBlock
	cols   []column
	widths map[string]float64 // by English header: columns whose values are wider than their header
	count  int                // rows of the whole list
	sheets int                // how many sheets the list takes, known from its count
	part   int                // the sheet being written, from 0
	rows   int                // data rows written into it
	sw     *excelize.StreamWriter
	cells  []any
}

func newListSheets(f *excelize.File, st *styles, name string, head titleBlock, cols []column) *listSheets {
	return &listSheets{f: f, st: st, name: name, head: head, cols: cols, cells: make([]any, len(cols))}
}

// begin opens the first sheet of a list of count rows.
func (l *listSheets) begin(count int) error {
	l.count, l.sheets = count, max(1, (count+caseListRows-1)/caseListRows)
	return l.open()
}

// add writes one row, going on to the next sheet when this one is full.
func (l *listSheets) add(row []any) error {
	if l.rows == caseListRows {
		if err := l.close(); err != nil {
			return err
		}
		l.part++
		if err := l.open(); err != nil {
			return err
		}
	}
	for c, v := range row {
		style := l.st.forFormat(l.cols[c].format)
		if sv, ok := v.(styledValue); ok {
			v, style = sv.value, sv.style
		}
		l.cells[c] = excelize.Cell{Value: v, StyleID: style}
	}
	l.rows++
	return l.sw.SetRow(cellName(1, headerRow+1+l.rows), l.cells)
}

// end closes the last sheet.
func (l *listSheets) end() error { return l.close() }

func (l *listSheets) open() error {
	sheet, h := l.name, l.head
	if l.sheets > 1 {
		if l.part > 0 {
			sheet = fmt.Sprintf("%s（续%d）", l.name, l.part+1)
		}
		h.title = fmt.Sprintf("%s（第%d页，共%d页：超出Excel行数上限，续表见后）", l.head.title, l.part+1, l.sheets)
	}
	if _, err := l.f.NewSheet(sheet); err != nil {
		return err
	}
	// The used range, the filter and the print set-up go in before the stream:
	// afterwards the sheet is raw XML. The rows of this sheet are known from the count.
	rows := max(min(l.count-l.part*caseListRows, caseListRows), 1)
	last := cellName(len(l.cols), headerRow+1+rows)
	if err := l.f.SetSheetDimension(sheet, "A1:"+last); err != nil {
		return err
	}
	if err := l.f.AutoFilter(sheet, cellName(1, headerRow+1)+":"+last, nil); err != nil {
		return err
	}
	if err := printSetup(l.f, sheet, headerRow, headerRow+1); err != nil {
		return err
	}
	sw, err := l.f.NewStreamWriter(sheet)
	if err != nil {
		return err
	}
	l.sw, l.rows = sw, 0
	for i, c := range l.cols {
		width := max(float64(min(max(displayWidth(c.zh), displayWidth(c.en)*8/10)+4, 40)), l.widths[c.en], formatWidth[c.format])
		if err := sw.SetColWidth(i+1, i+1, width); err != nil {
			return err
		}
	}
	if err := sw.SetPanes(&excelize.Panes{Freeze: true, YSplit: headerRow + 1, TopLeftCell: cellName(1, headerRow+2), ActivePane: "bottomLeft"}); err != nil {
		return err
	}
	label := func(v string) excelize.Cell { return excelize.Cell{Value: v, StyleID: l.st.label} }
	top := [][]any{
		{excelize.Cell{Value: h.title, StyleID: l.st.title}},
		{label("统计周期："), label(h.period), nil, label("填报单位："), label(h.unit)},
		{label("制表时间："), label(h.madeAt), nil, label("数据截至："), label(h.dataAsOf)},
	}
	for i, r := range top {
		if err := sw.SetRow(cellName(1, i+1), r); err != nil {
			return err
		}
	}
	zh, en := make([]any, len(l.cols)), make([]any, len(l.cols))
	for i, c := range l.cols {
		zh[i] = excelize.Cell{Value: c.zh, StyleID: l.st.header}
		en[i] = excelize.Cell{Value: c.en, StyleID: l.st.headerEN}
	}
	if err := sw.SetRow(cellName(1, headerRow), zh); err != nil {
		return err
	}
	return sw.SetRow(cellName(1, headerRow+1), en)
}

func (l *listSheets) close() error { return l.sw.Flush() }
