package dashboards

import (
	"encoding/csv"
	"encoding/json"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/utilscore/utilscore/metrics"
	"github.com/utilscore/utilscore/reports"
)

// demoData is what `utilscore demo` publishes: its generated data (default size and
// seed), the district-wpgt profile, the last quarter.
func demoData(t *testing.T) *reports.Data { return quarterOf(t, 0, 0, "district-wpgt") }

// published is what the public sees of one period, read back from the files.
type published struct {
	open    []openRow           // the open data, one per figure (the period's rows, in order)
	bins    map[string][]*int64 // the pages' histograms: nil = hidden
	shownIn map[int][]string    // row → the outputs that show its figure (for the report)
}

type openRow struct {
	key        []string // target_id, metric_id, utility, customer_class, district, area_type, statistic
	value      *float64
	n          *int64
	suppressed bool
}

// TestNothingHiddenCanBeWorkedOut publishes the demo's quarter to the public
// (workbook, pages, open data), checks that every output hides what the others hide
// and shows the same figures, and then attacks what is shown: every hidden count and
// every hidden sum behind a rate, mean or share is a variable, every total beside its
// parts (by district, class, joined classes, area type, utility; within a target and
// against the general rows; a histogram beside its case count) an equation that holds
// in the data, and no hidden figure may be fixed by them. A maximum is attacked too:
// a total's maximum above every shown part's is the one hidden part's.
func TestNothingHiddenCanBeWorkedOut(t *testing.T) {
	d := demoData(t)
	dir := t.TempDir()
	workbook, err := reports.Write(dir, reports.Public, "", d)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := reports.WriteOpenData(dir, d); err != nil {
		t.Fatal(err)
	}
	pages, err := Write(dir, reports.Public, d)
	if err != nil {
		t.Fatal(err)
	}
	pub := &published{open: readOpenData(t, filepath.Join(dir, reports.OpenDataDir, "figures-"+d.Period.Label+".csv"))}
	if len(pub.open) != len(d.Rows) {
		t.Fatalf("open data: %d rows, the period has %d", len(pub.open), len(d.Rows))
	}
	hidden := 0
	for i, o := range pub.open {
		r := d.Rows[i]
		want := []string{r.TargetID, r.MetricID, r.Utility, r.CustomerClass, r.District, r.AreaType, r.Statistic}
		if !slices.Equal(o.key, want) {
			t.Fatalf("open data row %d is %v, want %v", i+1, o.key, want)
		}
		if o.suppressed {
			hidden++
		}
	}
	checkWorkbookAgrees(t, workbook, d, pub)
	pub.bins = checkPagesAgree(t, pages, d, pub)

	leaks := attack(d, pub)
	for _, l := range leaks {
		t.Error(l)
	}
	t.Logf("%d of %d figures hidden; %d worked out", hidden, len(d.Rows), len(leaks))
	if hidden == 0 {
		t.Error("the demo hides nothing: the attack proves nothing")
	}

	// The attack has teeth: against the small groups alone hidden, it works figures out.
	naive := &published{open: make([]openRow, len(pub.open))}
	primary := 0
	for i, r := range d.Rows {
		naive.open[i] = pub.open[i]
		naive.open[i].suppressed = d.Suppressible(r.MetricID) && r.N < reports.MinGroup
		if naive.open[i].suppressed {
			primary++
		}
	}
	naiveLeaks := attack(d, naive)
	counts, sums := 0, 0
	for _, l := range naiveLeaks {
		if strings.HasPrefix(l, "the count") {
			counts++
		} else {
			sums++
		}
	}
	t.Logf("small groups alone: %d hidden, %d counts and %d other figures worked out", primary, counts, sums)
	if counts == 0 || sums == 0 {
		t.Errorf("hiding the small groups alone, the attack works out %d counts and %d other figures; it should find some of each", counts, sums)
	}
}

