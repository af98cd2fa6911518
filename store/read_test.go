package store

import (
	"bufio"
	"context"
	"fmt"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/utilscore/utilscore/calendar"
	"github.com/utilscore/utilscore/sql"
)

// writeDB makes a database file holding the statements' rows.
func writeDB(t *testing.T, path string, stmts ...string) {
	t.Helper()
	db, err := Open(context.Background(), path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	for _, s := range stmts {
		if _, err := db.Exec(s); err != nil {
			t.Fatalf("%s: %v", s, err)
		}
	}
}

const (
	district1 = "INSERT INTO districts VALUES ('510302', '自流井区', NULL, NULL, 1, 1)"
	case1     = `INSERT INTO cases (case_id, utility, district, customer_class, status, applied_at, connected_at, load_id, source_row)
		VALUES ('C1', 'power', '510302', 'residential', 'connected', '2024-03-29 10:00:00+08', '2024-04-02 10:00:00+08', 1, 1)`
)

func TestOpenForReadingNeverCreates(t *testing.T) {
	path := filepath.Join(t.TempDir(), "typo.duckdb")
	_, err := OpenForReading(context.Background(), path, Options{})
	if err == nil || !strings.Contains(err.Error(), "no such database file") || strings.Contains(err.Error(), "\n") {
		t.Errorf("err = %v, want one line saying the file does not exist", err)
	}
	if _, err := os.Stat(path); err == nil {
		t.Error("reading a missing database created it")
	}
}

// A read-only open computes with this binary's calendar (a user file included) even
// though it cannot write it into the file, and the file stays as it was.
func TestOpenForReadingUsesTheCalendarGiven(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "u.duckdb")
	writeDB(t, path, district1)
	local := filepath.Join(dir, "local.csv")
	os.WriteFile(local, []byte("date,is_workday,note\n2024-03-11,false,local holiday\n"), 0o644)
	before, _ := os.ReadFile(path)

	db, err := OpenForReading(context.Background(), path, Options{CalendarFile: local})
	if err != nil {
		t.Fatal(err)
	}
	db.SetMaxOpenConns(3) // several connections, each set up on its own
	for i := 0; i < 3; i++ {
		var got float64
		if err := db.QueryRow("SELECT working_days(ci, '2024-03-11 09:00'::TIMESTAMPTZ, '2024-03-12 09:00'::TIMESTAMPTZ) FROM calendar_index ci").Scan(&got); err != nil {
			t.Fatal(err)
		}
		if math.Abs(got-0.375) > 1e-9 {
			t.Errorf("working_days over the local holiday = %v, want 0.375", got)
		}
	}
	var n int
	db.QueryRow("SELECT count(*) FROM districts").Scan(&n)
	if n != 1 || db.Snapshot != "" || !db.AsOf.IsZero() {
		t.Errorf("districts %d, snapshot %q, as of %v; want the live file's one district", n, db.Snapshot, db.AsOf)
	}
	if _, err := db.Exec("DELETE FROM districts"); err == nil {
		t.Error("a read-only open could write")
	}
	db.Close()
	after, _ := os.ReadFile(path)
	if string(before) != string(after) {
		t.Error("reading changed the file")
	}
}

// holdForWriting is the child half of TestReadersFallBackToTheSnapshot: it holds the
// database as its writer until its stdin closes.
func holdForWriting(path string) {
	db, err := Open(context.Background(), path, Options{})
	if err != nil {
		fmt.Println("open:", err)
		os.Exit(1)
	}
	fmt.Println("holding")
	bufio.NewReader(os.Stdin).ReadString('\n')
	db.Close()
	os.Exit(0)
}

// holdingWriter starts a process that holds path as its writer until the test ends.
func holdingWriter(t *testing.T, path string) {
	t.Helper()
	child := exec.Command(os.Args[0], "-test.run=^TestReadersFallBackToTheSnapshot$")
	child.Env = append(os.Environ(), "UTILSCORE_TEST_HOLD_FOR_WRITING="+path)
	stdin, _ := child.StdinPipe()
	stdout, _ := child.StdoutPipe()
	if err := child.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { stdin.Close(); child.Wait() })
	line, _ := bufio.NewReader(stdout).ReadString('\n')
	if line != "holding\n" {
		t.Fatalf("the writer process said %q", line)
	}
}

