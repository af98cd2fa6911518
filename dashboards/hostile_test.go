package dashboards

import (
	"encoding/json"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/utilscore/utilscore/metrics"
	"github.com/utilscore/utilscore/policy"
	"github.com/utilscore/utilscore/reports"
)

// hostileNames are names that would run as code if a page let them: closing the
// script element, breaking out of an attribute, go-echarts' function markers, the
// line separators a JavaScript string cannot hold, a javascript: link. Each sets
// window.__pwned if it runs.
var hostileNames = []string{
	`</script><script>window.__pwned=1</script>`,
	`"><img src=x onerror="window.__pwned=1">`,
	`'><svg onload=window.__pwned=1>`,
	`__f__function(){window.__pwned=1}__f__`,
	`__f__"},window.__pwned=1,{"x":"__f__`,
	"\u2028window.__pwned=1\u2029",
	`<!--<script>window.__pwned=1//`,
	`javascript:window.__pwned=1`,
	`{{.}}&lt;script&gt;window.__pwned=1&lt;/script&gt;`,
}

// hostileWorkbooks are workbook file names (no slash can be in one) linked from the index.
var hostileWorkbooks = []string{
	`"><img src=x onerror=window.__pwned=1>.xlsx`,
	`__f__function(){window.__pwned=1}__f__.xlsx`,
	`javascript:window.__pwned=1.xlsx`,
	`a#b?c%d.xlsx`,
}

// makeHostile puts a hostile name into every field of d that reaches a page: district
// names and codes, a customer class, the period labels, the profile's id, title and
// notes, target ids.
func makeHostile(d *reports.Data) *reports.Data {
	h := *d
	pick := func(i int) string { return hostileNames[i%len(hostileNames)] }
	h.Districts = map[string]string{}
	codes := slices.Sorted(maps.Keys(d.Districts)) // the same names on every call
	i := 0
	for _, code := range codes {
		h.Districts[code] = pick(i) + d.Districts[code]
		i++
	}
	h.Districts[pick(i)] = pick(i + 1)
	h.Scores = append(append([]policy.Score(nil), d.Scores...), policy.Score{Scope: "district", Key: pick(i), Score: 50})
	h.Rows = make([]metrics.Row, len(d.Rows))
	for j, r := range d.Rows {
		if r.CustomerClass == "residential" {
			r.CustomerClass = pick(3)
		}
		h.Rows[j] = r
	}
	h.Period.Label = pick(0)
	h.Trend = append([]reports.TrendPeriod(nil), d.Trend...)
	for j := range h.Trend {
		h.Trend[j].Period.Label = pick(j) + h.Trend[j].Period.Label
	}
	prof := *d.Profile
	prof.ID, prof.Title, prof.Notes = pick(0), pick(1), hostileNames
	prof.Targets = append([]policy.Target(nil), d.Profile.Targets...)
	for j := range prof.Targets {
		prof.Targets[j].ID = pick(j)
	}
	h.Profile = &prof
	return &h
}

func writeHostileSite(t *testing.T, dir, audience string, d *reports.Data) []string {
	t.Helper()
	for _, name := range hostileWorkbooks {
		if err := os.WriteFile(filepath.Join(dir, name), []byte("x"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	pages, err := Write(dir, audience, makeHostile(d))
	if err != nil {
		t.Fatal(err)
	}
	return pages
}

// Every page built from hostile names holds them as text: no element, attribute,
// script or comment comes from the data, and each chart's option is JSON holding the
// names as strings.
func TestHostileNamesStayText(t *testing.T) {
	d := testData(t)
	for _, audience := range []string{reports.Regulator, reports.Utility, reports.Office, reports.Public} {
		dir := t.TempDir()
		for _, path := range writeHostileSite(t, dir, audience, d) {
			html, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			page := string(html)
			name := audience + "/" + filepath.Base(path)
			for _, raw := range []string{"<img", "<svg", "<!--", "window.__pwned=1</script>", "\u2028", "\u2029", `href="javascript:`, "__f__\"}"} {
				if strings.Contains(page, raw) {
					t.Errorf("%s holds %q raw", name, raw)
				}
			}
			blocks := strings.Split(page, `<script type="application/json" data-chart="`)
			if want := strings.Count(page, `class="chart-canvas"`); len(blocks)-1 != want || want == 0 && audience != reports.Public {
				t.Errorf("%s: %d option blocks for %d charts", name, len(blocks)-1, want)
			}
			if n := strings.Count(page, "<script"); n != len(blocks)-1+2 {
				t.Errorf("%s: %d script elements, want the two files and %d option blocks", name, n, len(blocks)-1)
			}
			for _, b := range blocks[1:] {
				body := b[strings.Index(b, ">")+1 : strings.Index(b, "</script>")]
				var option map[string]any
				if err := json.Unmarshal([]byte(body), &option); err != nil {
					t.Errorf("%s: an option is not JSON: %v", name, err)
				}
			}
			if filepath.Base(path) == "power.html" && !strings.Contains(page, `\u2028window.__pwned=1\u2029`) {
				t.Errorf("%s lost a district name holding U+2028", name)
			}
		}
	}
}
