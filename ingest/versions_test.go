package ingest

import (
	"os"
	"strings"
	"testing"
)

const versionHeader = "case_id,utility,district,customer_class,status,applied_at,connected_at,recorded_at\n"

func TestSameFileTwiceChangesNothing(t *testing.T) {
	db := openDB(t)
	l := newLoader(t, db, Options{})
	first := load(t, l, "testdata/cases_en.csv")
	before := dumpCases(t, db.DB)
	again := load(t, l, "testdata/cases_en.csv")
	if !again.AlreadyLoaded || again.LoadID != first.LoadID {
		t.Fatalf("second load = %+v, want AlreadyLoaded with load %d", again, first.LoadID)
	}
	// The same content under another name is the same file.
	data, err := os.ReadFile("testdata/cases_en.csv")
	if err != nil {
		t.Fatal(err)
	}
	if renamed := load(t, l, writeFile(t, "renamed.csv", string(data))); !renamed.AlreadyLoaded {
		t.Errorf("the same content under another name loaded again")
	}
	if got := dumpCases(t, db.DB); len(got) != len(before) {
		t.Errorf("cases changed on a second load: %d rows, want %d", len(got), len(before))
	}
	if got := queryOne(t, db.DB, "SELECT count(*) FROM loads"); got != "1" {
		t.Errorf("ledger holds %s loads, want 1", got)
	}
}

// A newer export of a case replaces it, the older version is kept, and an export
// older than what is stored loses but is kept too.
func TestNewerExportUpdatesCaseAndKeepsHistory(t *testing.T) {
	db := openDB(t)
	l := newLoader(t, db, Options{})
	v1 := writeFile(t, "v1.csv", versionHeader+
		"C1,power,510302,residential,open,2024-03-01 09:00,,2024-03-01 10:00\n"+
		"C2,power,510302,residential,open,2024-03-01 09:00,,2024-03-01 10:00\n")
	v2 := writeFile(t, "v2.csv", versionHeader+
		"C1,power,510302,residential,connected,2024-03-01 09:00,2024-03-05 09:00,2024-03-05 10:00\n"+
		"C2,power,510302,residential,open,2024-03-01 09:00,,2024-03-01 10:00\n") // unchanged
	stale := writeFile(t, "stale.csv", versionHeader+
		"C1,power,510302,residential,open,2024-03-01 09:00,,2024-03-02 10:00\n")

	load(t, l, v1)
	res := load(t, l, v2)
	if res.RowsLoaded != 2 || res.RowsUpdated != 1 {
		t.Fatalf("v2 loaded %d, updated %d; want 2 and 1", res.RowsLoaded, res.RowsUpdated)
	}
	res = load(t, l, stale)
	if res.RowsLoaded != 1 || res.RowsUpdated != 0 {
		t.Fatalf("stale loaded %d, updated %d; want 1 and 0", res.RowsLoaded, res.RowsUpdated)
	}
	current := query(t, db.DB, "SELECT case_id, status::VARCHAR, connected_at::VARCHAR, load_id FROM cases ORDER BY case_id")
	if want := "C1 connected 2024-03-05 09:00:00+08 2 | C2 open ∅ 1"; joinRows(current) != want {
		t.Errorf("cases = %s, want %s", joinRows(current), want)
	}
	history := query(t, db.DB, "SELECT case_id, status::VARCHAR, recorded_at::VARCHAR, load_id, superseded_by_load FROM case_history ORDER BY load_id")
	want := "C1 open 2024-03-01 10:00:00+08 1 2 | C1 open 2024-03-02 10:00:00+08 3 2"
	if joinRows(history) != want {
		t.Errorf("case_history = %s, want %s", joinRows(history), want)
	}
}

// Without recorded_at the latest file wins.
func TestLatestFileWinsWithoutRecordedAt(t *testing.T) {
	db := openDB(t)
	l := newLoader(t, db, Options{})
	load(t, l, writeFile(t, "a.csv", caseHeader+"C1,power,510302,residential,open,2024-03-01 09:00,\n"))
	load(t, l, writeFile(t, "b.csv", caseHeader+"C1,power,510302,residential,connected,2024-03-01 09:00,2024-03-04 09:00\n"))
	if got := queryOne(t, db.DB, "SELECT status::VARCHAR FROM cases"); got != "connected" {
		t.Errorf("status = %s, want the later file's connected", got)
	}
	if got := queryOne(t, db.DB, "SELECT count(*) FROM case_history"); got != "1" {
		t.Errorf("history holds %s versions, want 1", got)
	}
}

// Within one file, the later recorded_at of a case wins and the earlier is history.
func TestVersionsWithinOneFile(t *testing.T) {
	db := openDB(t)
	res := load(t, newLoader(t, db, Options{}), writeFile(t, "v.csv", versionHeader+
		"C1,power,510302,residential,connected,2024-03-01 09:00,2024-03-05 09:00,2024-03-05 10:00\n"+
		"C1,power,510302,residential,open,2024-03-01 09:00,,2024-03-01 10:00\n"+
		"C1,power,510302,residential,connected,2024-03-01 09:00,2024-03-05 09:00,2024-03-05 10:00\n")) // exact repeat
	if res.RowsLoaded != 3 || res.RowsRejected != 0 {
		t.Fatalf("loaded/rejected = %d/%d, want 3/0", res.RowsLoaded, res.RowsRejected)
	}
	if got := joinRows(query(t, db.DB, "SELECT status::VARCHAR FROM cases")); got != "connected" {
		t.Errorf("cases = %s, want one connected version", got)
	}
	if got := joinRows(query(t, db.DB, "SELECT status::VARCHAR, source_row FROM case_history")); got != "open 2" {
		t.Errorf("history = %s, want the open version from row 2", got)
	}
}

func joinRows(rows [][]string) string {
	var parts []string
	for _, r := range rows {
		parts = append(parts, strings.Join(r, " "))
	}
	return strings.Join(parts, " | ")
}
