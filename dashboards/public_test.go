package dashboards

import (
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/utilscore/utilscore/metrics"
	"github.com/utilscore/utilscore/reports"
)

// publicData is fixedData with rated districts, a utility whose few ratings are
// hidden, and a histogram with small bins.
func publicData(t *testing.T) *reports.Data {
	d := fixedData(t)
	d.Districts["510304"] = "大安区"
	d.Definitions = append(d.Definitions, metrics.Definition{ID: "satisfaction_rate", Family: "ratings"})
	v := func(x float64) *float64 { return &x }
	rate := func(u, district string, value float64, n int64) metrics.Row {
		return metrics.Row{MetricID: "satisfaction_rate", Statistic: "rate", Utility: u, District: district, Value: v(value), N: n}
	}
	d.Rows = append(d.Rows,
		rate("water", "", 0.9, 30), rate("water", "510302", 1, 3), rate("water", "510303", 0.75, 12), rate("water", "510304", 0.9333, 15),
		rate("telecom", "", 1, 2),
		metrics.Row{MetricID: "connection_time", Statistic: "median", Utility: "power", Value: v(3.5), N: 19})
	d.Histogram = map[string][]int64{"power": {0, 3, 10, 6}}
	return d
}

// A hidden figure is a grey band labelled <5 in its chart, and <5 in a table: never
// an empty bar, a zero or a dash. Rates are drawn in per cent, and reference lines
// carry their names in per cent.
func TestPublicPagesShowWhatTheyHide(t *testing.T) {
	d := publicData(t)
	dir := t.TempDir()
	pages, err := Write(dir, reports.Public, d)
	if err != nil {
		t.Fatal(err)
	}
	water := chartOptions(t, filepath.Join(dir, "water.html"))
	service := water["water_service"]
	s := seriesOf(t, service, "好评率")
	want := map[string]*float64{"全部": ptr(90), "自流井区": nil, "贡井区": nil, "大安区": ptr(93.33)}
	for j, c := range s.categories {
		w, ok := want[c]
		if !ok {
			t.Fatalf("water_service: category %q", c)
		}
		switch {
		case w == nil && s.values[j] != nil, w != nil && (s.values[j] == nil || *s.values[j] != *w):
			t.Errorf("water_service %s: %v, want %v", c, deref(s.values[j]), deref(w))
		}
		if covered := gapCovers(service, "好评率", j); covered != (w == nil) {
			t.Errorf("water_service %s: under a <5 band: %v, want %v", c, covered, w == nil)
		}
	}
	if !strings.Contains(string(mustJSON(t, service)), `"formatter":"{value}%"`) {
		t.Error("water_service: the rate axis is not in per cent")
	}
	leakage := string(mustJSON(t, water["water_leakage"]))
	for _, name := range []string{`"name":"国家目标 9%","yAxis":9`, `"name":"一级 10%","yAxis":10`, `"name":"二级 12%","yAxis":12`, `"formatter":"{b}"`} {
		if !strings.Contains(leakage, name) {
			t.Errorf("water_leakage lacks %s: %s", name, leakage)
		}
	}

	// The histogram: bins 1 (3 cases) and 3 (6, its complement) are hidden, each in a band.
	power := chartOptions(t, filepath.Join(dir, "power.html"))
	h := seriesOf(t, power["power_distribution"], "工单数")
	for j, want := range []bool{false, true, false, true} {
		if (h.values[j] == nil) != want || gapCovers(power["power_distribution"], "工单数", j) != want {
			t.Errorf("power_distribution bin %d: value %v, band %v; want hidden %v", j, deref(h.values[j]), gapCovers(power["power_distribution"], "工单数", j), want)
		}
	}

	// The index: telecom's satisfaction, from two ratings, reads <5.
	html, err := os.ReadFile(pages[0])
	if err != nil {
		t.Fatal(err)
	}
	row := regexp.MustCompile(`(?s)<tr><td class="">通信</td>(.*?)</tr>`).FindStringSubmatch(string(html))
	if row == nil || !strings.Contains(row[1], `<td class="num suppressed">&lt;5</td>`) {
		t.Errorf("index: telecom's row does not show <5: %q", row)
	}
}

func ptr(x float64) *float64 { return &x }

func deref(p *float64) any {
	if p == nil {
		return nil
	}
	return *p
}

func mustJSON(t *testing.T, v any) []byte {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// gapCovers tells whether a series' <5 bands cover its category j.
func gapCovers(option map[string]any, series string, j int) bool {
	base := option
	if b, ok := option["baseOption"].(map[string]any); ok {
		base = b
	}
	for _, s := range asList(base["series"]) {
		sm := s.(map[string]any)
		if sm["name"] != series {
			continue
		}
		ma, _ := sm["markArea"].(map[string]any)
		for _, pair := range asList(ma["data"]) {
			p := pair.([]any)
			from, to := p[0].(map[string]any), p[1].(map[string]any)
			a, b := int(from["xAxis"].(float64)), int(to["xAxis"].(float64))
			if from["name"] == Suppressed && a <= j && j <= b {
				return true
			}
		}
	}
	return false
}
