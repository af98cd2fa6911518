package reports

import (
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/utilscore/utilscore/metrics"
	"github.com/utilscore/utilscore/policy"
)

// syntheticData holds n overdue cases and nothing else.
func syntheticData(n int) *Data {
	loc, _ := time.LoadLocation("Asia/Shanghai")
	p, _ := metrics.ParsePeriod("2024Q4", loc)
	prof, _ := policy.Load("district-wpgt")
	d := &Data{Period: p, Profile: prof, MadeAt: time.Now(), Districts: map[string]string{"510302": "自流井区"}}
	for i := 0; i < n; i++ {
		d.Overdue = append(d.Overdue, metrics.OpenCase{Utility: "power", CaseID: "PW" + strconv.Itoa(i),
			CustomerClass: "lv_zero", District: "510302", AppliedAt: p.Start, MetricID: "connection_time", Elapsed: 5.5, Limit: 4, Used: 1.375,
			Applicant: "自贡某某有限公司", Phone: "13812345678"})
	}
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
// (UTILSCORE_BENCH_CASE_LIST to change), and reports the time, the memory the writing
// added to the process's peak (the cases themselves, held in memory, are counted
// apart), and the file size.
func BenchmarkCaseList(b *testing.B) {
	n := 1_000_000
	if s := os.Getenv("UTILSCORE_BENCH_CASE_LIST"); s != "" {
		n, _ = strconv.Atoi(s)
	}
	d := syntheticData(n)
	runtime.GC()
	before := residentMB("VmHWM:")
	dir := b.TempDir()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := Write(dir, Regulator, "", d); err != nil {
			b.Fatal(err)
		}
	}
	b.StopTimer()
	b.ReportMetric(float64(n), "cases")
	b.ReportMetric(before, "input-peak-MB")
	b.ReportMetric(residentMB("VmHWM:")-before, "writer-added-MB")
	if info, err := os.Stat(filepath.Join(dir, FileName("2024Q4", Regulator, ""))); err == nil {
		b.ReportMetric(float64(info.Size())/1e6, "file-MB")
	}
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
