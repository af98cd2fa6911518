package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/utilscore/utilscore/store"
)

// A lake written by export gives the metrics of the database it came from, and holds
// no personal data unless asked to: no column the schema marks as personal, and none
// of their values anywhere, planted ones included.
func TestLakeFromExport(t *testing.T) {
	dir := t.TempDir()
	if code, _, errOut := runCLI("demo", "--dir", dir, "--cases", "600", "--seed", "11"); code != 0 {
		t.Fatalf("demo: %s", errOut)
	}
	dbPath := filepath.Join(dir, "utilscore.duckdb")
	personal, secrets := plantPersonalData(t, dbPath)
	lake, full := filepath.Join(dir, "lake"), filepath.Join(dir, "lake-personal")
	if code, out, errOut := runCLI("export", "--db", dbPath, "--parquet", lake); code != 0 || !strings.Contains(out, "left out: applicant") {
		t.Fatalf("export: %s%s", out, errOut)
	}
	if code, _, errOut := runCLI("export", "--db", dbPath, "--parquet", full, "--with-personal-data"); code != 0 {
		t.Fatalf("export --with-personal-data: %s", errOut)
	}

	t.Run("same metrics", func(t *testing.T) {
		args := []string{"metrics", "--period", "2024Q4", "--profile", "district-wpgt", "--format", "csv"}
		code, fromDB, errOut := runCLI(append(args, "--db", dbPath)...)
		if code != 0 {
			t.Fatalf("metrics --db: %s", errOut)
		}
		code, fromLake, errOut := runCLI(append(args, "--lake", lake)...)
		if code != 0 {
			t.Fatalf("metrics --lake: %s", errOut)
		}
		sameMetricsCSV(t, fromLake, fromDB)
	})

	t.Run("no personal data", func(t *testing.T) {
		columns, found := scanLake(t, lake, secrets)
		for _, c := range personal {
			if columns[c] {
				t.Errorf("column %s is in the lake", c)
			}
		}
		if len(found) > 0 {
			t.Errorf("personal values in the lake: %v", found)
		}
	})

	// The scan finds what is there: with the flag, every column and value is back.
	t.Run("with the flag", func(t *testing.T) {
		columns, found := scanLake(t, full, secrets)
		for _, c := range personal {
			if !columns[c] {
				t.Errorf("column %s is missing with --with-personal-data", c)
			}
		}
		if len(found) != len(secrets) {
			t.Errorf("found %d of the %d personal values", len(found), len(secrets))
		}
	})
}

// plantPersonalData adds a case, an event, a ticket and a rating whose personal
// fields are recognisable, and returns the personal columns (table.column) and a
// sample of the values they hold, the planted ones among them.
func plantPersonalData(t *testing.T, path string) (columns, values []string) {
	t.Helper()
	ctx := context.Background()
	db, err := store.Open(ctx, path, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	for _, q := range []string{
		`INSERT INTO cases (case_id, utility, district, customer_class, status, applied_at, applicant, contact_phone, address, load_id, source_row)
			VALUES ('PLANT1', 'power', '510302', 'lv_zero', 'open', '2024-12-02 09:00:00+08', '张秘密', '13900001111', '秘密路9号', 1, 1)`,
		`INSERT INTO case_events (case_id, utility, stage, occurred_at, operator, load_id, source_row)
			VALUES ('PLANT1', 'power', 'accepted', '2024-12-02 10:00:00+08', '受理员王秘密', 1, 1)`,
		`INSERT INTO tickets (ticket_id, utility, district, kind, received_at, summary, contact_phone, load_id, source_row)
			VALUES ('PLANT2', 'power', '510302', 'complaint', '2024-11-02 09:00:00+08', '投诉人住秘密小区', '13900002222', 1, 1)`,
		`INSERT INTO evaluations (evaluation_id, utility, district, subject, subject_id, rated_at, rating, comment, load_id, source_row)
			VALUES ('PLANT3', 'power', '510302', 'case', 'PLANT1', '2024-12-20 09:00:00+08', 1, '李秘密说太慢', 1, 1)`,
	} {
		if _, err := db.ExecContext(ctx, q); err != nil {
			t.Fatal(err)
		}
	}
	marked, err := db.PersonalColumns(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for table, cols := range marked {
		for _, c := range cols {
			columns = append(columns, c)
			rows, err := db.QueryContext(ctx, fmt.Sprintf(`SELECT DISTINCT "%s" FROM "%s" WHERE length("%s") >= 4 ORDER BY "%s" LIMIT 40`, c, table, c, c))
			if err != nil {
				t.Fatal(err)
			}
			for rows.Next() {
				var v string
				rows.Scan(&v)
				values = append(values, v)
			}
			rows.Close()
		}
	}
	for _, want := range []string{"applicant", "contact_phone", "address", "operator", "summary", "comment"} {
		if !strings.Contains(strings.Join(columns, ","), want) {
			t.Fatalf("the schema does not mark %s as personal data: %v", want, columns)
		}
	}
	return columns, values
}

// scanLake reads every Parquet file of a lake and returns the names of its columns
// and which of values occur in any of its cells.
func scanLake(t *testing.T, lake string, values []string) (columns map[string]bool, found []string) {
	t.Helper()
	ctx := context.Background()
	db, err := store.Open(ctx, ":memory:", store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	columns = map[string]bool{}
	var cells strings.Builder
	files := 0
	err = filepath.WalkDir(lake, func(path string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, ".parquet") {
			return err
		}
		files++
		rows, err := db.QueryContext(ctx, "SELECT * FROM read_parquet(?, hive_partitioning = false)", path)
		if err != nil {
			return err
		}
		defer rows.Close()
		names, _ := rows.Columns()
		for _, n := range names {
			columns[n] = true
		}
		cell := make([]any, len(names))
		ptrs := make([]any, len(names))
		for i := range cell {
			ptrs[i] = &cell[i]
		}
		for rows.Next() {
			if err := rows.Scan(ptrs...); err != nil {
				return err
			}
			for _, v := range cell {
				fmt.Fprintf(&cells, "%v\x00", v)
			}
		}
		return rows.Err()
	})
	if err != nil {
		t.Fatal(err)
	}
	if files < 10 || !columns["case_id"] {
		t.Fatalf("the lake %s has %d files and columns %v", lake, files, columns)
	}
	text := cells.String()
	for _, v := range values {
		if strings.Contains(text, v) {
			found = append(found, v)
		}
	}
	return columns, found
}
