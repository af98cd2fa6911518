package ingest

import (
	"compress/gzip"
	"context"
	"database/sql"
	"encoding/csv"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/utilscore/utilscore/store"
)

func openDB(t testing.TB) *store.DB {
	t.Helper()
	db, err := store.Open(context.Background(), ":memory:", store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

func newLoader(t testing.TB, db *store.DB, opts Options) *Loader {
	t.Helper()
	l, err := NewLoader(context.Background(), db.DB, opts)
	if err != nil {
		t.Fatal(err)
	}
	return l
}

func load(t testing.TB, l *Loader, path string) Result {
	t.Helper()
	res, err := l.Load(context.Background(), path)
	if err != nil {
		t.Fatalf("Load(%s): %v", path, err)
	}
	return res
}

// writeFile writes content into a file in a fresh temporary folder.
func writeFile(t testing.TB, name, content string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// query returns every row of a query as text, NULL as "∅".
func query(t testing.TB, db *sql.DB, q string, args ...any) [][]string {
	t.Helper()
	rows, err := db.Query(q, args...)
	if err != nil {
		t.Fatalf("%s: %v", q, err)
	}
	defer rows.Close()
	cols, _ := rows.Columns()
	var out [][]string
	for rows.Next() {
		vals := make([]sql.NullString, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			t.Fatal(err)
		}
		row := make([]string, len(cols))
		for i, v := range vals {
			row[i] = "∅"
			if v.Valid {
				row[i] = v.String
			}
		}
		out = append(out, row)
	}
	return out
}

func queryOne(t testing.TB, db *sql.DB, q string, args ...any) string {
	t.Helper()
	rows := query(t, db, q, args...)
	if len(rows) != 1 || len(rows[0]) != 1 {
		t.Fatalf("%s: want one value, got %v", q, rows)
	}
	return rows[0][0]
}

// dumpCases is the cases table as text, every data column, ordered by key.
func dumpCases(t testing.TB, db *sql.DB) [][]string {
	return query(t, db, `SELECT COLUMNS(c -> c NOT IN ('load_id', 'source_row'))::VARCHAR FROM cases ORDER BY utility, case_id`)
}

func readCSV(t testing.TB, path string) [][]string {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	return rows
}

// toXLSX writes CSV rows into a workbook as a utility's export would be: times as
// Excel date cells, numbers as numbers.
func toXLSX(t testing.TB, rows [][]string, sheet string) string {
	t.Helper()
	f := excelize.NewFile()
	if sheet != "Sheet1" {
		f.NewSheet(sheet)
		f.SetCellValue("Sheet1", "A1", "not this sheet")
	}
	style, _ := f.NewStyle(&excelize.Style{NumFmt: 22})
	for r, row := range rows {
		for c, v := range row {
			cell, _ := excelize.CoordinatesToCellName(c+1, r+1)
			if v == "" {
				continue
			}
			if ts, err := time.Parse("2006-01-02 15:04:05", v); err == nil && r > 0 {
				f.SetCellValue(sheet, cell, ts)
				f.SetCellStyle(sheet, cell, cell, style)
			} else {
				f.SetCellStr(sheet, cell, v)
			}
		}
	}
	path := filepath.Join(t.TempDir(), "cases.xlsx")
	if err := f.SaveAs(path); err != nil {
		t.Fatal(err)
	}
	return path
}

func gzipFile(t testing.TB, src string) string {
	t.Helper()
	data, err := os.ReadFile(src)
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), filepath.Base(src)+".gz")
	f, _ := os.Create(path)
	w := gzip.NewWriter(f)
	w.Write(data)
	w.Close()
	f.Close()
	return path
}

// toParquet converts a CSV with DuckDB, typing the time columns as TIMESTAMP (no
// offset, as many exporters write them) and the counts as integers.
func toParquet(t testing.TB, db *sql.DB, src string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "cases.parquet")
	_, err := db.Exec(fmt.Sprintf(`COPY (SELECT * REPLACE (applied_at::TIMESTAMP AS applied_at, procedures::INTEGER AS procedures)
		FROM read_csv('%s', all_varchar = true)) TO '%s' (FORMAT parquet)`, src, path))
	if err != nil {
		t.Fatal(err)
	}
	return path
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if strings.Contains(x, s) {
			return true
		}
	}
	return false
}

func asFileError(err error, target **FileError) bool { return errors.As(err, target) }
