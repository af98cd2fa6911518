package ingest

import (
	"fmt"
	"strings"
	"testing"

	"github.com/utilscore/utilscore/domain"
)

const caseHeader = "case_id,utility,district,customer_class,status,applied_at,connected_at\n"

// Every timestamp form of spec/inputs.md arrives as the same instant, read in
// Asia/Shanghai when it carries no offset.
func TestTimestampForms(t *testing.T) {
	tests := []struct {
		raw, want string
	}{
		{"2024-03-05 14:30:00", "2024-03-05 14:30:00+08"},
		{"2024-03-05 14:30", "2024-03-05 14:30:00+08"},
		{"2024-03-05T14:30:00+08:00", "2024-03-05 14:30:00+08"},
		{"2024-03-05T06:30:00Z", "2024-03-05 14:30:00+08"},
		{"2024-03-05T14:30:00", "2024-03-05 14:30:00+08"},
		{"2024/3/5 14:30", "2024-03-05 14:30:00+08"},
		{"2024/03/05 14:30:00", "2024-03-05 14:30:00+08"},
		{"2024年3月5日 14:30", "2024-03-05 14:30:00+08"},
		{"2024年3月5日14:30", "2024-03-05 14:30:00+08"},
		{" 2024-03-05 14:30:00 ", "2024-03-05 14:30:00+08"},
		{"2024-03-05", "2024-03-05 00:00:00+08"}, // a date alone is 00:00, also for an end
	}
	var b strings.Builder
	b.WriteString(caseHeader)
	for i, tt := range tests {
		// The form under test is the connection time; applied_at stays plain.
		b.WriteString("C" + string(rune('a'+i)) + ",power,510302,residential,connected,2024-03-01 09:00,\"" + tt.raw + "\"\n")
	}
	db := openDB(t)
	res := load(t, newLoader(t, db, Options{}), writeFile(t, "times.csv", b.String()))
	if res.RowsRejected != 0 {
		t.Fatalf("rejected %d rows: %v", res.RowsRejected, res.Problems)
	}
	for i, tt := range tests {
		id := "C" + string(rune('a'+i))
		if got := queryOne(t, db.DB, "SELECT connected_at::VARCHAR FROM cases WHERE case_id = ?", id); got != tt.want {
			t.Errorf("%q loaded as %s, want %s", tt.raw, got, tt.want)
		}
	}
}

func TestExcelSerialDates(t *testing.T) {
	tests := []struct {
		serial, want string
	}{
		{"45356.6041666667", "2024-03-05 14:30:00"},
		{"45356", "2024-03-05 00:00:00"},
		{"2024-03-05 14:30", "2024-03-05 14:30"}, // text in a date column passes through
	}
	for _, tt := range tests {
		if got := fromExcelSerial(tt.serial, false); got != tt.want {
			t.Errorf("fromExcelSerial(%s) = %s, want %s", tt.serial, got, tt.want)
		}
	}
}