func readOpenData(t *testing.T, path string) []openRow {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	records, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	col := map[string]int{}
	for i, h := range records[0] {
		col[h] = i
	}
	var out []openRow
	for _, rec := range records[1:] {
		o := openRow{suppressed: rec[col["suppressed"]] == "true"}
		for _, k := range []string{"target_id", "metric_id", "utility", "customer_class", "district", "area_type", "statistic"} {
			o.key = append(o.key, rec[col[k]])
		}
		if v := rec[col["value"]]; v != "" {
			x, err := strconv.ParseFloat(v, 64)
			if err != nil {
				t.Fatal(err)
			}
			o.value = &x
		}
		if v := rec[col["n"]]; v != "" {
			x, err := strconv.ParseInt(v, 10, 64)
			if err != nil {
				t.Fatal(err)
			}
			o.n = &x
		}
		if o.suppressed && (o.value != nil || o.n != nil) {
			t.Errorf("open data %v: suppressed, yet shows value %v n %v", o.key, o.value, o.n)
		}
		out = append(out, o)
	}
	return out
}

// checkWorkbookAgrees: each utility sheet lists that utility's rows in the period's
// order; a hidden one says <5 for its value and count and nothing of its status, a
// shown one the open data's value and count.
func checkWorkbookAgrees(t *testing.T, path string, d *reports.Data, pub *published) {
	t.Helper()
	f, err := excelize.OpenFile(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	for _, u := range utilities {
		rows, err := f.GetRows(reports.UtilityZH[u], excelize.Options{RawCellValue: true})
		if err != nil {
			t.Fatal(err)
		}
		col := map[string]int{}
		for i, h := range rows[6] { // the English header row
			col[h] = i
		}
		cells := rows[7:]
		k := 0
		for i, o := range pub.open {
			if o.key[2] != u {
				continue
			}
			if k >= len(cells) {
				t.Fatalf("%s: %d rows, fewer than the open data's", u, len(cells))
			}
			c := cells[k]
			k++
			cell := func(name string) string {
				if j, ok := col[name]; ok && j < len(c) {
					return c[j]
				}
				return ""
			}
			if cell("metric id") != o.key[1] {
				t.Fatalf("%s row %d: metric %q, the open data's row %d is %q", u, k, cell("metric id"), i+1, o.key[1])
			}
			value, n := cell("value"), cell("n")
			if o.suppressed {
				if value != "<5" || n != "<5" {
					t.Errorf("%s row %d (%v): hidden in the open data, the workbook shows %q n %q", u, k, o.key, value, n)
				}
				continue
			}
			if value == "<5" || n == "<5" {
				t.Errorf("%s row %d (%v): the workbook hides a figure the open data shows", u, k, o.key)
				continue
			}
			if o.value != nil {
				x, err := strconv.ParseFloat(value, 64)
				if err != nil || math.Abs(x-*o.value) > 1e-9 {
					t.Errorf("%s row %d (%v): workbook %q, open data %v", u, k, o.key, value, *o.value)
				}
			}
			if n != strconv.FormatInt(*o.n, 10) {
				t.Errorf("%s row %d (%v): workbook n %q, open data %d", u, k, o.key, n, *o.n)
			}
		}
		if k != len(cells) {
			t.Errorf("%s: %d rows, the open data has %d of it", u, len(cells), k)
		}
	}
	// Every value in 总览 is a figure the open data shows.
	rows, err := f.GetRows("总览", excelize.Options{RawCellValue: true})
	if err != nil {
		t.Fatal(err)
	}
	col := map[string]int{}
	for i, h := range rows[6] {
		col[h] = i
	}
	for _, c := range rows[7:] {
		get := func(name string) string {
			if j, ok := col[name]; ok && j < len(c) {
				return c[j]
			}
			return ""
		}
		value, target, metric := get("value"), get("target id"), get("metric id")
		if value == "" {
			continue
		}
		shown, hiddenToo := false, false
		for _, o := range pub.open {
			// 总览 names a target's row by its target id alone.
			if o.key[0] == target && (metric == "" || o.key[1] == metric) && o.key[4] == "" {
				shown = shown || !o.suppressed
				hiddenToo = hiddenToo || o.suppressed
			}
		}
		if value != "<5" && !shown {
			t.Errorf("总览 shows %s of %s %s, which the open data hides", value, target, metric)
		}
		if value == "<5" && !hiddenToo {
			t.Errorf("总览 hides %s %s, which the open data shows", target, metric)
		}
	}
}

var chartBlockRE = regexp.MustCompile(`(?s)<script type="application/json" data-chart="([^"]+)">(.*?)</script>`)

// chartOptions reads every chart option of a page.
func chartOptions(t *testing.T, path string) map[string]map[string]any {
	t.Helper()
	html, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]map[string]any{}
	for _, m := range chartBlockRE.FindAllStringSubmatch(string(html), -1) {
		var option map[string]any
		if err := json.Unmarshal([]byte(m[2]), &option); err != nil {
			t.Fatalf("%s %s: %v", filepath.Base(path), m[1], err)
		}
		out[m[1]] = option
	}
	return out
}

