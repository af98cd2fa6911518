package ingest

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/utilscore/utilscore/calendar"
	"github.com/utilscore/utilscore/store"
	"github.com/utilscore/utilscore/synth"
)

// benchCasesCSV returns a cases CSV of n rows made by the generator, kept in the
// temporary folder between runs since making it takes longer than loading it.
func benchCasesCSV(b *testing.B, n int) string {
	b.Helper()
	path := filepath.Join(os.TempDir(), fmt.Sprintf("utilscore-bench-cases-%d.csv", n))
	if _, err := os.Stat(path); err == nil {
		return path
	}
	loc, _ := time.LoadLocation(store.DefaultTimeZone)
	cal, err := calendar.BuiltIn(loc)
	if err != nil {
		b.Fatal(err)
	}
	if err := synth.CasesCSV(synth.DefaultConfig(cal), path+".tmp", n); err != nil {
		b.Fatal(err)
	}
	if err := os.Rename(path+".tmp", path); err != nil {
		b.Fatal(err)
	}
	return path
}

// BenchmarkIngestCases loads a generated cases CSV (1 million rows unless
// UTILSCORE_BENCH_ROWS says otherwise) into a fresh database file, and in the same
// iteration lets DuckDB load the same file bare, with
// CREATE TABLE AS SELECT * FROM read_csv(...): the ratio is utilscore's cost over the
// bare load, measured on the same machine at the same time.
func BenchmarkIngestCases(b *testing.B) {
	rows := 1_000_000
	if s := os.Getenv("UTILSCORE_BENCH_ROWS"); s != "" {
		rows, _ = strconv.Atoi(s)
	}
	path := benchCasesCSV(b, rows)
	ctx := context.Background()
	var bare, ours time.Duration
	var loaded int64
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		dir := b.TempDir()

		start := time.Now()
		raw, err := sql.Open("duckdb", filepath.Join(dir, "bare.duckdb"))
		if err != nil {
			b.Fatal(err)
		}
		if _, err := raw.Exec(fmt.Sprintf("CREATE TABLE cases AS SELECT * FROM read_csv('%s')", path)); err != nil {
			b.Fatal(err)
		}
		raw.Close()
		bare += time.Since(start)

		start = time.Now()
		db, err := store.Open(ctx, filepath.Join(dir, "utilscore.duckdb"), store.Options{})
		if err != nil {
			b.Fatal(err)
		}
		l, err := NewLoader(ctx, db.DB, Options{})
		if err != nil {
			b.Fatal(err)
		}
		res, err := l.Load(ctx, path)
		if err != nil {
			b.Fatal(err)
		}
		db.Close()
		ours += time.Since(start)
		loaded = res.RowsLoaded
		if res.RowsRead != int64(rows) || res.RowsRead != res.RowsLoaded+res.RowsRejected {
			b.Fatalf("read %d, loaded %d, rejected %d of %d rows", res.RowsRead, res.RowsLoaded, res.RowsRejected, rows)
		}
	}
	n := float64(b.N)
	b.ReportMetric(bare.Seconds()/n, "bare-s/op")
	b.ReportMetric(ours.Seconds()/n, "utilscore-s/op")
	b.ReportMetric(ours.Seconds()/bare.Seconds(), "x-bare")
	b.ReportMetric(float64(loaded)/(ours.Seconds()/n), "rows/s")
}