// Each rejection reason of spec/inputs.md, with the line, column and value it names.
func TestRejectionReasons(t *testing.T) {
	tests := []struct {
		name, kind, header, row string
		column, reason          string
	}{
		{"missing required value", "cases", caseHeader, "C1,power,510302,residential,connected,,", "applied_at", "required value is missing"},
		{"unknown code", "cases", caseHeader, "C1,power,510302,vip,connected,2024-03-01 09:00,", "customer_class", `"vip" is not a known code`},
		{"class of another utility", "cases", caseHeader, "C1,water,510302,lv_zero,connected,2024-03-01 09:00,", "customer_class", "customer class lv_zero is not a water class"},
		{"unparsable time", "cases", caseHeader, "C1,power,510302,residential,connected,2024-02-30 10:00,", "applied_at", `"2024-02-30 10:00" is not a date-time`},
		{"implausible year", "cases", caseHeader, "C1,power,510302,residential,connected,1024-03-01 10:00,", "applied_at", "implausible year"},
		{"end before start", "cases", caseHeader, "C1,power,510302,residential,connected,2024-03-05 10:00,2024-03-01 10:00", "connected_at", "connected_at 2024-03-01 10:00:00+08 is before applied_at 2024-03-05 10:00:00+08"},
		{"district name without a districts list", "cases", caseHeader, "C1,power,自流井区,residential,connected,2024-03-01 10:00,", "district", "no districts list is loaded"},
		{"negative count", "outages", "outage_id,utility,district,area_type,kind,start_at,end_at,customers\n", "O1,power,510302,urban,fault,2024-03-01 10:00,2024-03-01 12:00,-5", "customers", `"-5" is negative`},
		{"not a whole number", "outages", "outage_id,utility,district,area_type,kind,start_at,end_at,customers\n", "O1,power,510302,urban,fault,2024-03-01 10:00,2024-03-01 12:00,12.5", "customers", `"12.5" is not a whole number`},
		{"not a number", "water_balance", "utility,district,month,system_input_m3,billed_m3\n", "water,510302,2024-03,lots,900", "system_input_m3", `"lots" is not a number`},
		{"not a month", "water_balance", "utility,district,month,system_input_m3,billed_m3\n", "water,510302,March,1000,900", "month", `"March" is not a month`},
		{"not true or false", "outages", "outage_id,utility,district,area_type,kind,start_at,end_at,customers,emergency_supply\n", "O1,water,510302,urban,fault,2024-03-01 10:00,2024-03-01 12:00,5,maybe", "emergency_supply", `"maybe" is not true or false`},
		{"rating out of range", "evaluations", "evaluation_id,utility,district,subject,subject_id,rated_at,rating\n", "E1,power,510302,case,C1,2024-03-01 10:00,6", "rating", `rating "6" is outside 1`},
		{"ticket closed before received", "tickets", "ticket_id,utility,district,kind,received_at,closed_at\n", "K1,gas,510302,complaint,2024-03-05 10:00,2024-03-04 10:00", "closed_at", "closed_at 2024-03-04 10:00:00+08 is before received_at"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			db := openDB(t)
			good := map[string]string{
				"cases":         "C0,power,510302,residential,connected,2024-03-01 09:00,2024-03-02 09:00",
				"outages":       "O0,power,510302,urban,fault,2024-03-01 10:00,2024-03-01 12:00,5",
				"water_balance": "water,510303,2024-03,1000,900",
				"evaluations":   "E0,power,510302,case,C0,2024-03-01 10:00,5",
				"tickets":       "K0,gas,510302,complaint,2024-03-01 10:00,2024-03-04 10:00",
			}[tt.kind]
			if tt.kind == "outages" && strings.Contains(tt.header, "emergency") {
				good += ",true"
			}
			path := writeFile(t, tt.kind+".csv", tt.header+good+"\n"+tt.row+"\n")
			res := load(t, newLoader(t, db, Options{}), path)
			if res.Kind != tt.kind || res.RowsRead != 2 || res.RowsLoaded != 1 || res.RowsRejected != 1 {
				t.Fatalf("kind %s read/loaded/rejected = %d/%d/%d, want %s 2/1/1; problems %v", res.Kind, res.RowsRead, res.RowsLoaded, res.RowsRejected, tt.kind, res.Problems)
			}
			p := res.Problems[0]
			if p.Line != 3 || p.Column != tt.column || !strings.Contains(p.Reason, tt.reason) {
				t.Errorf("problem = %+v, want line 3, column %s, reason containing %q", p, tt.column, tt.reason)
			}
			if zh, ok := domain.ReasonZH(p.Reason); !ok {
				t.Errorf("reason %q has no Chinese text in domain/reasons.go (got %q)", p.Reason, zh)
			}
			stored := query(t, db.DB, "SELECT file_name, line, column_name, reason FROM rejects")
			if len(stored) == 0 || stored[0][0] != tt.kind+".csv" || stored[0][1] != "3" || stored[0][2] != tt.column {
				t.Errorf("rejects table = %v, want %s.csv line 3 column %s", stored, tt.kind, tt.column)
			}
		})
	}
}

// A row with two bad cells is one rejected row with two problems.
func TestOneRowTwoProblems(t *testing.T) {
	db := openDB(t)
	res := load(t, newLoader(t, db, Options{}), writeFile(t, "c.csv", caseHeader+"C1,power,510302,vip,connected,yesterday,\n"))
	if res.RowsRejected != 1 || len(res.Problems) != 2 {
		t.Fatalf("rejected %d rows with problems %v; want 1 row, 2 problems", res.RowsRejected, res.Problems)
	}
	if got := queryOne(t, db.DB, "SELECT count(*) FROM rejects"); got != "2" {
		t.Errorf("rejects table holds %s problems, want 2", got)
	}
}