func TestReadersFallBackToTheSnapshot(t *testing.T) {
	if path := os.Getenv("UTILSCORE_TEST_HOLD_FOR_WRITING"); path != "" {
		holdForWriting(path)
		return
	}
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "u.duckdb")
	db, err := Open(ctx, path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	db.Exec(district1)
	made := time.Now()
	if err := PublishSnapshot(ctx, db); err != nil {
		t.Fatal(err)
	}
	// Written after the snapshot: a reader of the snapshot does not see it.
	if _, err := db.Exec(case1); err != nil {
		t.Fatal(err)
	}
	db.Close()
	if leftovers, _ := filepath.Glob(filepath.Join(filepath.Dir(path), ".*")); len(leftovers) > 0 {
		t.Errorf("publishing left %v", leftovers)
	}

	holdingWriter(t, path)
	r, err := OpenForReading(ctx, path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	if r.Snapshot != SnapshotPath(path) || r.Path != path || r.AsOf.Before(made.Add(-time.Second)) || r.AsOf.After(time.Now()) {
		t.Errorf("snapshot %q of %q as of %v; want %q made at %v", r.Snapshot, r.Path, r.AsOf, SnapshotPath(path), made)
	}
	var districts, cases int
	var wd float64
	r.QueryRow("SELECT count(*) FROM districts").Scan(&districts)
	r.QueryRow("SELECT count(*) FROM cases").Scan(&cases)
	r.QueryRow("SELECT working_days(ci, '2024-10-11 12:00'::TIMESTAMPTZ, '2024-10-14 12:00'::TIMESTAMPTZ) FROM calendar_index ci").Scan(&wd)
	if districts != 1 || cases != 0 || wd != 2 {
		t.Errorf("the snapshot holds %d districts and %d cases, working days %v; want 1, 0 and 2", districts, cases, wd)
	}
	utilities, err := r.Utilities(ctx)
	if err != nil || !slices.Equal(utilities, []string{"power", "water", "gas", "telecom"}) {
		t.Errorf("utilities of the snapshot = %v, %v", utilities, err)
	}

	// Without a snapshot, a reader is told why it cannot read.
	os.Remove(SnapshotPath(path))
	_, err = OpenForReading(ctx, path, Options{})
	if err == nil || !strings.Contains(err.Error(), "in use by another process") || !strings.Contains(err.Error(), "no snapshot yet") {
		t.Errorf("err = %v, want the file in use and no snapshot", err)
	}
}

// A snapshot replaces the one before it, and a reader holding the old one keeps it.
func TestSnapshotReplacesTheOldOne(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "u.duckdb")
	db, err := Open(ctx, path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if err := PublishSnapshot(ctx, db); err != nil {
		t.Fatal(err)
	}
	old, err := openReadOnly(ctx, SnapshotPath(path), Options{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.Exec(district1); err != nil {
		t.Fatal(err)
	}
	if err := PublishSnapshot(ctx, db); err != nil {
		t.Fatal(err)
	}
	var inOld, inNew int
	old.QueryRow("SELECT count(*) FROM districts").Scan(&inOld)
	// Closed before the new one is opened: this process would otherwise be handed
	// the instance it already has open for that path.
	old.Close()
	fresh, err := openReadOnly(ctx, SnapshotPath(path), Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer fresh.Close()
	fresh.QueryRow("SELECT count(*) FROM districts").Scan(&inNew)
	if inOld != 0 || inNew != 1 {
		t.Errorf("districts in the old snapshot %d, in the new one %d; want 0 and 1", inOld, inNew)
	}
}

// Records are counted by the time that places them in a period (hand-counted rows).
func TestRecordsIn(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "u.duckdb")
	writeDB(t, path, district1, case1,
		// Connected in the first quarter, closed in the third: it finished in the first.
		`INSERT INTO cases (case_id, utility, district, customer_class, status, applied_at, connected_at, closed_at, load_id, source_row)
			VALUES ('C2', 'power', '510302', 'residential', 'connected', '2024-01-10 10:00:00+08', '2024-02-01 10:00:00+08', '2024-07-03 10:00:00+08', 1, 4)`,
		`INSERT INTO outages (outage_id, utility, district, area_type, kind, start_at, end_at, customers, load_id, source_row)
			VALUES ('O1', 'water', '510303', 'urban', 'fault', '2024-03-31 23:30:00+08', '2024-04-01 01:00:00+08', 10, 1, 2)`,
		`INSERT INTO water_balance (utility, district, month, system_input_m3, billed_m3, load_id, source_row)
			VALUES ('water', '510302', '2024-04-01', 100, 80, 1, 3)`)
	db, err := OpenForReading(ctx, path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	at := func(s string) time.Time {
		v, _ := time.ParseInLocation(time.DateOnly, s, db.Location)
		return v
	}
	tests := []struct {
		start, end, utility string
		want                Records
	}{
		{"2024-01-01", "2024-04-01", "", Records{Cases: 2, Outages: 1}}, // applied 29 Mar and 10 Jan, outage started 31 Mar 23:30 (+08)
		{"2024-04-01", "2024-07-01", "", Records{Cases: 1, WaterBalance: 1}},
		{"2024-04-01", "2024-07-01", "power", Records{Cases: 1}},
		{"2024-01-01", "2024-04-01", "gas", Records{}},
		{"2024-07-01", "2024-10-01", "", Records{}},
	}
	for _, tt := range tests {
		got, err := db.RecordsIn(ctx, at(tt.start), at(tt.end), tt.utility)
		if err != nil || got != tt.want {
			t.Errorf("RecordsIn(%s, %s, %q) = %+v, %v; want %+v", tt.start, tt.end, tt.utility, got, err, tt.want)
		}
	}
	for code, want := range map[string]bool{"510302": true, "510303": true, "999999": false} {
		if got, err := db.KnownDistrict(ctx, code); err != nil || got != want {
			t.Errorf("KnownDistrict(%s) = %v, %v; want %v", code, got, err, want)
		}
	}
}

func TestTemporaryLeavesNoPermanentObject(t *testing.T) {
	cal, err := calendar.BuiltIn(time.UTC)
	if err != nil {
		t.Fatal(err)
	}
	for _, script := range []string{temporary(calendarMacros(cal)), temporary(sqlfiles.Views)} {
		if n, temp := strings.Count(script, "CREATE "), strings.Count(script, "CREATE OR REPLACE TEMP "); n != temp || n == 0 {
			t.Errorf("%d of %d CREATE statements are temporary", temp, n)
		}
	}
}

// A failed count is an error, never a period without data.
func TestRecordsInReportsFailure(t *testing.T) {
	db := open(t, Options{})
	if _, err := db.Exec("DROP TABLE tickets"); err != nil {
		t.Fatal(err)
	}
	_, err := db.RecordsIn(context.Background(), time.Time{}, time.Now(), "")
	if err == nil || !strings.HasPrefix(err.Error(), "count the records of :memory: from 0001-01-01 to ") || !strings.Contains(err.Error(), "tickets") {
		t.Errorf("err = %v, want the failed count named", err)
	}
}
