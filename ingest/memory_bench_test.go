package ingest

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"syscall"
	"testing"
	"time"

	"github.com/utilscore/utilscore/store"
)

// BenchmarkIngestPeakMemory loads the benchmark's cases CSV (1 million rows unless
// UTILSCORE_BENCH_ROWS says otherwise) into a fresh database in a process of its own,
// and lets DuckDB load the same file bare in another, and reports each process's
// peak resident memory (max RSS: Go and DuckDB together) as the kernel counts it.
func BenchmarkIngestPeakMemory(b *testing.B) {
	rows := 1_000_000
	if s := os.Getenv("UTILSCORE_BENCH_ROWS"); s != "" {
		rows, _ = strconv.Atoi(s)
	}
	path := benchCasesCSV(b, rows)
	info, err := os.Stat(path)
	if err != nil {
		b.Fatal(err)
	}
	var ours, bare ingestRun
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if bare, err = runIngestWorker("bare", path, b.TempDir()); err != nil {
			b.Fatal(err)
		}
		if ours, err = runIngestWorker("utilscore", path, b.TempDir()); err != nil {
			b.Fatal(err)
		}
	}
	b.StopTimer()
	b.ReportMetric(float64(info.Size())/1e6, "file-MB")
	b.ReportMetric(ours.peakMB, "utilscore-peak-MB")
	b.ReportMetric(bare.peakMB, "bare-peak-MB")
	b.ReportMetric(ours.seconds, "utilscore-s")
	b.ReportMetric(bare.seconds, "bare-s")
}

type ingestRun struct{ peakMB, seconds float64 }

// ingestWorker names the variable that makes the test binary a worker of
// BenchmarkIngestPeakMemory: "utilscore" or "bare".
const ingestWorker = "UTILSCORE_INGEST_WORKER"

func runIngestWorker(mode, csvPath, dir string) (ingestRun, error) {
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), ingestWorker+"="+mode, "UTILSCORE_INGEST_CSV="+csvPath, "UTILSCORE_INGEST_DB="+filepath.Join(dir, mode+".duckdb"))
	start := time.Now()
	out, err := cmd.CombinedOutput()
	if err != nil {
		return ingestRun{}, fmt.Errorf("%s worker: %v\n%s", mode, err, out)
	}
	run := ingestRun{seconds: time.Since(start).Seconds()}
	if ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage); ok {
		run.peakMB = float64(ru.Maxrss) / 1024 // kilobytes on Linux
	}
	return run, nil
}

func TestMain(m *testing.M) {
	if mode := os.Getenv(ingestWorker); mode != "" {
		if err := ingestWorkerLoad(mode, os.Getenv("UTILSCORE_INGEST_CSV"), os.Getenv("UTILSCORE_INGEST_DB")); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		os.Exit(0)
	}
	os.Exit(m.Run())
}

func ingestWorkerLoad(mode, csvPath, dbPath string) error {
	ctx := context.Background()
	if mode == "bare" {
		raw, err := sql.Open("duckdb", dbPath)
		if err != nil {
			return err
		}
		defer raw.Close()
		_, err = raw.Exec(fmt.Sprintf("CREATE TABLE cases AS SELECT * FROM read_csv('%s')", csvPath))
		return err
	}
	db, err := store.Open(ctx, dbPath, store.Options{})
	if err != nil {
		return err
	}
	defer db.Close()
	l, err := NewLoader(ctx, db.DB, Options{MemoryLimit: os.Getenv("UTILSCORE_INGEST_MEMORY_LIMIT")})
	if err != nil {
		return err
	}
	res, err := l.Load(ctx, csvPath)
	if err != nil {
		return err
	}
	if res.RowsRead != res.RowsLoaded+res.RowsRejected {
		return fmt.Errorf("read %d, loaded %d, rejected %d", res.RowsRead, res.RowsLoaded, res.RowsRejected)
	}
	return nil
}