// A file with planted bad rows: rows read = rows loaded + rows rejected, and the
// tables agree with the counts.
func TestRowsReadEqualLoadedPlusRejected(t *testing.T) {
	content := caseHeader +
		"C1,power,510302,residential,connected,2024-03-01 09:00,2024-03-02 09:00\n" +
		"C2,power,510302,residential,connected,2024-03-01 09:00\n" + // too few columns
		"C3,power,510302,residential,connected,2024-03-01 09:00,,extra\n" + // too many columns
		"\"C4\",power,510302,\"multi\nline class\",open,2024-03-01 09:00,\n" + // bad code, spans two lines
		"C5,power,510302,residential,open,2024-03-01 09:00,\n" +
		"C6,power,,residential,open,not a time,\n" + // two problems, one row
		"C7,power,510302,residential,open,2024-03-01 09:00,\n" +
		"C7,power,510302,residential,connected,2024-03-01 09:00,2024-03-04 09:00\n" + // same key, different content
		"C8,power,510302,residential,open,2024-03-01 09:00,\n"
	db := openDB(t)
	res := load(t, newLoader(t, db, Options{}), writeFile(t, "planted.csv", content))
	if res.RowsRead != 9 || res.RowsLoaded != 3 || res.RowsRejected != 6 {
		t.Fatalf("read/loaded/rejected = %d/%d/%d, want 9/3/6; %v", res.RowsRead, res.RowsLoaded, res.RowsRejected, res.Problems)
	}
	if res.RowsRead != res.RowsLoaded+res.RowsRejected {
		t.Error("rows read != loaded + rejected")
	}
	if got := queryOne(t, db.DB, "SELECT count(*) FROM cases"); got != "3" {
		t.Errorf("cases holds %s rows, want 3", got)
	}
	// Physical lines: C4 starts on line 5 and spans 6, so C6 (two problems) is on 8.
	wantLines := "3 4 5 8 8 9 10"
	var got []string
	for _, r := range query(t, db.DB, "SELECT line FROM rejects ORDER BY line") {
		got = append(got, r[0])
	}
	if strings.Join(got, " ") != wantLines {
		t.Errorf("reject lines = %v, want %s", got, wantLines)
	}
	ledger := query(t, db.DB, "SELECT rows_read, rows_loaded, rows_rejected FROM loads")
	if len(ledger) != 1 || strings.Join(ledger[0], "/") != "9/3/6" {
		t.Errorf("ledger = %v, want 9/3/6", ledger)
	}
	// Loaded rows keep their record number in the file, even past skipped records.
	if got := queryOne(t, db.DB, "SELECT source_row FROM cases WHERE case_id = 'C8'"); got != "9" {
		t.Errorf("C8 source_row = %s, want 9", got)
	}
}

func TestHeadersMatchIgnoringCaseSpacesAndWidth(t *testing.T) {
	content := "ＣＡＳＥ_ＩＤ , Utility ,DISTRICT,customer_class,status, 申请时间 \n" +
		"C1,power,510302,residential,open,2024-03-01 09:00\n"
	db := openDB(t)
	res := load(t, newLoader(t, db, Options{}), writeFile(t, "h.csv", content))
	if res.RowsLoaded != 1 || res.Kind != "cases" {
		t.Fatalf("loaded %d rows of %s; problems %v", res.RowsLoaded, res.Kind, res.Problems)
	}
}

