// Package bench holds the benchmarks that run the whole chain: generated files,
// loaded, exported and computed, at the sizes docs/scale.md reports.
package bench

import (
	"context"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/utilscore/utilscore/calendar"
	"github.com/utilscore/utilscore/ingest"
	"github.com/utilscore/utilscore/metrics"
	"github.com/utilscore/utilscore/policy"
	"github.com/utilscore/utilscore/store"
	"github.com/utilscore/utilscore/synth"
)

// BenchmarkLake computes all metrics of 2024Q4 under the district profile from a
// database of generated cases (UTILSCORE_BENCH_LAKE_CASES, default a million: the
// demo's generator, loaded by ingest) and from the Parquet lake exported from it, in
// the same run, and reports both times, their ratio, the export's time and the sizes.
// UTILSCORE_BENCH_LAKE_DB names an existing database to use instead, such as the one
// the metrics benchmark builds with SQL at ten million cases, a size the demo's
// generator, which writes every kind of file a utility exports, is not made for.
func BenchmarkLake(b *testing.B) {
	n := 1_000_000
	if s := os.Getenv("UTILSCORE_BENCH_LAKE_CASES"); s != "" {
		n, _ = strconv.Atoi(s)
	}
	ctx := context.Background()
	dbPath := os.Getenv("UTILSCORE_BENCH_LAKE_DB")
	if dbPath == "" {
		dbPath = generatedDB(b, n)
	}
	db, err := store.Open(ctx, dbPath, store.Options{})
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	kinds, err := ingest.Kinds(ctx, db.DB)
	if err != nil {
		b.Fatal(err)
	}
	var names []string
	for _, k := range kinds {
		names = append(names, k.Name)
	}
	lakeDir := filepath.Join(b.TempDir(), "lake")
	start := time.Now()
	if _, err := db.ExportLake(ctx, lakeDir, names, false); err != nil {
		b.Fatal(err)
	}
	exportSeconds := time.Since(start).Seconds()
	lake, err := store.OpenLake(ctx, lakeDir, store.Options{})
	if err != nil {
		b.Fatal(err)
	}
	defer lake.Close()
	prof, err := policy.Load("district-wpgt")
	if err != nil {
		b.Fatal(err)
	}
	p, _ := metrics.ParsePeriod("2024Q4", db.Location)
	compute := func(s *store.DB) (float64, int) {
		start := time.Now()
		rows, err := metrics.Compute(ctx, s.DB, p, prof.MetricSettings(), prof.CaseTargets(p)...)
		if err != nil {
			b.Fatal(err)
		}
		return time.Since(start).Seconds(), len(rows)
	}
	b.ResetTimer()
	var fromDB, fromLake float64
	for i := 0; i < b.N; i++ {
		var rowsDB, rowsLake int
		fromDB, rowsDB = compute(db)
		fromLake, rowsLake = compute(lake)
		if rowsDB != rowsLake {
			b.Fatalf("%d rows from the database, %d from the lake", rowsDB, rowsLake)
		}
	}
	b.StopTimer()
	var n64 int64
	if err := db.QueryRow("SELECT count(*) FROM cases").Scan(&n64); err != nil {
		b.Fatal(err)
	}
	b.ReportMetric(float64(n64), "cases")
	b.ReportMetric(fromDB, "db-s")
	b.ReportMetric(fromLake, "lake-s")
	b.ReportMetric(fromLake/fromDB, "lake/db")
	b.ReportMetric(exportSeconds, "export-s")
	b.ReportMetric(sizeMB(dbPath), "db-MB")
	b.ReportMetric(sizeMB(lakeDir), "lake-MB")
}

// generatedDB returns a database holding the demo generator's data for n cases,
// loaded by ingest, kept in the temporary folder between runs.
func generatedDB(b *testing.B, n int) string {
	b.Helper()
	path := filepath.Join(os.TempDir(), fmt.Sprintf("utilscore-bench-lake-%d.duckdb", n))
	if _, err := os.Stat(path); err == nil {
		return path
	}
	ctx := context.Background()
	dir := b.TempDir()
	db, err := store.Open(ctx, filepath.Join(dir, "gen.duckdb"), store.Options{})
	if err != nil {
		b.Fatal(err)
	}
	cal, err := calendar.BuiltIn(db.Location)
	if err != nil {
		b.Fatal(err)
	}
	cfg := synth.DefaultConfig(cal)
	cfg.Dir, cfg.Cases, cfg.Seed = filepath.Join(dir, "in"), n, 11
	if _, err := synth.Generate(cfg); err != nil {
		b.Fatal(err)
	}
	l, err := ingest.NewLoader(ctx, db.DB, ingest.Options{})
	if err != nil {
		b.Fatal(err)
	}
	if _, err := l.LoadInbox(ctx, cfg.Dir); err != nil {
		b.Fatal(err)
	}
	if _, err := db.Exec("CHECKPOINT"); err != nil {
		b.Fatal(err)
	}
	db.Close()
	if err := os.Rename(filepath.Join(dir, "gen.duckdb"), path); err != nil {
		b.Fatal(err)
	}
	return path
}

// sizeMB is the size of a file or of everything under a folder.
func sizeMB(path string) float64 {
	var total int64
	filepath.WalkDir(path, func(_ string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			if info, err := d.Info(); err == nil {
				total += info.Size()
			}
		}
		return nil
	})
	return float64(total) / 1e6
}