// chartSeries is one series of a chart: its categories and each one's value (nil: no
// number shown).
type chartSeries struct {
	categories []string
	values     []*float64
}

func seriesOf(t *testing.T, option map[string]any, name string) chartSeries {
	t.Helper()
	base := option
	if b, ok := option["baseOption"].(map[string]any); ok {
		base = b
	}
	var cs chartSeries
	for _, axisKey := range []string{"xAxis", "yAxis"} {
		for _, a := range asList(base[axisKey]) {
			if data, ok := a.(map[string]any)["data"].([]any); ok {
				for _, c := range data {
					cs.categories = append(cs.categories, fmt.Sprint(c))
				}
			}
		}
	}
	for _, s := range asList(base["series"]) {
		sm := s.(map[string]any)
		if sm["name"] != name {
			continue
		}
		for _, item := range sm["data"].([]any) {
			v := item
			if m, ok := item.(map[string]any); ok {
				v = m["value"]
			}
			if x, ok := v.(float64); ok {
				cs.values = append(cs.values, &x)
			} else {
				cs.values = append(cs.values, nil)
			}
		}
		return cs
	}
	t.Fatalf("no series %q in %v", name, base["series"])
	return cs
}

func asList(v any) []any {
	switch v := v.(type) {
	case []any:
		return v
	case map[string]any:
		return []any{v}
	}
	return nil
}

// checkPagesAgree: every figure a public page draws is one the open data shows, with
// its value; every hidden one is drawn as no number. It returns the histograms.
func checkPagesAgree(t *testing.T, pages []string, d *reports.Data, pub *published) map[string][]*int64 {
	t.Helper()
	find := func(metric, stat, u, class, district string) (openRow, bool) {
		for _, o := range pub.open {
			if o.key[0] == "" && o.key[1] == metric && o.key[6] == stat && o.key[2] == u && o.key[3] == class && o.key[4] == district && o.key[5] == "" {
				return o, true
			}
		}
		return openRow{}, false
	}
	code := map[string]string{"全部": ""}
	for c, name := range d.Districts {
		code[name] = c
	}
	for c, name := range classZH {
		code[name] = c
	}
	compare := func(page, chart string, o openRow, found bool, shown *float64, band bool) {
		if found && o.suppressed && !band {
			t.Errorf("%s %s: hidden %v is not marked <5", page, chart, o.key)
		}
		switch {
		case !found:
			if shown != nil {
				t.Errorf("%s %s draws %v for a figure the period lacks", page, chart, *shown)
			}
		case o.suppressed && shown != nil:
			t.Errorf("%s %s draws %v for %v, which the open data hides", page, chart, *shown, o.key)
		case !o.suppressed && o.value != nil && (shown == nil || math.Abs(*shown-*o.value) > 1e-4):
			t.Errorf("%s %s draws %v for %v, the open data says %v", page, chart, shown, o.key, *o.value)
		}
	}
	bins := map[string][]*int64{}
	for _, path := range pages {
		page := filepath.Base(path)
		u := strings.TrimSuffix(page, ".html")
		if !slices.Contains(utilities, u) {
			continue
		}
		options := chartOptions(t, path)
		for id, figures := range map[string][][2]string{
			u + "_service":             {{"satisfaction_rate", "好评率"}},
			u + "_complaints":          {{"complaint_closure_rate", "投诉办结率"}},
			u + "_connection_by_class": {{"connection_time", "中位数"}},
		} {
			option, ok := options[id]
			if !ok {
				continue
			}
			for _, fig := range figures {
				s := seriesOf(t, option, fig[1])
				for j, cat := range s.categories {
					stat := "rate"
					class, district := "", code[cat]
					if strings.HasSuffix(id, "_by_class") {
						stat, class, district = "median", code[cat], ""
						if class == "" {
							class = cat
						}
					}
					o, found := find(fig[0], stat, u, class, district)
					shown := s.values[j]
					if shown != nil && stat == "rate" {
						x := *shown / 100 // drawn in per cent
						shown = &x
					}
					compare(page, id, o, found, shown, gapCovers(option, fig[1], j))
				}
			}
		}
		if option, ok := options[u+"_distribution"]; ok {
			s := seriesOf(t, option, "工单数")
			truth := d.Histogram[u]
			for j, v := range s.values {
				var want int64
				if j < len(truth) {
					want = truth[j]
				}
				if v == nil {
					if want > 0 && !gapCovers(option, "工单数", j) {
						t.Errorf("%s: hidden bin %d is not marked <5", page, j)
					}
					bins[u] = append(bins[u], nil)
					continue
				}
				if int64(*v) != want {
					t.Errorf("%s: bin %d draws %v, the data has %d", page, j, *v, want)
				}
				n := int64(*v)
				bins[u] = append(bins[u], &n)
			}
		}
	}
	return bins
}

