package ingest

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestInboxMovesFilesAndGoesOn(t *testing.T) {
	inbox := t.TempDir()
	files := map[string]string{
		"a_cases.csv":   caseHeader + "C1,power,510302,residential,open,2024-03-01 09:00,\nC2,power,510302,vip,open,2024-03-01 09:00,\n",
		"b_broken.xlsx": "not a workbook",
		"c_unknown.csv": "foo,bar\n1,2\n",
		"d_events.csv":  "case_id,utility,stage,occurred_at\nC1,power,applied,2024-03-01 09:00\n",
	}
	for name, content := range files {
		os.WriteFile(filepath.Join(inbox, name), []byte(content), 0o644)
	}
	os.Mkdir(filepath.Join(inbox, "subfolder"), 0o755) // folders are not files to load

	db := openDB(t)
	results, err := newLoader(t, db, Options{}).LoadInbox(t.Context(), inbox)
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
	for i, w := range want {
		r := results[i]
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
	if results[0].RowsLoaded != 1 || results[0].RowsRejected != 1 {
		t.Errorf("a_cases.csv loaded/rejected = %d/%d, want 1/1", results[0].RowsLoaded, results[0].RowsRejected)
	}
	left, _ := os.ReadDir(inbox)
	if len(left) != 3 { // processed, quarantine, subfolder
		t.Errorf("inbox still holds %d entries, want the three folders", len(left))
	}
	// A second run finds nothing new.
	again, err := newLoader(t, db, Options{}).LoadInbox(t.Context(), inbox)
	if err != nil || len(again) != 0 {
		t.Errorf("second run = %v, %v; want nothing", again, err)
	}
}
