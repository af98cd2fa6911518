package ingest

import (
	"archive/zip"
	"context"
	"database/sql"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"path"
	"strconv"
	"strings"

	"github.com/xuri/excelize/v2"
)

// stageXLSX streams the rows of one sheet into the typing query. Cells are read raw, so a date
// cell arrives as its Excel serial number and is turned into a time here. The sheet's
// XML is read apart first: a workbook damaged in the middle, from which the reader
// would stop early, is refused rather than loaded in part.
func stageXLSX(ctx context.Context, conn *sql.Conn, src source, o readerOptions) (*staged, error) {
	f, err := excelize.OpenFile(src.path)
	if err != nil {
		return nil, fmt.Errorf("not a readable .xlsx workbook (%s); save it again from Excel", oneLine(err))
	}
	defer f.Close()
	sheet := o.profile.Sheet
	sheets := f.GetSheetList()
	if sheet == "" && len(sheets) > 0 {
		sheet = sheets[0]
	}
	if idx, _ := f.GetSheetIndex(sheet); idx < 0 {
		return nil, fmt.Errorf("the workbook has no sheet %q; its sheets are %s", sheet, strings.Join(sheets, ", "))
	}
	lastRow, err := sheetLastRow(src.path, sheet)
	if err != nil {
		return nil, fmt.Errorf("sheet %s is damaged (%s); save the workbook again from Excel", sheet, oneLine(err))
	}
	props, _ := f.GetWorkbookProps()
	date1904 := props.Date1904 != nil && *props.Date1904
	rows, err := f.Rows(sheet)
	if err != nil {
		return nil, fmt.Errorf("sheet %s: %s", sheet, oneLine(err))
	}
	defer rows.Close()

	var st *staged
	var cm columnMap
	var sink *rowSink
	var order []string
	var timeCols []bool
	sheetRow := int64(0)
	for rows.Next() {
		sheetRow++
		cells, err := rows.Columns(excelize.Options{RawCellValue: true})
		if err != nil {
			return nil, fmt.Errorf("sheet %s row %d: %s", sheet, sheetRow, oneLine(err))
		}
		if isBlank(cells) {
			continue
		}
		if st == nil { // the first non-blank row holds the headers
			if cm, err = mapHeaders(cells, o.profile, o.kinds, o.kind); err != nil {
				return nil, err
			}
			st = cm.staged(formatXLSX, "xlsx")
			order = cm.stagedColumns()
			for _, c := range order {
				col, _ := cm.kind.Column(c)
				timeCols = append(timeCols, col.Type == "TIMESTAMP WITH TIME ZONE" || col.Type == "DATE")
			}
			sink = newRowSink(ctx, conn, st, order, o)
			defer sink.abort()
			continue
		}
		values := make([]string, len(order))
		for i, c := range order {
			if j := cm.index[c]; j < len(cells) {
				values[i] = strings.TrimSpace(cells[j])
				if timeCols[i] {
					values[i] = fromExcelSerial(values[i], date1904)
				}
			}
		}
		if err := sink.add(st.records, sheetRow, values); err != nil {
			return nil, err
		}
		st.records++
	}
	if err := rows.Error(); err != nil {
		return nil, fmt.Errorf("sheet %s row %d: %s", sheet, sheetRow+1, oneLine(err))
	}
	if st == nil {
		return nil, fmt.Errorf("sheet %s is empty; its first row must hold the column headers", sheet)
	}
	if sheetRow < lastRow {
		lost, cells, err := sheetRowAfter(src.path, sheet, sheetRow)
		if err != nil || lost == 0 {
			lost, cells = sheetRow+1, `""`
		}
		return nil, fmt.Errorf("sheet %s has rows up to %d but only %d could be read; the first one lost is row %d: %s; save the workbook again from Excel",
			sheet, lastRow, sheetRow, lost, cells)
	}
	return st, sink.close()
}

// sheetLastRow reads the sheet's XML straight from the workbook's zip and returns the
// number of its last row: an independent count the reader must reach.
func sheetLastRow(file, sheet string) (int64, error) {
	var last int64
	err := eachSheetRow(file, sheet, func(n int64, _ *xml.Decoder, _ xml.StartElement) (bool, error) {
		last = n
		return true, nil
	})
	return last, err
}

// sheetRowAfter finds the first row numbered past after in the sheet's XML, and shows
// its first cells: the record a reader that stopped at after lost.
func sheetRowAfter(file, sheet string, after int64) (int64, string, error) {
	var found int64
	var cells []string
	err := eachSheetRow(file, sheet, func(n int64, dec *xml.Decoder, row xml.StartElement) (bool, error) {
		if n <= after {
			return true, nil
		}
		found = n
		var r struct {
			C []struct {
				T  string `xml:"t,attr"`
				V  string `xml:"v"`
				IS string `xml:"is>t"`
			} `xml:"c"`
		}
		if err := dec.DecodeElement(&r, &row); err != nil {
			return false, err
		}
		for _, c := range r.C {
			cells = append(cells, firstNonEmpty(c.IS, c.V))
			if c.T == "s" {
				cells[len(cells)-1] = sharedString(file, c.V)
			}
		}
		return false, nil
	})
	return found, excerpt([]byte(strings.Join(cells, ", ")), ""), err
}

