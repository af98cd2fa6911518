package reports

import (
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"
)

// column is one column of a table sheet: its Chinese header with the unit, its English
// header (second header row) and the number format of its cells.
type column struct {
	zh, en string
	format string // "" text, "int", "dec1", "dec2", "pct", "datetime"
}

// styles are the cell styles a workbook uses, created once.
type styles struct {
	title, label, header, headerEN, text, int, dec1, dec2, pct, datetime int
	met, missed, noData, points                                          int
}

func newStyles(f *excelize.File) (*styles, error) {
	var s styles
	border := []excelize.Border{{Type: "left", Color: "BFBFBF", Style: 1}, {Type: "right", Color: "BFBFBF", Style: 1},
		{Type: "top", Color: "BFBFBF", Style: 1}, {Type: "bottom", Color: "BFBFBF", Style: 1}}
	font := &excelize.Font{Family: "宋体", Size: 10}
	defs := []struct {
		id    *int
		style excelize.Style
	}{
		{&s.title, excelize.Style{Font: &excelize.Font{Family: "黑体", Size: 14, Bold: true}}},
		{&s.label, excelize.Style{Font: font}},
		{&s.header, excelize.Style{Font: &excelize.Font{Family: "宋体", Size: 10, Bold: true}, Border: border,
			Fill:      excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"D9E1F2"}},
			Alignment: &excelize.Alignment{Horizontal: "center", Vertical: "center", WrapText: true}}},
		{&s.headerEN, excelize.Style{Font: &excelize.Font{Family: "Arial", Size: 8, Color: "595959"}, Border: border,
			Fill: excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"EDF1F9"}}, Alignment: &excelize.Alignment{Horizontal: "center"}}},
		{&s.text, excelize.Style{Font: font, Border: border, Alignment: &excelize.Alignment{Vertical: "top", WrapText: true}}},
		{&s.int, excelize.Style{Font: font, Border: border, NumFmt: 3}},                  // #,##0
		{&s.dec1, excelize.Style{Font: font, Border: border, CustomNumFmt: ptr("0.0")}},  // working days
		{&s.dec2, excelize.Style{Font: font, Border: border, CustomNumFmt: ptr("0.00")}}, // hours
		{&s.pct, excelize.Style{Font: font, Border: border, CustomNumFmt: ptr("0.0%")}},
		{&s.points, excelize.Style{Font: font, Border: border, CustomNumFmt: ptr(`+0.0"个百分点";-0.0"个百分点";0.0"个百分点"`)}},
		{&s.datetime, excelize.Style{Font: font, Border: border, CustomNumFmt: ptr("yyyy-mm-dd hh:mm")}},
		{&s.met, excelize.Style{Font: &excelize.Font{Family: "宋体", Size: 10, Color: "006100"}, Border: border,
			Fill: excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"C6EFCE"}}}},
		{&s.missed, excelize.Style{Font: &excelize.Font{Family: "宋体", Size: 10, Color: "9C0006"}, Border: border,
			Fill: excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"FFC7CE"}}}},
		{&s.noData, excelize.Style{Font: &excelize.Font{Family: "宋体", Size: 10, Color: "7F6000"}, Border: border,
			Fill: excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"FFEB9C"}}}},
	}
	for _, d := range defs {
		if d.style.Alignment == nil && d.style.Border != nil {
			// Figures sit at the top of a row grown for wrapped text, beside their labels.
			d.style.Alignment = &excelize.Alignment{Vertical: "top"}
		}
		id, err := f.NewStyle(&d.style)
		if err != nil {
			return nil, err
		}
		*d.id = id
	}
	return &s, nil
}

func ptr(s string) *string { return &s }

func (s *styles) forFormat(format string) int {
	switch format {
	case "int":
		return s.int
	case "dec1":
		return s.dec1
	case "dec2":
		return s.dec2
	case "pct":
		return s.pct
	case "datetime":
		return s.datetime
	}
	return s.text
}

// formatWidth is the width a formatted value takes, beyond which a column shows ###:
// "2024-10-01 09:00" is 16 characters; a cell needs some margin.
var formatWidth = map[string]float64{"datetime": 18, "pct": 9, "int": 10, "dec1": 8, "dec2": 9}

// titleBlock is the head of every sheet a Chinese regulator expects.
type titleBlock struct {
	title, period, unit, madeAt, dataAsOf string
}

// headerRow is where a table's Chinese header sits; the English one follows it and
// the data starts after that.
const headerRow = 6

