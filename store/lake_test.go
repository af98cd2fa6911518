package store

import (
	"context"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// A lake reads back as the schema types it, without the personal columns, and a file
// that utilscore did not write is refused by name.
func TestLakeRoundTripAndForeignFiles(t *testing.T) {
	ctx := context.Background()
	db := open(t, Options{})
	_, err := db.Exec(`INSERT INTO cases (case_id, utility, district, customer_class, status, applied_at, applicant, fee_cny, load_id, source_row) VALUES
		('A', 'power', '510302', 'lv_zero', 'open', '2024-12-31 23:30:00+08', '张某', 12.5, 1, 1),
		('B', 'water', '510302', 'residential', 'open', '2025-01-01 00:30:00+08', '李某', NULL, 1, 2)`)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	tables, err := db.ExportLake(ctx, dir, []string{"cases", "tickets", "districts"}, false)
	if err != nil {
		t.Fatal(err)
	}
	if len(tables) != 4 || strings.Join(tables[0].Partition, ",") != "utility,year" || strings.Join(tables[0].Left, ",") != "applicant,contact_phone,address" {
		t.Fatalf("tables = %+v", tables)
	}
	// The year is read in the database's time zone: 23:30 on New Year's Eve is 2024.
	for _, f := range []string{"utility=power/year=2024", "utility=water/year=2025"} {
		if m, _ := filepath.Glob(filepath.Join(dir, "cases", f, "*.parquet")); len(m) != 1 {
			t.Errorf("no file in cases/%s", f)
		}
	}
	lake, err := OpenLake(ctx, dir, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer lake.Close()
	var n, named int
	var utilityType, feeType string
	err = lake.QueryRow(`SELECT count(*), count(applicant), any_value(typeof(utility)), any_value(typeof(fee_cny)) FROM cases`).Scan(&n, &named, &utilityType, &feeType)
	if err != nil {
		t.Fatal(err)
	}
	if n != 2 || named != 0 || !strings.HasPrefix(utilityType, "ENUM('power'") || feeType != "DECIMAL(18,2)" {
		t.Errorf("cases: %d rows, %d applicants, utility %s, fee %s", n, named, utilityType, feeType)
	}
	// An empty kind reads as an empty table.
	if err := lake.QueryRow(`SELECT count(*) FROM tickets`).Scan(&n); err != nil || n != 0 {
		t.Errorf("tickets: %d rows, %v", n, err)
	}
	foreign := filepath.Join(dir, "cases", "utility=power", "year=2024", "other.parquet")
	if _, err := db.Exec(`COPY (SELECT 'C' AS case_id) TO '` + foreign + `' (FORMAT parquet)`); err != nil {
		t.Fatal(err)
	}
	if _, err := OpenLake(ctx, dir, Options{}); err == nil || !strings.Contains(err.Error(), "other.parquet") || !strings.Contains(err.Error(), "not written by utilscore") {
		t.Errorf("a foreign file: err = %v", err)
	}
}

// The working time of a lake is counted on the lake's calendar, not on the one the
// reading binary has built in: a local holiday of the exporting database holds.
func TestLakeCountsOnItsOwnCalendar(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "local.csv")
	os.WriteFile(path, []byte("date,is_workday,note\n2024-03-11,false,local holiday\n"), 0o644)
	db := open(t, Options{CalendarFile: path})
	dir := t.TempDir()
	if _, err := db.ExportLake(ctx, dir, []string{"cases"}, false); err != nil {
		t.Fatal(err)
	}
	lake, err := OpenLake(ctx, dir, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer lake.Close()
	var got float64
	var deadline string
	err = lake.QueryRow(`SELECT working_days(ci, '2024-03-11 09:00'::TIMESTAMPTZ, '2024-03-12 09:00'::TIMESTAMPTZ),
		legal_deadline(ci, '2024-03-08 10:00'::TIMESTAMPTZ, 1, 0, NULL::TIME)::VARCHAR FROM calendar_index ci`).Scan(&got, &deadline)
	if err != nil {
		t.Fatal(err)
	}
	if math.Abs(got-0.375) > 1e-9 || deadline != "2024-03-12" { // Monday 11 March is off
		t.Errorf("on the lake: working_days over the local holiday = %v (want 0.375), deadline %s (want 2024-03-12)", got, deadline)
	}
	if d, err := lake.Calendar.Day(time.Date(2024, 3, 11, 0, 0, 0, 0, time.UTC)); err != nil || d.IsWorkday {
		t.Errorf("lake.Calendar on 2024-03-11 = %+v, %v; want a day off", d, err)
	}
}
