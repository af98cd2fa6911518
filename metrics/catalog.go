package metrics

import (
	"bufio"
	"fmt"
	"io/fs"
	"sort"
	"strings"

	metricsql "github.com/utilscore/utilscore/sql/metrics"
)

// Definition is one metric as its query's header states it: what the 口径说明 sheet
// prints is what the query runs.
type Definition struct {
	ID         string
	NameZH     string
	NameEN     string
	Unit       string
	Direction  string // "lower" or "higher" is better
	Statistics []string
	Text       string // the plain-language definition, in Chinese
	Family     string // the file that computes it
	// PerCase: one value per case, so a target may judge it over the cases its filter
	// selects (a CaseTarget); the header says so with "-- per_case: true".
	PerCase bool
}

// Family is one query file and the metrics it computes.
type Family struct {
	Name    string
	SQL     string // the query as sent: its macro calls written out (metricsql.Sent)
	Metrics []Definition
}

// Catalog returns every family of metric queries, in file name order.
func Catalog() ([]Family, error) {
	entries, err := fs.ReadDir(metricsql.Files, ".")
	if err != nil {
		return nil, err
	}
	var out []Family
	for _, e := range entries {
		if !strings.HasSuffix(e.Name(), ".sql") {
			continue
		}
		data, err := fs.ReadFile(metricsql.Files, e.Name())
		if err != nil {
			return nil, err
		}
		f, err := parseFamily(strings.TrimSuffix(e.Name(), ".sql"), string(data))
		if err != nil {
			return nil, err
		}
		f.SQL = metricsql.Sent[e.Name()]
		out = append(out, f)
	}
	return out, nil
}

// parseFamily reads the header blocks: "-- key: value" lines, one block per metric,
// each starting with "-- metric:". The query itself is the caller's to give.
func parseFamily(name, text string) (Family, error) {
	f := Family{Name: name}
	sc := bufio.NewScanner(strings.NewReader(text))
	line := 0
	for sc.Scan() {
		line++
		l := strings.TrimSpace(sc.Text())
		if !strings.HasPrefix(l, "--") {
			break // the header ends where the query begins
		}
		key, value, ok := strings.Cut(strings.TrimSpace(strings.TrimPrefix(l, "--")), ":")
		if !ok {
			continue
		}
		value = strings.TrimSpace(value)
		if key == "metric" {
			f.Metrics = append(f.Metrics, Definition{ID: value, Family: name})
			continue
		}
		if len(f.Metrics) == 0 {
			return f, fmt.Errorf("sql/metrics/%s.sql line %d: %q before the first '-- metric:'", name, line, key)
		}
		d := &f.Metrics[len(f.Metrics)-1]
		switch key {
		case "name_zh":
			d.NameZH = value
		case "name_en":
			d.NameEN = value
		case "unit":
			d.Unit = value
		case "direction":
			d.Direction = value
		case "statistics":
			for _, s := range strings.Split(value, ",") {
				d.Statistics = append(d.Statistics, strings.TrimSpace(s))
			}
		case "definition":
			d.Text = value
		case "per_case":
			d.PerCase = value == "true"
		default:
			return f, fmt.Errorf("sql/metrics/%s.sql line %d: unknown header key %q", name, line, key)
		}
	}
	for _, d := range f.Metrics {
		if d.NameZH == "" || d.NameEN == "" || d.Unit == "" || d.Text == "" || len(d.Statistics) == 0 ||
			(d.Direction != "lower" && d.Direction != "higher") {
			return f, fmt.Errorf("sql/metrics/%s.sql: metric %s lacks a name, unit, direction, statistics or definition", name, d.ID)
		}
	}
	return f, nil
}

// Definitions returns every metric of the catalog, by id.
func Definitions(families []Family) map[string]Definition {
	out := map[string]Definition{}
	for _, f := range families {
		for _, d := range f.Metrics {
			out[d.ID] = d
		}
	}
	return out
}

// IDs lists the metric ids in catalog order.
func IDs(families []Family) []string {
	var ids []string
	for _, f := range families {
		for _, d := range f.Metrics {
			ids = append(ids, d.ID)
		}
	}
	sort.Strings(ids)
	return ids
}
