package ingest

import (
	"bytes"
	"compress/gzip"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// inboxResult finds a file's result by name.
func inboxResult(t *testing.T, results []InboxResult, name string) InboxResult {
	t.Helper()
	for _, r := range results {
		if r.File == name {
			return r
		}
	}
	t.Fatalf("no result for %s in %d results", name, len(results))
	return InboxResult{}
}

func writeInbox(t *testing.T, files map[string]string) string {
	t.Helper()
	inbox := t.TempDir()
	for name, content := range files {
		if err := os.WriteFile(filepath.Join(inbox, name), []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return inbox
}

func TestInboxMovesFilesAndGoesOn(t *testing.T) {
	inbox := writeInbox(t, map[string]string{
		"a_cases.csv":   caseHeader + "C1,power,510302,residential,open,2024-03-01 09:00,\nC2,power,510302,vip,open,2024-03-01 09:00,\n",
		"b_broken.xlsx": "not a workbook",
		"c_unknown.csv": "foo,bar\n1,2\n",
		"d_events.csv":  "case_id,utility,stage,occurred_at\nC1,power,applied,2024-03-01 09:00\n",
	})
	os.Mkdir(filepath.Join(inbox, "subfolder"), 0o755) // folders are not files to load

	db := openDB(t)
	results, err := newLoader(t, db, Options{Settle: -1}).LoadInbox(t.Context(), inbox)
	if err != nil {
		t.Fatal(err)
	}
	if len(results) != 4 {
		t.Fatalf("got %d results, want 4", len(results))
	}
	want := []struct {
		name, folder string
		refused      bool
	}{
		{"a_cases.csv", ProcessedDir, false},
		{"b_broken.xlsx", QuarantineDir, true},
		{"c_unknown.csv", QuarantineDir, true},
		{"d_events.csv", ProcessedDir, false},
	}
	for _, w := range want {
		r := inboxResult(t, results, w.name)
		if (r.Refused != nil) != w.refused || r.Path != filepath.Join(inbox, w.folder, w.name) {
			t.Errorf("%s: path %s refused %v; want it in %s, refused %v", w.name, r.Path, r.Refused, w.folder, w.refused)
		}
		if _, err := os.Stat(r.Path); err != nil {
			t.Errorf("%s is not where the result says: %v", w.name, err)
		}
		if w.refused {
			msg, err := os.ReadFile(r.Path + ".error.txt")
			if err != nil || len(strings.TrimSpace(string(msg))) == 0 {
				t.Errorf("%s has no error report beside it: %v", w.name, err)
			}
		}
	}
	if r := inboxResult(t, results, "a_cases.csv"); r.RowsLoaded != 1 || r.RowsRejected != 1 {
		t.Errorf("a_cases.csv loaded/rejected = %d/%d, want 1/1", r.RowsLoaded, r.RowsRejected)
	}
	left, _ := os.ReadDir(inbox)
	if len(left) != 3 { // processed, quarantine, subfolder
		t.Errorf("inbox still holds %d entries, want the three folders", len(left))
	}
	// A second run finds nothing new.
	again, err := newLoader(t, db, Options{Settle: -1}).LoadInbox(t.Context(), inbox)
	if err != nil || len(again) != 0 {
		t.Errorf("second run = %v, %v; want nothing", again, err)
	}
}

// Poisoned files among good ones: each poisoned one is quarantined with its reason,
// and every good one loads, before and after it.
func TestInboxQuarantinesPoisonedFilesAndLoadsTheRest(t *testing.T) {
	var corruptGz bytes.Buffer
	zw := gzip.NewWriter(&corruptGz)
	zw.Write([]byte(caseHeader + strings.Repeat("C9,power,510302,residential,open,2024-03-01 09:00,\n", 200)))
	zw.Close()
	gz := corruptGz.Bytes()
	gz[len(gz)/2] ^= 0xFF // damage in the middle of the body
	good := func(id string) string {
		return caseHeader + id + ",power,510302,residential,open,2024-03-01 09:00,\n"
	}
	files := map[string]string{
		"1_good.csv":              good("G1"),
		"2_open_quote.csv":        caseHeader + "P1,power,510302,residential,open,\"2024-03-01 09:00,\nP2,power,510302,residential,open,2024-03-01 09:00,\n",
		"3_good.csv":              good("G3"),
		"4_corrupt.csv.gz":        string(gz),
		"5_neither_text.csv":      caseHeader + strings.Repeat("N1,power,510302,residential,open,2024-03-01 09:00,\xff\xfe\x80\n", 5),
		"6_good.csv":              good("G6"),
		"7_not_a_parquet.parquet": "PAR1 garbage",
	}
	inbox := writeInbox(t, files)
	db := openDB(t)
	results, err := newLoader(t, db, Options{Settle: -1}).LoadInbox(t.Context(), inbox)
	if err != nil {
		t.Fatal(err)
	}
	reasons := map[string]string{
		"2_open_quote.csv":        "2_open_quote.csv: line 2: a quoted field opened on this line is never closed",
		"4_corrupt.csv.gz":        "gzip is damaged",
		"5_neither_text.csv":      "neither UTF-8",
		"7_not_a_parquet.parquet": "not a readable Parquet file",
	}
	for name := range files {
		r := inboxResult(t, results, name)
		want, poisoned := reasons[name]
		if !poisoned {
			if r.Refused != nil || r.RowsLoaded != 1 || r.Path != filepath.Join(inbox, ProcessedDir, name) {
				t.Errorf("%s: refused %v, loaded %d, at %s; want loaded and processed", name, r.Refused, r.RowsLoaded, r.Path)
			}
			continue
		}
		msg, err := os.ReadFile(filepath.Join(inbox, QuarantineDir, name+".error.txt"))
		if r.Refused == nil || err != nil || !strings.Contains(string(msg), want) || strings.Count(strings.TrimSpace(string(msg)), "\n") > 0 {
			t.Errorf("%s: refused %v, report %q (%v); want one line saying %q", name, r.Refused, msg, err, want)
		}
	}
	if got := queryOne(t, db.DB, "SELECT string_agg(case_id, ' ' ORDER BY case_id) FROM cases"); got != "G1 G3 G6" {
		t.Errorf("cases = %s, want G1 G3 G6", got)
	}
}

// Cases that name their district by name load when the districts list sorts after
// them: the reference list goes first.
func TestInboxLoadsReferenceKindsFirst(t *testing.T) {
	inbox := writeInbox(t, map[string]string{
		"a_cases.csv":     caseHeader + "C1,power,自流井区,residential,open,2024-03-01 09:00,\n",
		"z_districts.csv": "district,name\n510302,自流井区\n",
	})
	db := openDB(t)
	results, err := newLoader(t, db, Options{Settle: -1}).LoadInbox(t.Context(), inbox)
	if err != nil {
		t.Fatal(err)
	}
	if len(results) != 2 || results[0].File != "z_districts.csv" || results[1].RowsLoaded != 1 {
		t.Fatalf("results = %+v; want the districts first, then 1 case loaded", results)
	}
	if got := queryOne(t, db.DB, "SELECT district FROM cases"); got != "510302" {
		t.Errorf("district = %s, want 510302", got)
	}
}

// A file still being written is left for the next run; one with a .done marker is
// taken at once.
func TestInboxTakesOnlyFinishedFiles(t *testing.T) {
	row := "C1,power,510302,residential,open,2024-03-01 09:00,\n"
	inbox := writeInbox(t, map[string]string{
		"growing.csv":      caseHeader + row,
		"marked.csv":       caseHeader + strings.ReplaceAll(row, "C1", "M1"),
		"marked.csv.done":  "",
		"upload.csv.part":  caseHeader,
		".hidden_temp.csv": caseHeader,
	})
	stop := make(chan struct{})
	defer close(stop)
	go func() { // another tool appends to growing.csv while the inbox looks
		for i := 0; ; i++ {
			select {
			case <-stop:
				return
			case <-time.After(20 * time.Millisecond):
				f, err := os.OpenFile(filepath.Join(inbox, "growing.csv"), os.O_APPEND|os.O_WRONLY, 0)
				if err == nil {
					f.WriteString(strings.ReplaceAll(row, "C1", "C"+strings.Repeat("x", i%5+2)))
					f.Close()
				}
			}
		}
	}()
	db := openDB(t)
	results, err := newLoader(t, db, Options{Settle: 300 * time.Millisecond}).LoadInbox(t.Context(), inbox)
	if err != nil {
		t.Fatal(err)
	}
	if r := inboxResult(t, results, "growing.csv"); !r.Waiting || r.Path != filepath.Join(inbox, "growing.csv") {
		t.Errorf("growing.csv = %+v; want it waiting in the inbox", r)
	}
	if r := inboxResult(t, results, "marked.csv"); r.Waiting || r.RowsLoaded != 1 {
		t.Errorf("marked.csv = %+v; want it loaded", r)
	}
	if len(results) != 2 {
		t.Errorf("got %d results; .part and dot files must be left alone", len(results))
	}
	if _, err := os.Stat(filepath.Join(inbox, "marked.csv.done")); !os.IsNotExist(err) {
		t.Errorf("the .done marker is still there: %v", err)
	}
}
