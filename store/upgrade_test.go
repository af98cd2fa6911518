package store_test

import (
	"context"
	"database/sql"
	"math"
	"os"
	"path/filepath"
	"reflect"
	"testing"

	_ "github.com/duckdb/duckdb-go/v2"

	"github.com/utilscore/utilscore/ingest"
	"github.com/utilscore/utilscore/metrics"
	"github.com/utilscore/utilscore/store"
)

// oldDatabase builds a database file the way a version before the spec v2 case
// columns made it: its schema, a view over cases, two cases of load 1 written in
// that schema's column order.
func oldDatabase(t *testing.T) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "old.duckdb")
	ddl, err := os.ReadFile("testdata/schema-v1.sql")
	if err != nil {
		t.Fatal(err)
	}
	db, err := sql.Open("duckdb", path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	for _, q := range []string{
		"SET TimeZone = 'Asia/Shanghai'",
		string(ddl),
		"CREATE VIEW case_stages AS SELECT * FROM cases",
		`INSERT INTO loads VALUES (nextval('load_ids'), 'old.csv', 'x', 'cases', 'csv', 'utf-8', 'zh-cn', 2, 2, 0, 0, NULL,
			'2024-10-16 08:00:00+08', '2024-10-16 08:00:01+08')`,
		// Old column order: …, connected_at, closed_at, suspended_days, applicant,
		// contact_phone, address, recorded_at, load_id, source_row.
		`INSERT INTO cases VALUES
			('C1', 'power', NULL, '510302', 'urban', 'residential', 'new', 8, 'kW', 'online', NULL, false, 2, 1, 0, 0, 'connected',
			 '2024-10-08 09:00:00+08', NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, '2024-10-10 15:00:00+08', NULL, NULL,
			 '王某', '13800000001', '某路1号', '2024-10-10 16:00:00+08', 1, 1),
			('C2', 'power', NULL, '510302', 'urban', 'residential', 'new', 8, 'kW', 'online', NULL, false, 2, 1, 0, 0, 'connected',
			 '2024-10-14 09:00:00+08', NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, '2024-10-15 09:00:00+08', NULL, NULL,
			 '李某', '13800000002', '某路2号', '2024-10-15 10:00:00+08', 1, 2)`,
	} {
		if _, err := db.Exec(q); err != nil {
			t.Fatalf("building the old database: %v", err)
		}
	}
	return path
}

func columns(t *testing.T, db *sql.DB, table string) []string {
	t.Helper()
	rows, err := db.Query(`SELECT column_name FROM duckdb_columns() WHERE database_name = current_database()
		AND schema_name = 'main' AND table_name = ? ORDER BY column_index`, table)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var c string
		if err := rows.Scan(&c); err != nil {
			t.Fatal(err)
		}
		out = append(out, c)
	}
	return out
}

// A database made before the spec v2 columns opens with them, in the order a new one
// has; its cases survive; a newer export of a case replaces it and the old version
// goes to case_history by position; the figures count old and new cases alike.
func TestPreV2DatabaseIsUpgraded(t *testing.T) {
	ctx := context.Background()
	path := oldDatabase(t)
	fresh, err := store.Open(ctx, ":memory:", store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer fresh.Close()
	db, err := store.Open(ctx, path, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	for _, table := range []string{"cases", "case_history", "rejects"} {
		if got, want := columns(t, db.DB, table), columns(t, fresh.DB, table); !reflect.DeepEqual(got, want) {
			t.Errorf("%s columns after the upgrade:\n got %v\nwant %v", table, got, want)
		}
	}
	var n int
	var applicant string
	if err := db.QueryRow(`SELECT count(*), min(applicant) FROM cases WHERE survey_agreed_at IS NULL AND enterprise_size IS NULL AND load_id = 1`).Scan(&n, &applicant); err != nil || n != 2 || applicant != "李某" {
		t.Fatalf("old cases after the upgrade: %d, %q, %v; want 2, 李某", n, applicant, err)
	}

	// A newer export of C1 with the v2 columns, and a new case C3.
	csvPath := filepath.Join(t.TempDir(), "cases-v2.csv")
	if err := os.WriteFile(csvPath, []byte("case_id,utility,district,area_type,customer_class,channel,procedures,materials,visits,fee_cny,status,applied_at,connected_at,recorded_at,survey_agreed_at,meter_fee_cny\n"+
		"C1,power,510302,urban,residential,online,2,1,0,0,connected,2024-10-08 09:00:00,2024-10-09 15:00:00,2024-10-11 10:00:00,2024-10-08 10:00:00,0\n"+
		"C3,power,510302,urban,residential,online,2,1,0,0,connected,2024-10-21 09:00:00,2024-10-22 09:00:00,2024-10-22 10:00:00,2024-10-21 11:00:00,0\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	l, err := ingest.NewLoader(ctx, db.DB, ingest.Options{})
	if err != nil {
		t.Fatal(err)
	}
	res, err := l.Load(ctx, csvPath)
	if err != nil {
		t.Fatal(err)
	}
	if res.RowsLoaded != 2 || res.RowsUpdated != 1 {
		t.Fatalf("loaded %d, updated %d; want 2, 1 (problems: %v)", res.RowsLoaded, res.RowsUpdated, res.Problems)
	}
	var histConnected, histRecorded string
	var superseded int64
	if err := db.QueryRow(`SELECT strftime(connected_at, '%Y-%m-%d %H:%M'), strftime(recorded_at, '%Y-%m-%d %H:%M'), superseded_by_load
		FROM case_history WHERE case_id = 'C1'`).Scan(&histConnected, &histRecorded, &superseded); err != nil {
		t.Fatal(err)
	}
	if histConnected != "2024-10-10 15:00" || histRecorded != "2024-10-10 16:00" || superseded != res.LoadID {
		t.Errorf("C1's old version in case_history: connected %s, recorded %s, superseded by load %d; want 2024-10-10 15:00, 2024-10-10 16:00, %d",
			histConnected, histRecorded, superseded, res.LoadID)
	}
	db.Close()

	// Opened again, nothing is left to upgrade; the figures count every case.
	db, err = store.Open(ctx, path, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	p, err := metrics.ParsePeriod("2024Q4", db.Location)
	if err != nil {
		t.Fatal(err)
	}
	rows, err := metrics.Compute(ctx, db.DB, p, metrics.DefaultSettings())
	if err != nil {
		t.Fatal(err)
	}
	// C1 1.25 WD (8 Oct 09:00 → 9 Oct 15:00), C2 1, C3 1.
	found := false
	for _, r := range rows {
		if r.MetricID == "connection_time" && r.Statistic == "mean" && r.Utility == "power" && r.CustomerClass == "" && r.District == "" && r.AreaType == "" {
			found = true
			if r.Value == nil || math.Abs(*r.Value-3.25/3) > 1e-9 || r.N != 3 {
				t.Errorf("connection_time mean = %v of %d, want %v of 3", r.Value, r.N, 3.25/3)
			}
		}
	}
	if !found {
		t.Error("no connection_time mean row for power")
	}
}