// additive are the statistics whose figure, times its count where it is an average,
// adds up over parts: the sum behind a rate, a share or a mean; a count itself.
var additive = map[string]bool{"rate": true, "share_within": true, "mean": true, "count": true, "pending": true}

func sumOf(r metrics.Row) float64 {
	if r.Value == nil {
		return 0
	}
	if r.Statistic == "count" || r.Statistic == "pending" {
		return *r.Value
	}
	return *r.Value * float64(r.N)
}

// attack tries to work out every hidden figure from what the public sees.
func attack(d *reports.Data, pub *published) []string {
	rows := d.Rows
	hidden := func(i int) bool { return pub.open[i].suppressed }
	// byRest indexes rows by everything but one dimension.
	type rest struct {
		dim                                         int
		target, metric, u, c, dist, area, statistic string
	}
	restOf := func(r metrics.Row, dim int, target string) rest {
		k := rest{dim, target, r.MetricID, r.Utility, r.CustomerClass, r.District, r.AreaType, r.Statistic}
		switch dim {
		case 0:
			k.u = ""
		case 1:
			k.c = ""
		case 2:
			k.dist = ""
		case 3:
			k.area = ""
		}
		return k
	}
	dimValue := func(r metrics.Row, dim int) string {
		return []string{r.Utility, r.CustomerClass, r.District, r.AreaType}[dim]
	}
	byRest := map[rest][]int{}
	byGroup := map[[7]string][]int{} // statistic left out: every statistic of a group
	for i, r := range rows {
		for dim := 0; dim < 4; dim++ {
			byRest[restOf(r, dim, r.TargetID)] = append(byRest[restOf(r, dim, r.TargetID)], i)
			k := restOf(r, dim, r.TargetID)
			k.statistic = ""
			byRest[k] = append(byRest[k], i)
		}
		g := [7]string{r.MetricID, r.Utility, r.CustomerClass, r.District, r.AreaType}
		byGroup[g] = append(byGroup[g], i)
	}
	// Equations: a total row beside part rows, for the count (n) and for the sum.
	type equation struct {
		total int
		parts []int
	}
	var countEqs, sumEqs []equation
	for i, r := range rows {
		if !d.Suppressible(r.MetricID) {
			continue
		}
		for dim := 0; dim < 4; dim++ {
			v := dimValue(r, dim)
			if v != "" && !strings.Contains(v, "+") {
				continue
			}
			members := strings.Split(v, "+")
			partsFrom := func(k rest, sameStatistic bool) []int {
				var parts []int
				seen := map[[7]string]bool{}
				for _, j := range byRest[k] {
					pv := dimValue(rows[j], dim)
					if pv == "" || strings.Contains(pv, "+") || v != "" && !slices.Contains(members, pv) {
						continue
					}
					g := [7]string{rows[j].TargetID, rows[j].MetricID, rows[j].Utility, rows[j].CustomerClass, rows[j].District, rows[j].AreaType}
					if !sameStatistic && seen[g] {
						continue // one row a group for its count
					}
					seen[g] = true
					parts = append(parts, j)
				}
				return parts
			}
			for _, target := range []string{r.TargetID, ""} {
				k := restOf(r, dim, target)
				if parts := partsFrom(k, true); len(parts) > 0 {
					countEqs = append(countEqs, equation{i, parts})
					if additive[r.Statistic] {
						sumEqs = append(sumEqs, equation{i, parts})
					}
				}
				k.statistic = ""
				if parts := partsFrom(k, false); len(parts) > 0 {
					countEqs = append(countEqs, equation{i, parts})
				}
				if target == "" {
					break
				}
			}
		}
	}
	// Equal counts: rows of one group, and a target's row with the general row of the
	// same dimensions, where the data says they count the same records.
	var sameCount [][2]int
	for _, group := range byGroup {
		for _, j := range group[1:] {
			if rows[j].N == rows[group[0]].N {
				sameCount = append(sameCount, [2]int{group[0], j})
			}
		}
	}

	var leaks []string
	// The count system: a variable per hidden row's n.
	var countSys system
	for _, e := range countEqs {
		if got := float64(rows[e.total].N) - sumN(rows, e.parts); got != 0 {
			continue // not a true equation in these data: no use to anyone
		}
		countSys.add(e.total, e.parts, hidden)
	}
	for _, p := range sameCount {
		countSys.add(p[0], p[1:], hidden)
	}
	for _, i := range countSys.determined() {
		if rows[i].N > 0 {
			leaks = append(leaks, fmt.Sprintf("the count of hidden %s can be worked out: %d", describe(rows[i]), rows[i].N))
		}
	}
	// The sum systems, one per statistic.
	byStat := map[string]*system{}
	for _, e := range sumEqs {
		total := sumOf(rows[e.total])
		var parts float64
		for _, j := range e.parts {
			parts += sumOf(rows[j])
		}
		if math.Abs(total-parts) > 1e-6*math.Max(1, math.Abs(total)) {
			continue
		}
		s := byStat[rows[e.total].Statistic]
		if s == nil {
			s = &system{}
			byStat[rows[e.total].Statistic] = s
		}
		s.add(e.total, e.parts, hidden)
	}
	for _, s := range byStat {
		for _, i := range s.determined() {
			if rows[i].N > 0 {
				leaks = append(leaks, fmt.Sprintf("the %s of hidden %s can be worked out: %v", rows[i].Statistic, describe(rows[i]), *rows[i].Value))
			}
		}
	}
	// Maxima: a shown total's maximum above every shown part's belongs to a hidden part;
	// it is that part's when there is one.
	for i, r := range rows {
		if r.Statistic != "max" || hidden(i) || r.Value == nil || !d.Suppressible(r.MetricID) {
			continue
		}
		for dim := 0; dim < 4; dim++ {
			if dimValue(r, dim) != "" {
				continue
			}
			var hiddenParts []int
			above := true
			for _, j := range byRest[restOf(r, dim, r.TargetID)] {
				if dimValue(rows[j], dim) == "" || rows[j].N == 0 {
					continue
				}
				if hidden(j) {
					hiddenParts = append(hiddenParts, j)
				} else if rows[j].Value != nil && *rows[j].Value >= *r.Value {
					above = false
				}
			}
			if above && len(hiddenParts) == 1 {
				leaks = append(leaks, fmt.Sprintf("the maximum of hidden %s is the total's", describe(rows[hiddenParts[0]])))
			}
		}
	}
	// Histograms: the hidden bins beside the utility's count of connected cases.
	for u, bins := range pub.bins {
		var total *int64
		for i, r := range rows {
			if r.TargetID == "" && r.MetricID == "connection_time" && r.Utility == u && r.CustomerClass == "" && r.District == "" && r.AreaType == "" && !hidden(i) {
				total = pub.open[i].n
			}
		}
		var hiddenBins []int
		var shown int64
		for j, b := range bins {
			if b == nil {
				hiddenBins = append(hiddenBins, j)
			} else {
				shown += *b
			}
		}
		if total != nil && len(hiddenBins) == 1 && *total-shown == d.Histogram[u][hiddenBins[0]] {
			leaks = append(leaks, fmt.Sprintf("%s: the hidden histogram bin %d can be worked out: %d", u, hiddenBins[0], *total-shown))
		}
	}
	return leaks
}

