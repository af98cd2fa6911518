package reports

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/utilscore/utilscore/metrics"
	"github.com/utilscore/utilscore/policy"
	"github.com/utilscore/utilscore/store"
)

// syntheticData holds n overdue cases and nothing else.
func syntheticData(n int) *Data {
	loc, _ := time.LoadLocation("Asia/Shanghai")
	p, _ := metrics.ParsePeriod("2024Q4", loc)
	prof, _ := policy.Load("district-wpgt")
	d := &Data{Period: p, Profile: prof, MadeAt: time.Now(), Districts: map[string]string{"510302": "自流井区"}}
	var cases CaseSlice
	for i := 0; i < n; i++ {
		cases = append(cases, metrics.OpenCase{Utility: "power", CaseID: "PW" + strconv.Itoa(i),
			CustomerClass: "lv_zero", District: "510302", AppliedAt: p.Start, MetricID: "connection_time", Elapsed: 5.5, Limit: 4, Used: 1.375,
			Applicant: "自贡某某有限公司", Phone: "13812345678"})
	}
	d.Overdue = cases
	return d
}

// Past Excel's row limit the list goes on in a second sheet, and says so.
func TestCaseListContinuesOnANewSheet(t *testing.T) {
	saved := caseListRows
	caseListRows = 4
	defer func() { caseListRows = saved }()
	path, err := Write(t.TempDir(), Regulator, "", syntheticData(10))
	if err != nil {
		t.Fatal(err)
	}
	f, _ := excelize.OpenFile(path)
	defer f.Close()
	var parts []string
	total := 0
	for _, s := range f.GetSheetList() {
		if strings.HasPrefix(s, "超期工单") {
			parts = append(parts, s)
			rows, _ := f.GetRows(s)
			total += len(rows) - (headerRow + 1)
			if title, _ := f.GetCellValue(s, "A1"); !strings.Contains(title, "共3页") {
				t.Errorf("%s: title %q does not say the list goes on", s, title)
			}
		}
	}
	if strings.Join(parts, ",") != "超期工单,超期工单（续2）,超期工单（续3）" || total != 10 {
		t.Errorf("sheets %v hold %d cases, want three sheets and 10 cases", parts, total)
	}
}

// BenchmarkCaseList writes a workbook whose 超期工单 list has a million cases
// (UTILSCORE_BENCH_CASE_LIST to change), read from a database that holds them, twice
// in one run, each in a process of its own whose peak resident memory (max RSS, the
// whole process: Go, DuckDB and excelize) is the figure: once streamed from the
// database as it is written, once gathered into a slice first as the lists used to be.
func BenchmarkCaseList(b *testing.B) {
	n := 1_000_000
	if s := os.Getenv("UTILSCORE_BENCH_CASE_LIST"); s != "" {
		n, _ = strconv.Atoi(s)
	}
	dir := b.TempDir()
	dbPath := filepath.Join(dir, "cases.duckdb")
	if err := writeLateCases(dbPath, n); err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	var stream, slice caseListRun
	for i := 0; i < b.N; i++ {
		var err error
		if stream, err = runCaseListWorker(dbPath, "stream", filepath.Join(dir, "stream")); err != nil {
			b.Fatal(err)
		}
		if slice, err = runCaseListWorker(dbPath, "slice", filepath.Join(dir, "slice")); err != nil {
			b.Fatal(err)
		}
	}
	b.StopTimer()
	b.ReportMetric(float64(n), "cases")
	b.ReportMetric(stream.peakMB, "stream-peak-MB")
	b.ReportMetric(slice.peakMB, "slice-peak-MB")
	b.ReportMetric(stream.peakMB/slice.peakMB, "stream/slice-peak")
	b.ReportMetric(stream.seconds, "stream-s")
	b.ReportMetric(slice.seconds, "slice-s")
	b.ReportMetric(stream.fileMB, "file-MB")
}