// tableSheet writes a title block, two header rows and the rows of a table into a
// new sheet, with frozen headers, an autofilter, fitted widths and print set-up.
// Every cell is written as a typed value: strings from the input stay strings, so no
// input can become a formula.
func tableSheet(f *excelize.File, st *styles, name string, head titleBlock, cols []column, rows [][]any) error {
	if _, err := f.NewSheet(name); err != nil {
		return err
	}
	set := func(cell string, v any, style int) error {
		if err := f.SetCellValue(name, cell, v); err != nil {
			return err
		}
		return f.SetCellStyle(name, cell, cell, style)
	}
	block := [][2]string{{"统计周期", head.period}, {"填报单位", head.unit}, {"制表时间", head.madeAt}, {"数据截至", head.dataAsOf}}
	if err := set("A1", head.title, st.title); err != nil {
		return err
	}
	for i, kv := range block[:2] {
		set(cellName(1+3*i, 2), kv[0]+"：", st.label)
		set(cellName(2+3*i, 2), kv[1], st.label)
	}
	for i, kv := range block[2:] {
		set(cellName(1+3*i, 3), kv[0]+"：", st.label)
		set(cellName(2+3*i, 3), kv[1], st.label)
	}
	widths := make([]int, len(cols))
	for i, c := range cols {
		set(cellName(i+1, headerRow), c.zh, st.header)
		set(cellName(i+1, headerRow+1), c.en, st.headerEN)
		widths[i] = max(displayWidth(c.zh), displayWidth(c.en)*8/10)
	}
	for r, row := range rows {
		for i, v := range row {
			cell := cellName(i+1, headerRow+2+r)
			style := st.forFormat(cols[i].format)
			if sv, ok := v.(styledValue); ok {
				v, style = sv.value, sv.style
			}
			if v == nil {
				v = ""
			}
			if err := set(cell, v, style); err != nil {
				return err
			}
			if s, ok := v.(string); ok {
				widths[i] = max(widths[i], displayWidth(s))
			}
			if _, ok := v.(time.Time); ok {
				widths[i] = max(widths[i], int(formatWidth["datetime"])-2)
			}
		}
	}
	for i, w := range widths {
		widths[i] = min(max(w+2, 8), 60)
		col, _ := excelize.ColumnNumberToName(i + 1)
		f.SetColWidth(name, col, col, float64(widths[i]))
	}
	// A text wider than its column wraps: the row is made tall enough for every line,
	// since a reader (LibreOffice) does not grow it on opening and would cut the text.
	for r, row := range rows {
		lines := 1
		for i, v := range row {
			if sv, ok := v.(styledValue); ok {
				v = sv.value
			}
			if s, ok := v.(string); ok && s != "" {
				// A reader's font runs a little wider than the width counts: leave margin.
				per := max(widths[i]-4, 4)
				lines = max(lines, (displayWidth(s)+per-1)/per)
			}
		}
		if lines > 1 {
			if err := f.SetRowHeight(name, headerRow+2+r, 13.5*float64(lines)); err != nil {
				return err
			}
		}
	}
	last := cellName(len(cols), headerRow+1+max(len(rows), 1))
	if err := f.AutoFilter(name, cellName(1, headerRow+1)+":"+last, nil); err != nil {
		return err
	}
	// The used range: without it, a streaming reader sees only A1 (the title).
	if err := f.SetSheetDimension(name, "A1:"+cellName(max(len(cols), 5), headerRow+1+max(len(rows), 1))); err != nil {
		return err
	}
	if err := f.SetPanes(name, &excelize.Panes{Freeze: true, YSplit: headerRow + 1, TopLeftCell: cellName(1, headerRow+2), ActivePane: "bottomLeft"}); err != nil {
		return err
	}
	return printSetup(f, name, headerRow, headerRow+1)
}

// printSetup: A4 landscape, fitted to the page width, header rows on every page.
func printSetup(f *excelize.File, sheet string, firstHeader, lastHeader int) error {
	size, orientation, one, tall := 9, "landscape", 1, 0
	if err := f.SetPageLayout(sheet, &excelize.PageLayoutOptions{Size: &size, Orientation: &orientation, FitToWidth: &one, FitToHeight: &tall}); err != nil {
		return err
	}
	fit := true
	if err := f.SetSheetProps(sheet, &excelize.SheetPropsOptions{FitToPage: &fit}); err != nil {
		return err
	}
	return f.SetDefinedName(&excelize.DefinedName{Name: "_xlnm.Print_Titles", Scope: sheet,
		RefersTo: fmt.Sprintf("'%s'!$%d:$%d", strings.ReplaceAll(sheet, "'", "''"), firstHeader, lastHeader)})
}

// styledValue carries its own style, e.g. a status coloured by its value.
type styledValue struct {
	value any
	style int
}

func cellName(col, row int) string {
	name, _ := excelize.CoordinatesToCellName(col, row)
	return name
}

// displayWidth counts a CJK character as two columns, as Excel shows it.
func displayWidth(s string) int {
	w := 0
	for _, r := range s {
		if r == '\n' {
			continue
		}
		if utf8.RuneLen(r) > 1 {
			w += 2
		} else {
			w++
		}
	}
	return w
}