// sharedString looks up one entry of the workbook's shared strings, or gives the
// index back when it cannot.
func sharedString(file, index string) string {
	i, err := strconv.Atoi(index)
	if err != nil {
		return index
	}
	zr, err := zip.OpenReader(file)
	if err != nil {
		return index
	}
	defer zr.Close()
	for _, f := range zr.File {
		if f.Name != "xl/sharedStrings.xml" {
			continue
		}
		r, err := f.Open()
		if err != nil {
			return index
		}
		defer r.Close()
		dec := xml.NewDecoder(r)
		for n := 0; ; {
			tok, err := dec.Token()
			if err != nil {
				return index
			}
			if se, ok := tok.(xml.StartElement); ok && se.Name.Local == "si" {
				if n == i {
					var si struct {
						T []string `xml:",any"`
					}
					if dec.DecodeElement(&si, &se) != nil {
						return index
					}
					return strings.Join(si.T, "")
				}
				n++
			}
		}
	}
	return index
}

// eachSheetRow calls fn with each <row> of the sheet's XML and its number, until fn
// says to stop.
func eachSheetRow(file, sheet string, fn func(n int64, dec *xml.Decoder, row xml.StartElement) (bool, error)) error {
	zr, err := zip.OpenReader(file)
	if err != nil {
		return err
	}
	defer zr.Close()
	open := func(name string) (io.ReadCloser, error) {
		for _, f := range zr.File {
			if f.Name == name {
				return f.Open()
			}
		}
		return nil, fmt.Errorf("the workbook has no part %s", name)
	}
	var wb struct {
		Sheets []struct {
			Name string `xml:"name,attr"`
			RID  string `xml:"http://schemas.openxmlformats.org/officeDocument/2006/relationships id,attr"`
		} `xml:"sheets>sheet"`
	}
	var rels struct {
		Rel []struct {
			ID     string `xml:"Id,attr"`
			Target string `xml:"Target,attr"`
		} `xml:"Relationship"`
	}
	for name, v := range map[string]any{"xl/workbook.xml": &wb, "xl/_rels/workbook.xml.rels": &rels} {
		r, err := open(name)
		if err != nil {
			return err
		}
		err = xml.NewDecoder(r).Decode(v)
		r.Close()
		if err != nil {
			return fmt.Errorf("%s: %w", name, err)
		}
	}
	target := ""
	for _, s := range wb.Sheets {
		if s.Name == sheet {
			for _, r := range rels.Rel {
				if r.ID == s.RID {
					target = r.Target
				}
			}
		}
	}
	if target == "" {
		return fmt.Errorf("no part holds sheet %s", sheet)
	}
	if strings.HasPrefix(target, "/") {
		target = strings.TrimPrefix(target, "/")
	} else {
		target = path.Join("xl", target)
	}
	r, err := open(target)
	if err != nil {
		return err
	}
	defer r.Close()
	dec := xml.NewDecoder(r)
	var last int64
	for {
		tok, err := dec.Token()
		if errors.Is(err, io.EOF) {
			return nil
		} else if err != nil {
			return fmt.Errorf("after row %d: %w", last, err)
		}
		if se, ok := tok.(xml.StartElement); ok && se.Name.Local == "row" {
			last++ // rows without a number follow the one before
			for _, a := range se.Attr {
				if a.Name.Local == "r" {
					if n, err := strconv.ParseInt(a.Value, 10, 64); err == nil {
						last = n
					}
				}
			}
			if more, err := fn(last, dec, se); err != nil || !more {
				return err
			}
		}
	}
}

// fromExcelSerial turns an Excel serial date-time (days since 1899-12-30) into text
// the typing query reads; other values pass through unchanged.
func fromExcelSerial(v string, date1904 bool) string {
	serial, err := strconv.ParseFloat(v, 64)
	if err != nil || serial <= 0 {
		return v
	}
	t, err := excelize.ExcelDateToTime(serial, date1904)
	if err != nil {
		return v
	}
	return t.Round(1e9).Format("2006-01-02 15:04:05")
}

func isBlank(cells []string) bool {
	for _, c := range cells {
		if strings.TrimSpace(c) != "" {
			return false
		}
	}
	return true
}

// oneLine keeps the first line of a library's message, for a one-line error.
func oneLine(err error) string {
	s, _, _ := strings.Cut(err.Error(), "\n")
	return strings.TrimSpace(s)
}

// peekXLSX reads the first non-blank row of the first sheet (or the profile's).
func peekXLSX(_ context.Context, _ *sql.DB, src source, _ string) ([]string, error) {
	f, err := excelize.OpenFile(src.path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	rows, err := f.Rows(f.GetSheetName(0))
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		cells, err := rows.Columns()
		if err != nil {
			return nil, err
		}
		if !isBlank(cells) {
			return cells, nil
		}
	}
	return nil, fmt.Errorf("empty sheet")
}
