package store

import (
	"context"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"testing"
	"time"
)

// BenchmarkPublishSnapshot publishes the snapshot of a database holding
// UTILSCORE_BENCH_CASES cases (default one million) and, in the same iteration,
// makes the cheapest copy there is as the baseline: a checkpoint and a byte copy of
// the file, synced (which is consistent only while nothing writes). The ratio is
// the cost of a copy that stays consistent while the service works.
func BenchmarkPublishSnapshot(b *testing.B) {
	n := 1_000_000
	if v, err := strconv.Atoi(os.Getenv("UTILSCORE_BENCH_CASES")); err == nil && v > 0 {
		n = v
	}
	ctx := context.Background()
	dir := b.TempDir()
	path := filepath.Join(dir, "u.duckdb")
	db, err := Open(ctx, path, Options{})
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	// Cases spread over 2024 across the four utilities, with the text columns a real
	// log carries (names, phones, addresses), which dominate the file's size.
	_, err = db.ExecContext(ctx, `INSERT INTO cases (case_id, utility, district, area_type, customer_class, status,
			applied_at, connected_at, applicant, contact_phone, address, load_id, source_row)
		SELECT 'C' || i, (['power', 'water', 'gas', 'telecom'])[i % 4 + 1]::utility_code, (510300 + i % 7)::VARCHAR, 'urban',
			(['residential', 'residential', 'residential', 'individual'])[i % 4 + 1]::customer_class_code, 'connected',
			TIMESTAMPTZ '2024-01-01 08:00:00+08' + to_minutes(i % 500000),
			TIMESTAMPTZ '2024-01-05 08:00:00+08' + to_minutes(i % 500000),
			'申请人' || i, '138' || lpad((i % 100000000)::VARCHAR, 8, '0'), '自贡市自流井区某路' || (i % 9999) || '号', 1, i
		FROM range(?) t(i)`, n)
	if err != nil {
		b.Fatal(err)
	}
	var copied, published time.Duration
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		start := time.Now()
		if _, err := db.ExecContext(ctx, "CHECKPOINT"); err != nil {
			b.Fatal(err)
		}
		if err := copyFile(path, filepath.Join(dir, "copy.duckdb")); err != nil {
			b.Fatal(err)
		}
		copied += time.Since(start)
		start = time.Now()
		if err := PublishSnapshot(ctx, db); err != nil {
			b.Fatal(err)
		}
		published += time.Since(start)
	}
	b.StopTimer()
	live, _ := os.Stat(path)
	snap, _ := os.Stat(SnapshotPath(path))
	per := float64(b.N)
	b.ReportMetric(copied.Seconds()/per, "copy-s/op")
	b.ReportMetric(published.Seconds()/per, "snapshot-s/op")
	b.ReportMetric(published.Seconds()/copied.Seconds(), "x-copy")
	b.ReportMetric(float64(live.Size())/1e6, "db-MB")
	b.ReportMetric(float64(snap.Size())/1e6, "snapshot-MB")
}

func copyFile(from, to string) error {
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
	if err := dst.Sync(); err != nil {
		dst.Close()
		return err
	}
	return dst.Close()
}
