package dashboards

import (
	"bytes"
	"encoding/json"
	"flag"
	"html/template"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/utilscore/utilscore/metrics"
	"github.com/utilscore/utilscore/policy"
	"github.com/utilscore/utilscore/reports"
)

var update = flag.Bool("update", false, "rewrite the golden files after a reviewed change")

// fixedData holds a few hand-made figures, so the charts' options are known.
func fixedData(t *testing.T) *reports.Data {
	loc, _ := time.LoadLocation("Asia/Shanghai")
	p, _ := metrics.ParsePeriod("2024Q3", loc)
	prof, err := policy.Load("zigong-power-2021")
	if err != nil {
		t.Fatal(err)
	}
	v := func(x float64) *float64 { return &x }
	row := func(metric, stat, utility, class, district, area string, value float64, n int64) metrics.Row {
		return metrics.Row{MetricID: metric, Statistic: stat, Utility: utility, CustomerClass: class, District: district, AreaType: area, Value: v(value), N: n}
	}
	return &reports.Data{Period: p, Profile: prof, Districts: map[string]string{"510302": "自流井区", "510303": "贡井区"},
		Definitions: []metrics.Definition{{ID: "connection_time", Family: "connection"}, {ID: "leakage_rate", Family: "leakage"}},
		Rows: []metrics.Row{
			row("connection_time", "median", "power", "lv_nonres", "", "", 4.5, 20),
			row("connection_time", "median", "power", "hv_single", "", "", 12.25, 8),
			row("outage_hours_per_customer_planned", "sum", "power", "", "", "urban", 1.5, 10),
			row("outage_hours_per_customer_fault", "sum", "power", "", "", "urban", 2.25, 12),
			row("outage_hours_per_customer_planned", "sum", "power", "", "", "rural", 4, 9),
			row("outage_hours_per_customer_fault", "sum", "power", "", "", "rural", 9.5, 30),
			row("leakage_rate", "rate", "water", "", "", "", 0.1005, 12),
			row("leakage_rate", "rate", "water", "", "510302", "", 0.087, 3),
			row("leakage_rate", "rate", "water", "", "510303", "", 0.1213, 3),
		}}
}

func TestChartOptionsMatchGolden(t *testing.T) {
	s := &site{d: fixedData(t), audience: reports.Regulator}
	charts := map[string]chartBlock{
		"power_connection_by_class": s.connectionByClass("power"),
		"power_outages_by_area":     s.outagesByArea("power"),
		"water_leakage":             s.leakageChart(),
	}
	for name, c := range charts {
		t.Run(name, func(t *testing.T) {
			got := indent(t, c.Option)
			path := filepath.Join("testdata", "golden", name+".json")
			if *update {
				os.WriteFile(path, got, 0o644)
			}
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatalf("%v (go test ./dashboards -run Golden -update writes it)", err)
			}
			if !bytes.Equal(got, want) {
				t.Errorf("%s option differs from %s:\n%s", name, path, got)
			}
		})
	}
}

// indent lays a chart's option out one key a line, sorted, for a readable diff.
func indent(t *testing.T, option template.JS) []byte {
	t.Helper()
	var v any
	if err := json.Unmarshal([]byte(option), &v); err != nil {
		t.Fatalf("option is not JSON: %v\n%s", err, option)
	}
	out, _ := json.MarshalIndent(v, "", "  ")
	return append(out, '\n')
}
