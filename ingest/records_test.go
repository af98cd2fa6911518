package ingest

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
)

// The record scan counts records by the CSV grammar (and JSON Lines' lines), ending a
// record also at a carriage return that ends no line; fed whole or a byte at a time,
// it counts the same. The counts are worked out by hand from the texts.
func TestRecordScan(t *testing.T) {
	long := strings.Repeat("x", maxRecordBytes) + "\ry,\"z\n"
	tests := []struct {
		name, text string
		json       bool
		want       int64
	}{
		{"plain lines", "h,i\na,b\nc,d\n", false, 3},
		{"blank lines are no records", "h,i\n\na,b\r\n\r\n", false, 2},
		{"no line break at the end", "h,i\r\na,b\r\nc,d", false, 3},
		{"a quoted line break", "h,i\n\"a\nb\",c\nd,e\n", false, 3},
		{"a quote inside an unquoted field opens nothing", "h,i\nab\"c,d\ne,f\n", false, 3},
		{"a doubled quote, then a line break inside", "h,i\n\"a\"\"\nb\",c\n", false, 2},
		{"a quote after a tab opens a field", "h\ti\n1\t\"x\ny\"\n", false, 2},
		{"a lone carriage return ends a record", "h,i\na,b\rc,d\n", false, 3},
		{"carriage returns before the line end", "h,i\na,b\r\r\n", false, 2},
		{"a line of one carriage return is a record", "h,i\n\r\r\n", false, 2},
		{"a carriage return starting a line", "h,i\n\rb,c\n", false, 2},
		{"a carriage return inside quotes", "h,i\n\"a\rb\",c\n", false, 2},
		{"an over-long line is one record", "h,i\n" + long + "a,b\n", false, 3},
		{"JSON Lines", "{\"a\":1}\n   \n{\"a\":\"x\ry\"}\n{\"a\":2}\r{\"a\":3}\n{\"a\":4}\r\r\n", true, 5},
		{"JSON Lines: a quote never closed ends with its line", "{\"a\":\"x\n{\"a\":2}\n", true, 2},
	}
	for _, tc := range tests {
		whole := &recordScan{json: tc.json}
		whole.Write([]byte(tc.text))
		whole.close()
		bytewise := &recordScan{json: tc.json}
		for i := 0; i < len(tc.text); i++ {
			bytewise.Write([]byte{tc.text[i]})
		}
		bytewise.close()
		if whole.records != tc.want || bytewise.records != tc.want {
			t.Errorf("%s: %d records fed whole, %d fed a byte at a time; want %d", tc.name, whole.records, bytewise.records, tc.want)
		}
	}
}

// A file in which the parser would glue two records into one is refused, naming the
// record it lost: its line, its byte and its first characters.
func TestLostRecordNamed(t *testing.T) {
	dir := t.TempDir()
	csv := caseHeader +
		"C1,power,510302,residential,open,2024-03-01 09:00,\n" +
		"C2,power,510302,residential,open,2024-03-01 09:00,\r" +
		"C3,power,510302,residential,open,2024-03-01 09:00,\n" +
		"C4,power,510302,residential,open,2024-03-01 09:00,\n"
	obj := func(id string) string {
		return `{"case_id": "` + id + `", "utility": "power", "district": "510302", "customer_class": "residential", "status": "open", "applied_at": "2024-03-01 09:00"}`
	}
	jsonl := obj("C1") + "\n" + obj("C2") + "\r" + obj("C3") + "\n"
	db := openDB(t)
	l := newLoader(t, db, Options{Kind: "cases"})
	for _, tc := range []struct{ name, text, want string }{
		{"lone_cr.csv", csv, `the file holds 4 records but 3 were read; the first one lost starts at line 3 byte 52: "C3,power,510302,residential,op…"; a carriage return alone ends the record before it`},
		{"lone_cr.jsonl", jsonl, `the file holds 3 records but 2 were read; the first one lost starts at line 2 byte 146: "{\"case_id\": \"C3\", \"utility\": \"…"`},
	} {
		path := filepath.Join(dir, tc.name)
		os.WriteFile(path, []byte(tc.text), 0o644)
		_, err := l.Load(t.Context(), path)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: err = %v; want it to say %s", tc.name, err, tc.want)
		}
	}
	if n := queryOne(t, db.DB, "SELECT count(*) FROM cases"); n != "0" {
		t.Errorf("%s cases stored from refused files", n)
	}
}

// A workbook's lost row is named from the sheet's XML: the first row past the last
// one read, with its cells, shared strings and numbers alike.
func TestSheetRowAfter(t *testing.T) {
	f := excelize.NewFile()
	for r, row := range [][]any{{"case_id", "capacity"}, {"C1", 10}, {"C2", 20}, {"张三-C5", 50.5}} {
		at := r + 1
		if r == 3 {
			at = 5 // row 4 is blank: absent from the XML
		}
		for c, v := range row {
			cell, _ := excelize.CoordinatesToCellName(c+1, at)
			f.SetCellValue("Sheet1", cell, v)
		}
	}
	path := filepath.Join(t.TempDir(), "book.xlsx")
	if err := f.SaveAs(path); err != nil {
		t.Fatal(err)
	}
	n, cells, err := sheetRowAfter(path, "Sheet1", 3)
	if err != nil || n != 5 || cells != `"张三-C5, 50.5"` {
		t.Errorf("after row 3: row %d, %s, %v; want row 5, \"张三-C5, 50.5\"", n, cells, err)
	}
	if n, _, err := sheetRowAfter(path, "Sheet1", 5); err != nil || n != 0 {
		t.Errorf("after the last row: row %d, %v; want none", n, err)
	}
}
