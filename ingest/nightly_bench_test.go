package ingest

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/utilscore/utilscore/store"
)

// BenchmarkNightlyLoad loads one night's export of 10,000 cases (7,000 new, 3,000 new
// versions of cases applied for in the last tenth of the history) into an empty
// database and, in the same iteration, into one already holding
// UTILSCORE_BENCH_HISTORY cases (ten million unless set). The ratio is what the
// history costs a night: a merge by key stays near 1, a scan of history grows with it.
func BenchmarkNightlyLoad(b *testing.B) {
	history := 10_000_000
	if v, err := strconv.Atoi(os.Getenv("UTILSCORE_BENCH_HISTORY")); err == nil && v > 0 {
		history = v
	}
	ctx := context.Background()
	full := benchHistoryDB(b, history)
	night := filepath.Join(b.TempDir(), "night.csv")
	if err := os.WriteFile(night, []byte(nightCSV(history, 7000, 3000)), 0o644); err != nil {
		b.Fatal(err)
	}
	load := func(path string) (time.Duration, Result) {
		start := time.Now()
		db, err := store.Open(ctx, path, store.Options{})
		if err != nil {
			b.Fatal(err)
		}
		defer db.Close()
		l, err := NewLoader(ctx, db.DB, Options{Kind: "cases"})
		if err != nil {
			b.Fatal(err)
		}
		res, err := l.Load(ctx, night)
		if err != nil {
			b.Fatal(err)
		}
		return time.Since(start), res
	}
	var empty, loaded time.Duration
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		dir := b.TempDir()
		if err := copyBenchFile(full, filepath.Join(dir, "full.duckdb")); err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		d, res := load(filepath.Join(dir, "empty.duckdb"))
		if res.RowsLoaded != 10_000 || res.RowsUpdated != 0 {
			b.Fatalf("into an empty database: %+v", res)
		}
		empty += d
		d, res = load(filepath.Join(dir, "full.duckdb"))
		if res.RowsLoaded != 10_000 || res.RowsUpdated != 3000 {
			b.Fatalf("into the full database: loaded %d, updated %d; want 10000 and 3000", res.RowsLoaded, res.RowsUpdated)
		}
		loaded += d
	}
	n := float64(b.N)
	b.ReportMetric(empty.Seconds()/n, "empty-s/op")
	b.ReportMetric(loaded.Seconds()/n, "history-s/op")
	b.ReportMetric(loaded.Seconds()/empty.Seconds(), "x-empty")
}

// benchHistoryDB returns a database file holding n cases, kept in the temporary
// folder between runs since building it takes longer than a night's load.
func benchHistoryDB(b *testing.B, n int) string {
	b.Helper()
	path := filepath.Join(os.TempDir(), fmt.Sprintf("utilscore-bench-history-%d.duckdb", n))
	if _, err := os.Stat(path); err == nil {
		return path
	}
	ctx := context.Background()
	os.Remove(path + ".tmp")
	db, err := store.Open(ctx, path+".tmp", store.Options{})
	if err != nil {
		b.Fatal(err)
	}
	// Cases over 2015-2024 in the order they were applied for, across the four
	// utilities, with the text columns a real log carries; one ledger row for them.
	_, err = db.ExecContext(ctx, `INSERT INTO loads (load_id, file_name, sha256, kind, format, encoding, profile,
			rows_read, rows_loaded, rows_rejected, rows_updated, ignored_columns, started_at, finished_at)
		VALUES (1, 'history.csv', 'history', 'cases', 'csv', 'utf-8', 'builtin', ?, ?, 0, 0, '', now(), now())`, n, n)
	if err != nil {
		b.Fatal(err)
	}
	_, err = db.ExecContext(ctx, `INSERT INTO cases (case_id, utility, district, customer_class, status,
			applied_at, connected_at, applicant, contact_phone, address, recorded_at, load_id, source_row)
		SELECT 'C' || i, 'power', (510300 + i % 7)::VARCHAR, 'residential', 'connected',
			TIMESTAMPTZ '2015-01-01 08:00:00+08' + to_seconds(i * (315360000 // ?)),
			TIMESTAMPTZ '2015-01-05 08:00:00+08' + to_seconds(i * (315360000 // ?)),
			'申请人' || i, '138' || lpad((i % 100000000)::VARCHAR, 8, '0'), '自贡市自流井区某路' || (i % 9999) || '号',
			TIMESTAMPTZ '2015-01-05 09:00:00+08' + to_seconds(i * (315360000 // ?)), 1, i
		FROM range(?) t(i)`, n, n, n, n)
	if err != nil {
		b.Fatal(err)
	}
	if _, err := db.ExecContext(ctx, "CHECKPOINT"); err != nil {
		b.Fatal(err)
	}
	db.Close()
	if err := os.Rename(path+".tmp", path); err != nil {
		b.Fatal(err)
	}
	return path
}

// nightCSV is one night's export: fresh cases, then new versions of stored ones.
func nightCSV(history, fresh, updated int) string {
	var s strings.Builder
	s.WriteString("case_id,utility,district,customer_class,status,applied_at,connected_at,recorded_at\n")
	for i := 0; i < fresh; i++ {
		fmt.Fprintf(&s, "N%d,power,510302,residential,open,2025-01-01 09:00:00,,2025-01-02 08:00:00\n", i)
	}
	step := history / 10 / updated
	for i := 0; i < updated; i++ {
		id := history - history/10 + i*step
		fmt.Fprintf(&s, "C%d,power,510302,residential,connected,2024-06-01 09:00:00,2025-01-01 17:00:00,2025-01-02 08:00:00\n", id)
	}
	return s.String()
}

func copyBenchFile(from, to string) error {
	src, err := os.Open(from)
	if err != nil {
		return err
	}
	defer src.Close()
	dst, err := os.Create(to)
	if err != nil {
		return err
	}
	if _, err := io.Copy(dst, src); err != nil {
		dst.Close()
		return err
	}
	return dst.Close()
}