func sumN(rows []metrics.Row, idx []int) float64 {
	var s float64
	for _, j := range idx {
		s += float64(rows[j].N)
	}
	return s
}

func describe(r metrics.Row) string {
	return fmt.Sprintf("%s %s %s/%s/%s/%s (target %q, n=%d)", r.MetricID, r.Statistic, r.Utility, r.CustomerClass, r.District, r.AreaType, r.TargetID, r.N)
}

// system is a set of linear equations over the hidden rows' quantities (the shown
// ones are known and drop out): each says a total less its parts is known.
type system struct {
	vars map[int]int // row → column
	rows [][]float64
	eqs  [][2][]int
}

func (s *system) add(total int, parts []int, hidden func(int) bool) {
	if s.vars == nil {
		s.vars = map[int]int{}
	}
	var plus, minus []int
	if hidden(total) {
		plus = append(plus, total)
	}
	for _, p := range parts {
		if hidden(p) {
			minus = append(minus, p)
		}
	}
	if len(plus)+len(minus) == 0 {
		return
	}
	for _, i := range append(slices.Clone(plus), minus...) {
		if _, ok := s.vars[i]; !ok {
			s.vars[i] = len(s.vars)
		}
	}
	s.eqs = append(s.eqs, [2][]int{plus, minus})
}