func TestFileRefusedWhole(t *testing.T) {
	tests := []struct {
		name, file, content, want string
	}{
		{"headers fit no kind", "x.csv", "foo,bar\n1,2\n", "fit no kind"},
		{"missing required columns name them", "x.csv", "case_id,utility,district\nC1,power,510302\n", "cases lacks customer_class, status, applied_at"},
		{"two headers mean one column", "x.csv", "case_id,工单编号,utility,district,customer_class,status,applied_at\n", `both mean case_id`},
		{"unknown extension", "x.doc", "whatever", "unknown file type"},
		{"old xls", "x.xls", "whatever", "save the sheet as .xlsx"},
		{"empty file", "x.csv", "", "first line must hold the column headers"},
		{"broken workbook", "x.xlsx", "not a zip", "not a readable .xlsx"},
		{"broken gzip", "x.csv.gz", "not gzip", "not a readable gzip"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			db := openDB(t)
			_, err := newLoader(t, db, Options{}).Load(t.Context(), writeFile(t, tt.file, tt.content))
			var fe *FileError
			if !asFileError(err, &fe) || !strings.Contains(err.Error(), tt.want) || !strings.Contains(err.Error(), tt.file) {
				t.Fatalf("err = %v, want a FileError naming %s and saying %q", err, tt.file, tt.want)
			}
			if got := queryOne(t, db.DB, "SELECT count(*) FROM loads"); got != "0" {
				t.Errorf("a refused file left %s ledger rows", got)
			}
		})
	}
}

func TestRecordLines(t *testing.T) {
	content := "h1,h2\n" + // header, line 1
		"a,b\n" + // record 0, line 2
		"\"multi\nline\",x\n" + // record 1, lines 3-4
		"\n" + // blank line 5
		"\"say \"\"hi\"\"\",y\r\n" + // record 2, line 6, escaped quotes
		"c,\"one\n\ntwo\"\n" + // record 3, lines 7-9
		"d,e" // record 4, line 10, no final newline
	path := writeFile(t, "lines.csv", content)
	lines, err := openLines(path, false, encUTF8)
	if err != nil {
		t.Fatal(err)
	}
	defer lines.Close()
	recs := &csvRecords{lines: lines, p: csvParser{delim: ','}}
	var got []string
	for {
		r, err := recs.next()
		if err != nil {
			break
		}
		got = append(got, fmt.Sprintf("%d:%s", r.line, strings.Join(r.fields, "|")))
	}
	want := "1:h1|h2 2:a|b 3:multi\nline|x 6:say \"hi\"|y 7:c|one\n\ntwo 10:d|e"
	if g := strings.Join(got, " "); g != want {
		t.Errorf("records = %q\nwant      %q", g, want)
	}
}

// A bad value in an optional column no figure reads loads the row with the field
// empty and a warning; a bad value in a column a figure reads still rejects it.
func TestLenientColumnsWarn(t *testing.T) {
	db := openDB(t)
	kinds, err := Kinds(t.Context(), db.DB)
	if err != nil {
		t.Fatal(err)
	}
	cases, _ := kindByName(kinds, "cases")
	if !cases.Lenient["capacity_unit"] || cases.Lenient["channel"] || cases.Lenient["applied_at"] || cases.Lenient["case_id"] {
		t.Fatalf("lenient columns of cases = %v; want capacity_unit, not channel (the online share reads it), nor required ones", cases.Lenient)
	}
	content := "case_id,utility,district,customer_class,status,applied_at,capacity_unit,channel\n" +
		"C1,power,510302,residential,open,2024-03-01 09:00,furlong,online\n" + // warning
		"C2,power,510302,residential,open,2024-03-01 09:00,kW,fax\n" + // rejected
		"C3,power,510302,residential,open,2024-03-01 09:00,kW,online\n"
	res := load(t, newLoader(t, db, Options{}), writeFile(t, "w.csv", content))
	if res.RowsRead != 3 || res.RowsLoaded != 2 || res.RowsRejected != 1 || res.RowsWarned != 1 {
		t.Fatalf("read/loaded/rejected/warned = %d/%d/%d/%d, want 3/2/1/1; %v", res.RowsRead, res.RowsLoaded, res.RowsRejected, res.RowsWarned, res.Problems)
	}
	if got := queryOne(t, db.DB, "SELECT coalesce(capacity_unit::VARCHAR, 'NULL') FROM cases WHERE case_id = 'C1'"); got != "NULL" {
		t.Errorf("C1 capacity_unit = %s, want NULL", got)
	}
	got := joinRows(query(t, db.DB, "SELECT line, column_name, severity FROM rejects ORDER BY line"))
	if got != "2 capacity_unit warning | 3 channel rejected" {
		t.Errorf("rejects = %s", got)
	}
	if got := joinRows(query(t, db.DB, "SELECT rows_read, rows_loaded, rows_rejected FROM loads")); got != "3 2 1" {
		t.Errorf("ledger = %s, want 3 2 1", got)
	}
}
