package reports

import (
	"archive/zip"
	"encoding/xml"
	"io"
	"path"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
)

// sheetXML is what a test reads of a worksheet part, as a streaming reader would.
type sheetXML struct {
	Dimension struct {
		Ref string `xml:"ref,attr"`
	} `xml:"dimension"`
	Cols []struct {
		Min   int     `xml:"min,attr"`
		Max   int     `xml:"max,attr"`
		Width float64 `xml:"width,attr"`
	} `xml:"cols>col"`
	Rows []struct {
		Cells []struct {
			Ref string `xml:"r,attr"`
		} `xml:"c"`
	} `xml:"sheetData>row"`
	AutoFilter *struct {
		Ref string `xml:"ref,attr"`
	} `xml:"autoFilter"`
}

// readSheets reads every worksheet part of a workbook package by sheet name.
func readSheets(t *testing.T, file string) map[string]sheetXML {
	t.Helper()
	z, err := zip.OpenReader(file)
	if err != nil {
		t.Fatal(err)
	}
	defer z.Close()
	parts := map[string][]byte{}
	for _, f := range z.File {
		r, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		parts[f.Name], _ = io.ReadAll(r)
		r.Close()
	}
	var wb struct {
		Sheets []struct {
			Name string `xml:"name,attr"`
			RID  string `xml:"http://schemas.openxmlformats.org/officeDocument/2006/relationships id,attr"`
		} `xml:"sheets>sheet"`
	}
	var rels struct {
		Rels []struct {
			ID     string `xml:"Id,attr"`
			Target string `xml:"Target,attr"`
		} `xml:"Relationship"`
	}
	if err := xml.Unmarshal(parts["xl/workbook.xml"], &wb); err != nil {
		t.Fatal(err)
	}
	if err := xml.Unmarshal(parts["xl/_rels/workbook.xml.rels"], &rels); err != nil {
		t.Fatal(err)
	}
	out := map[string]sheetXML{}
	for _, s := range wb.Sheets {
		for _, r := range rels.Rels {
			if r.ID == s.RID {
				var sx sheetXML
				if err := xml.Unmarshal(parts[path.Join("xl", strings.TrimPrefix(r.Target, "/xl/"))], &sx); err != nil {
					t.Fatalf("%s: %v", s.Name, err)
				}
				out[s.Name] = sx
			}
		}
	}
	return out
}

// checkWellFormedAndChinese reads a workbook sheet by sheet: the used range a
// streaming reader relies on, the filter on every table, dates that fit their columns,
// and Chinese cells free of English words outside the English header row and the
// identifiers. TestWorkbooks runs it on every audience's workbook of the demo.
func checkWellFormedAndChinese(t *testing.T, file string) {
	t.Helper()
	// Identifiers and input values: columns whose English header names them.
	identifiers := map[string]bool{"metric id": true, "target id": true, "case id": true, "case or ticket id": true, "file": true, "column": true,
		"metric or target id": true, "applicant": true, "phone (masked)": true}
	// Abbreviations Chinese writes in Latin letters (DN40, 手机APP, the standards CJJ 92
	// and DL/T 836, MPa), and the command a reader runs.
	allowed := map[string]bool{"DN": true, "APP": true, "JSON": true, "MiB": true, "utilscore": true, "audit": true,
		"CJJ": true, "MPa": true, "DL": true}
	latin := regexp.MustCompile(`[A-Za-z]{2,}`)
	quoted := regexp.MustCompile(`“[^”]*”`) // values quoted from the input
	sheets := readSheets(t, file)
	for name, sx := range sheets {
		maxCol, maxRow := 0, 0
		for _, r := range sx.Rows {
			for _, c := range r.Cells {
				col, row, err := excelize.CellNameToCoordinates(c.Ref)
				if err != nil {
					t.Fatalf("%s: cell %q: %v", name, c.Ref, err)
				}
				maxCol, maxRow = max(maxCol, col), max(maxRow, row)
			}
		}
		if want := "A1:" + cellName(maxCol, maxRow); sx.Dimension.Ref != want {
			t.Errorf("%s: <dimension ref=%q>, the cells span %s", name, sx.Dimension.Ref, want)
		}
		if sx.AutoFilter == nil || !strings.HasPrefix(strings.ReplaceAll(sx.AutoFilter.Ref, "$", ""), "A"+strconv.Itoa(headerRow+1)+":") {
			t.Errorf("%s: no autofilter over the table (%+v)", name, sx.AutoFilter)
		}
	}
	f, err := excelize.OpenFile(file)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	for _, sheet := range f.GetSheetList() {
		rows, _ := f.GetRows(sheet)
		if len(rows) <= headerRow {
			t.Errorf("%s: %d rows, no table", sheet, len(rows))
			continue
		}
		english := rows[headerRow]
		for r, row := range rows {
			if r == headerRow { // the English header row
				continue
			}
			for c, v := range row {
				if r > headerRow && c < len(english) && identifiers[english[c]] {
					continue
				}
				for _, run := range latin.FindAllString(quoted.ReplaceAllString(v, ""), -1) {
					if !allowed[run] {
						t.Errorf("%s %s: %q holds the English %q", sheet, cellName(c+1, r+1), v, run)
						break
					}
				}
			}
		}
		if sheet == "超期工单" {
			checkDatesFit(t, sheets[sheet], english)
		}
	}
}

// checkDatesFit: a date column at least as wide as "2024-10-01 09:00", else Excel
// shows ###.
func checkDatesFit(t *testing.T, sx sheetXML, english []string) {
	t.Helper()
	found := false
	for c, en := range english {
		if en != "applied at" {
			continue
		}
		found = true
		width := 0.0
		for _, col := range sx.Cols {
			if col.Min <= c+1 && c+1 <= col.Max {
				width = col.Width
			}
		}
		if want := float64(len("2024-10-01 09:00")) + 1; width < want {
			t.Errorf("超期工单 column %d (applied at) is %.1f wide, the formatted date needs %.0f", c+1, width, want)
		}
	}
	if !found {
		t.Error("超期工单 has no applied-at column")
	}
}
