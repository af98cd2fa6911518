package dashboards

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/utilscore/utilscore/internal/testdb"
	"github.com/utilscore/utilscore/metrics"
	"github.com/utilscore/utilscore/policy"
	"github.com/utilscore/utilscore/reports"
)

// testData loads a small generated data set and gathers its last quarter.
func testData(t *testing.T) *reports.Data { return quarterOf(t, 500, 5, "zigong-power-2021") }

// quarterOf generates a data set (of cases from seed; 0 cases: the demo's default size
// and seed), loads it into a fresh database and gathers its last quarter under the
// profile.
func quarterOf(t *testing.T, cases int, seed uint64, profile string) *reports.Data {
	t.Helper()
	ctx := context.Background()
	db := testdb.Generated(t, cases, seed)
	prof, err := policy.Load(profile)
	if err != nil {
		t.Fatal(err)
	}
	p, _ := metrics.ParsePeriod("2024Q4", db.Location)
	d, err := reports.Collect(ctx, db.DB, p, prof)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

func writeTestSite(t *testing.T, dir string) []string {
	t.Helper()
	os.WriteFile(filepath.Join(dir, "2024Q4_report.xlsx"), []byte("x"), 0o644)
	pages, err := Write(dir, reports.Regulator, testData(t))
	if err != nil {
		t.Fatal(err)
	}
	return pages
}

// The pages reference nothing outside the folder, link the workbooks beside them and
// give every chart a stable id.
func TestSiteIsSelfContained(t *testing.T) {
	dir := t.TempDir()
	pages := writeTestSite(t, dir)
	if len(pages) != 5 {
		t.Fatalf("%d pages, want index and four utilities", len(pages))
	}
	if _, err := os.Stat(filepath.Join(dir, "assets", "echarts.min.js")); err != nil {
		t.Fatal("the ECharts script is not in the folder")
	}
	for _, p := range pages {
		html, _ := os.ReadFile(p)
		text := string(html)
		for _, outside := range []string{"http://", "https://", "//cdn", "go-echarts-assets"} {
			if strings.Contains(text, outside) {
				t.Errorf("%s refers to %q", filepath.Base(p), outside)
			}
		}
		// Options are JSON data: a go-echarts function (opts.FuncOpts) would show as text.
		if strings.Contains(text, "__f__") {
			t.Errorf("%s holds a go-echarts function marker; the pages run no code from options", filepath.Base(p))
		}
	}
	index, _ := os.ReadFile(pages[0])
	if !strings.Contains(string(index), `href="2024Q4_report.xlsx"`) {
		t.Error("the index does not link the workbook beside it")
	}
	power, _ := os.ReadFile(filepath.Join(dir, "power.html"))
	for _, id := range []string{"power_connection_by_class", "power_trend", "power_outages_by_area", "power_service"} {
		if !strings.Contains(string(power), `id="`+id+`"`) {
			t.Errorf("power.html has no chart %s", id)
		}
	}
}