// determined lists the rows whose quantity the equations fix: in the reduced row
// echelon form, a pivot whose row holds no free column.
func (s *system) determined() []int {
	n := len(s.vars)
	if n == 0 {
		return nil
	}
	var m [][]float64
	for _, e := range s.eqs {
		row := make([]float64, n)
		for _, i := range e[0] {
			row[s.vars[i]]++
		}
		for _, i := range e[1] {
			row[s.vars[i]]--
		}
		m = append(m, row)
	}
	const eps = 1e-9
	pivotCol := []int{}
	r := 0
	for c := 0; c < n && r < len(m); c++ {
		best := r
		for i := r + 1; i < len(m); i++ {
			if math.Abs(m[i][c]) > math.Abs(m[best][c]) {
				best = i
			}
		}
		if math.Abs(m[best][c]) < eps {
			continue
		}
		m[r], m[best] = m[best], m[r]
		p := m[r][c]
		for k := range m[r] {
			m[r][k] /= p
		}
		for i := range m {
			if i != r && math.Abs(m[i][c]) > eps {
				f := m[i][c]
				for k := range m[i] {
					m[i][k] -= f * m[r][k]
				}
			}
		}
		pivotCol = append(pivotCol, c)
		r++
	}
	isPivot := map[int]bool{}
	for _, c := range pivotCol {
		isPivot[c] = true
	}
	fixed := map[int]bool{}
	for i, c := range pivotCol {
		free := false
		for k := 0; k < n; k++ {
			if !isPivot[k] && math.Abs(m[i][k]) > eps {
				free = true
				break
			}
		}
		if !free {
			fixed[c] = true
		}
	}
	var out []int
	for row, c := range s.vars {
		if fixed[c] {
			out = append(out, row)
		}
	}
	slices.Sort(out)
	return out
}