// writeLateCases fills a database with n cases over their limit at the end of
// 2024Q4: two in three still open (power and water), one in three connected late in
// the quarter, each with an applicant and a phone as real lists have.
func writeLateCases(path string, n int) error {
	ctx := context.Background()
	db, err := store.Open(ctx, path, store.Options{})
	if err != nil {
		return err
	}
	defer db.Close()
	// The cases' ledger row: without it, the next open takes them for what an
	// interrupted load left, and removes them.
	_, err = db.ExecContext(ctx, `INSERT INTO loads (load_id, file_name, sha256, kind, format, encoding, profile,
			rows_read, rows_loaded, rows_rejected, rows_updated, ignored_columns, started_at, finished_at)
		VALUES (1, 'late.csv', 'late', 'cases', 'csv', 'utf-8', 'builtin', ?, ?, 0, 0, '', now(), now())`, n, n)
	if err != nil {
		return err
	}
	_, err = db.ExecContext(ctx, `INSERT INTO cases (case_id, utility, district, customer_class, status, applied_at, connected_at,
			applicant, contact_phone, address, load_id, source_row)
		SELECT 'C' || lpad(i::VARCHAR, 8, '0'),
			CASE WHEN i % 2 = 0 THEN 'power' ELSE 'water' END,
			'5103' || lpad((i % 7)::VARCHAR, 2, '0'),
			CASE WHEN i % 2 = 0 THEN 'lv_zero' ELSE 'residential' END,
			CASE WHEN i % 3 = 0 THEN 'connected' ELSE 'open' END,
			TIMESTAMPTZ '2024-09-02 09:00:00+08' + (i % 5000000) * INTERVAL 1 SECOND,
			CASE WHEN i % 3 = 0 THEN TIMESTAMPTZ '2024-12-20 15:00:00+08' END,
			'自贡' || (i % 997)::VARCHAR || '号商贸有限公司', '138' || lpad((i % 100000000)::VARCHAR, 8, '0'),
			'自流井区某某路' || (i % 500)::VARCHAR || '号', 1, i + 1
		FROM range(?) t(i)`, n)
	return err
}

type caseListRun struct{ peakMB, seconds, fileMB float64 }

// runCaseListWorker runs this test binary as a worker writing the regulator's
// workbook, and reads its peak memory from the kernel.
func runCaseListWorker(dbPath, path, outDir string) (caseListRun, error) {
	if err := os.MkdirAll(outDir, 0o755); err != nil {
		return caseListRun{}, err
	}
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), caseListWorker+"="+path, "UTILSCORE_CASE_LIST_DB="+dbPath, "UTILSCORE_CASE_LIST_OUT="+outDir)
	start := time.Now()
	out, err := cmd.CombinedOutput()
	if err != nil {
		return caseListRun{}, fmt.Errorf("%s worker: %v\n%s", path, err, out)
	}
	run := caseListRun{seconds: time.Since(start).Seconds()}
	if ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage); ok {
		run.peakMB = float64(ru.Maxrss) / 1024 // kilobytes on Linux
	}
	if info, err := os.Stat(filepath.Join(outDir, FileName("2024Q4", Regulator, ""))); err == nil {
		run.fileMB = float64(info.Size()) / 1e6
	}
	return run, nil
}

// caseListWorker names the variable that makes the test binary a worker of
// BenchmarkCaseList: "stream" or "slice".
const caseListWorker = "UTILSCORE_CASE_LIST_WORKER"

func TestMain(m *testing.M) {
	if path := os.Getenv(caseListWorker); path != "" {
		if err := writeCaseListWorkbook(path, os.Getenv("UTILSCORE_CASE_LIST_DB"), os.Getenv("UTILSCORE_CASE_LIST_OUT")); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		os.Exit(0)
	}
	os.Exit(m.Run())
}

// writeCaseListWorkbook writes the regulator's workbook of 2024Q4 with its case list
// streamed, or gathered first into a slice (late cases, then the warnings).
func writeCaseListWorkbook(path, dbPath, outDir string) error {
	ctx := context.Background()
	db, err := store.Open(ctx, dbPath, store.Options{})
	if err != nil {
		return err
	}
	defer db.Close()
	prof, err := policy.Load("district-wpgt")
	if err != nil {
		return err
	}
	p, _ := metrics.ParsePeriod("2024Q4", db.Location)
	d := &Data{Period: p, Profile: prof, MadeAt: time.Now(), Districts: map[string]string{}}
	q := metrics.CaseQuery{Period: p, WarnShare: 0.8, Targets: prof.CaseTargets(p)}
	switch path {
	case "stream":
		d.Overdue = storedCases{ctx: ctx, db: db.DB, query: q}
	case "slice":
		late, err := metrics.LateCases(ctx, db.DB, p, q.Targets)
		if err != nil {
			return err
		}
		near, err := metrics.Overdue(ctx, db.DB, p.End.Add(-time.Second), q.WarnShare, q.Targets)
		if err != nil {
			return err
		}
		list := CaseSlice(late)
		for _, c := range near {
			if c.Used <= 1 {
				list = append(list, c)
			}
		}
		d.Overdue = list
	default:
		return fmt.Errorf("unknown case list path %q", path)
	}
	_, err = Write(outDir, Regulator, "", d)
	return err
}

// residentMB reads a memory figure of the process (Linux /proc), or 0 elsewhere.
func residentMB(field string) float64 {
	data, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(data), "\n") {
		if strings.HasPrefix(line, field) {
			var kb float64
			fmt.Sscan(strings.TrimSpace(strings.TrimSuffix(strings.TrimPrefix(line, field), "kB")), &kb)
			return kb / 1024
		}
	}
	return 0
}
