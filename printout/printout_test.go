package printout

import (
	"context"
	"html"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/utilscore/utilscore/calendar"
	"github.com/utilscore/utilscore/domain"
	"github.com/utilscore/utilscore/ingest"
	"github.com/utilscore/utilscore/metrics"
	"github.com/utilscore/utilscore/policy"
	"github.com/utilscore/utilscore/reports"
	"github.com/utilscore/utilscore/store"
	"github.com/utilscore/utilscore/synth"
)

// Personal data planted in an open case and a complaint: none may reach the public
// report.
var planted = []string{"张秘密", "13900001111", "秘密路9号"}

var (
	dataOnce sync.Once
	data     map[string]*reports.Data // by profile
	dataErr  error
	// closeData closes the database the data came from: the missed targets are traced
	// from it as each report is written, so it stays open until the tests end.
	closeData = func() {}
)

func TestMain(m *testing.M) {
	code := m.Run()
	closeData()
	os.Exit(code)
}

// testProfiles are the profiles the tests gather the data under: the district's, and
// Zigong's, whose interruption targets judge two area types apart.
var testProfiles = []string{"district-wpgt", "zigong-power-2021"}

// testData loads a small generated data set once, plants personal data, and gathers
// its last quarter under the district profile.
func testData(t *testing.T) *reports.Data { return testDataOf(t, testProfiles[0]) }

func testDataOf(t *testing.T, profile string) *reports.Data {
	t.Helper()
	dataOnce.Do(func() { data, dataErr = loadTestData() })
	if dataErr != nil {
		t.Fatal(dataErr)
	}
	return data[profile]
}

func loadTestData() (map[string]*reports.Data, error) {
	ctx := context.Background()
	dir, err := os.MkdirTemp("", "utilscore-printout-")
	if err != nil {
		return nil, err
	}
	db, err := store.Open(ctx, filepath.Join(dir, "p.duckdb"), store.Options{})
	if err != nil {
		os.RemoveAll(dir)
		return nil, err
	}
	closeData = func() {
		db.Close()
		os.RemoveAll(dir)
	}
	cal, err := calendar.BuiltIn(db.Location)
	if err != nil {
		return nil, err
	}
	cfg := synth.DefaultConfig(cal)
	cfg.Dir, cfg.Cases, cfg.Seed = filepath.Join(dir, "in"), 500, 3
	if _, err := synth.Generate(cfg); err != nil {
		return nil, err
	}
	l, err := ingest.NewLoader(ctx, db.DB, ingest.Options{})
	if err != nil {
		return nil, err
	}
	if _, err := l.LoadInbox(ctx, cfg.Dir); err != nil {
		return nil, err
	}
	_, err = db.Exec(`INSERT INTO cases (case_id, utility, district, customer_class, status, applied_at, applicant, contact_phone, address, load_id, source_row)
		VALUES ('PLANT1', 'power', '510302', 'lv_zero', 'open', '2024-12-02 09:00:00+08', ?, ?, ?, 1, 1)`, planted[0], planted[1], planted[2])
	if err != nil {
		return nil, err
	}
	_, err = db.Exec(`INSERT INTO tickets (ticket_id, utility, district, kind, received_at, summary, contact_phone, load_id, source_row)
		VALUES ('PLANT2', 'power', '510302', 'complaint', '2024-11-02 09:00:00+08', ?, ?, 1, 1)`, planted[0], planted[1])
	if err != nil {
		return nil, err
	}
	p, err := metrics.ParsePeriod("2024Q4", db.Location)
	if err != nil {
		return nil, err
	}
	out := map[string]*reports.Data{}
	for _, id := range testProfiles {
		prof, err := policy.Load(id)
		if err != nil {
			return nil, err
		}
		if out[id], err = reports.Collect(ctx, db.DB, p, prof); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// edition is one report the tests write.
type edition struct{ audience, utility string }

var editions = []edition{{reports.Regulator, ""}, {reports.Utility, "power"}, {reports.Office, ""}, {reports.Public, ""}}

func writeReport(t *testing.T, dir string, e edition) string {
	t.Helper()
	path, err := Write(dir, e.audience, e.utility, testData(t))
	if err != nil {
		t.Fatal(err)
	}
	page, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(page)
}

// scoreRowOf returns the scorecard row of a target as written in the page (the first,
// for a target judged per utility or area type).
func scoreRowOf(page, id string) string {
	return scoreRowsOf(page, id)[0]
}

// scoreRowsOf returns every scorecard row of a target, or one empty string.
func scoreRowsOf(page, id string) []string {
	var out []string
	for _, open := range []string{`<tr id="target-` + id + `">`, `<tr id="target-` + id + `__`} {
		rest := page
		for {
			start := strings.Index(rest, open)
			if start < 0 {
				break
			}
			end := strings.Index(rest[start:], "</tr>")
			out = append(out, rest[start:start+end])
			rest = rest[start+end:]
		}
	}
	if len(out) == 0 {
		return []string{""}
	}
	return out
}

// Every target in force is written out in words, with its figure and status, in every
// audience's report (a utility's: its own targets), under every profile the data is
// gathered with; a target judged per area type has a row for each. The sections are
// all there.
func TestEveryTargetInWords(t *testing.T) {
	for _, profile := range testProfiles {
		d := testDataOf(t, profile)
		defs := map[string]metrics.Definition{}
		for _, def := range d.Definitions {
			defs[def.ID] = def
		}
		dir := t.TempDir()
		for _, e := range editions {
			path, err := Write(dir, e.audience, e.utility, d)
			if err != nil {
				t.Fatal(err)
			}
			raw, _ := os.ReadFile(path)
			page := string(raw)
			shown := 0
			for _, tg := range d.Profile.Targets {
				var rows []metrics.Row
				for _, r := range d.Rows {
					if r.TargetID == tg.ID && r.District == "" && (e.utility == "" || r.Utility == e.utility) {
						rows = append(rows, r)
					}
				}
				printed := scoreRowsOf(page, tg.ID)
				if !tg.Applies(d.Period) || e.utility != "" && len(rows) == 0 && tg.Where.Utility != e.utility {
					if printed[0] != "" {
						t.Errorf("%s %s/%s: shows target %s, not in force or another utility's", profile, e.audience, e.utility, tg.ID)
					}
					continue
				}
				shown++
				if len(rows) == 0 {
					rows = []metrics.Row{{}} // no figure: one row that says 无数据
				}
				if len(printed) != len(rows) || printed[0] == "" {
					t.Errorf("%s %s/%s: target %s has %d rows in the scorecard, want %d", profile, e.audience, e.utility, tg.ID, len(printed), len(rows))
					continue
				}
				for _, row := range printed {
					if want := html.EscapeString(tg.Statement(defs)); !strings.Contains(row, want) {
						t.Errorf("%s %s/%s: target %s not in words %q: %s", profile, e.audience, e.utility, tg.ID, want, row)
					}
					if cite := d.Profile.Cite(tg.Source); !strings.Contains(row, html.EscapeString(cite)) {
						t.Errorf("%s %s/%s: target %s lacks its source %q", profile, e.audience, e.utility, tg.ID, cite)
					}
				}
				if len(rows) > 1 && len(tg.Where.AreaTypes) > 1 {
					for _, r := range rows {
						if !strings.Contains(page, `id="target-`+tg.ID+`__`+r.AreaType+`"`) {
							t.Errorf("%s: target %s has no row for area type %s", profile, tg.ID, r.AreaType)
						}
					}
				}
			}
			if shown == 0 {
				t.Errorf("%s %s/%s: no target in force to check", profile, e.audience, e.utility)
			}
			for _, id := range []string{"headline", "scorecard", "charts", "disclosure", "missed", "notes"} {
				if !strings.Contains(page, `<section id="`+id+`"`) {
					t.Errorf("%s/%s: no section %s", e.audience, e.utility, id)
				}
			}
			if want := paceAudience(e.audience) && d.Pace != nil && len(d.Pace.Lines) > 0; want != strings.Contains(page, `<section id="pace"`) {
				t.Errorf("%s %s/%s: section pace shown %v, want %v", profile, e.audience, e.utility, !want, want)
			}
			if !strings.Contains(page, `<link rel="stylesheet" href="assets/print.css">`) || strings.Contains(page, "<style") ||
				regexp.MustCompile(`<script`).MatchString(page) {
				t.Errorf("%s/%s: the page must style itself from assets/print.css and run no script", e.audience, e.utility)
			}
		}
		if _, err := os.Stat(filepath.Join(dir, StyleSheet)); err != nil {
			t.Error("the style sheet is not beside the reports")
		}
	}
}

// A share shows the count behind it, worked out from the row: 12/16件.
func TestShareShowsItsCount(t *testing.T) {
	d := testData(t)
	page := writeReport(t, t.TempDir(), edition{reports.Regulator, ""})
	checked := 0
	for _, r := range d.Rows {
		if r.TargetID == "" || r.District != "" || r.Statistic != "share_within" || r.Value == nil || r.N == 0 {
			continue
		}
		within := int64(*r.Value*float64(r.N) + 0.5)
		want := strconvI(within) + "/" + strconvI(r.N) + "件"
		if row := scoreRowOf(page, r.TargetID); !strings.Contains(row, want) {
			t.Errorf("target %s: want the count %s in %s", r.TargetID, want, row)
		}
		checked++
	}
	if checked == 0 {
		t.Fatal("no share target to check")
	}
}

func strconvI(n int64) string { return strconv.FormatInt(n, 10) }

func districtLabel(d *reports.Data, code string) string {
	return html.EscapeString(d.Districts[code] + "（" + code + "）")
}

// The public report: every figure of fewer than five records reads <5, in the
// scorecard, the breakdowns and the charts (a labelled gap, never a bar); no
// personal data; no score.
func TestPublicSuppression(t *testing.T) {
	d := testData(t)
	dir := t.TempDir()
	page := writeReport(t, dir, edition{reports.Public, ""})
	internal := writeReport(t, dir, edition{reports.Regulator, ""})
	pub := d.Public()
	hiddenTargets := 0
	for _, r := range d.Rows {
		if r.TargetID == "" || r.District != "" || !pub.Hidden(r) {
			continue
		}
		hiddenTargets++
		row := scoreRowOf(page, r.TargetID)
		if !strings.Contains(row, "&lt;5") {
			t.Errorf("target %s (n=%d) is not shown as <5: %s", r.TargetID, r.N, row)
		}
		if strings.Contains(row, "件</span>") || strings.Contains(row, "中位数") {
			t.Errorf("target %s (n=%d) shows what lies behind its hidden figure: %s", r.TargetID, r.N, row)
		}
		if !strings.Contains(scoreRowOf(internal, r.TargetID), "件") && r.Value != nil && isShare(r) {
			t.Errorf("target %s: the regulator's report should show its count", r.TargetID)
		}
	}
	if hiddenTargets == 0 {
		t.Fatal("the test data has no target figure of fewer than five records; the check would assert nothing")
	}
	// The charts: a district's good-rating share of fewer than five ratings is a gap.
	gaps := 0
	for _, u := range domain.Utilities {
		fig := between(page, `id="figure-`+u+`-satisfaction"`, "</figure>")
		for code := range d.Districts {
			var r metrics.Row
			for _, row := range d.Rows {
				if row.TargetID == "" && row.MetricID == "satisfaction_rate" && row.Statistic == "rate" && row.Utility == u &&
					row.CustomerClass == "" && row.District == code && row.AreaType == "" {
					r = row
				}
			}
			if r.MetricID == "" {
				continue
			}
			name := districtLabel(d, code)
			bar := between(fig, `<g data-row="`+name+`">`, "</g>")
			if bar == "" {
				t.Errorf("%s satisfaction chart has no row for %s", u, name)
				continue
			}
			hidden := pub.Hidden(r)
			if hidden {
				gaps++
			}
			if hidden != strings.Contains(bar, `class="gap"`) || hidden == strings.Contains(bar, `class="bar`) || hidden != strings.Contains(bar, "&lt;5") {
				t.Errorf("%s satisfaction of %s (n=%d): hidden %v, drawn as %s", u, name, r.N, hidden, bar)
			}
		}
	}
	if gaps == 0 {
		t.Error("no district's rating share is hidden in the test data; the chart check asserted nothing")
	}
	// In a missed target's breakdown the hidden districts come last: their rank would
	// tell what their figures hide.
	for _, block := range strings.Split(page, `<table class="breakdown">`)[1:] {
		block = block[:strings.Index(block, "</table>")]
		seenHidden := false
		for _, tr := range strings.Split(block, "<tr>")[2:] {
			hidden := strings.Contains(tr, "&lt;5")
			if seenHidden && !hidden {
				t.Errorf("a shown district follows a hidden one in a breakdown: %s", block)
				break
			}
			seenHidden = seenHidden || hidden
		}
	}
	for _, p := range planted {
		if strings.Contains(page, p) {
			t.Errorf("the public report holds personal data %q", p)
		}
	}
	if strings.Contains(page, "得分") {
		t.Error("the public report shows scores")
	}
}

// between returns the text from the first start to the next end after it.
func between(s, start, end string) string {
	i := strings.Index(s, start)
	if i < 0 {
		return ""
	}
	j := strings.Index(s[i:], end)
	if j < 0 {
		return ""
	}
	return s[i : i+j]
}

// A missed target lists its districts, those adding most to the miss first.
func TestMissedTargetsBreakDown(t *testing.T) {
	d := testData(t)
	page := writeReport(t, t.TempDir(), edition{reports.Regulator, ""})
	missed := 0
	for _, r := range d.Rows {
		if r.TargetID == "" || r.District != "" || r.Status != metrics.StatusMissed {
			continue
		}
		missed++
		block := between(page, `<div class="missed" id="missed-`+r.TargetID+`">`, "</div>")
		if block == "" {
			t.Errorf("missed target %s has no breakdown", r.TargetID)
			continue
		}
		var districts []metrics.Row
		for _, x := range d.Rows {
			if x.TargetID == r.TargetID && x.District != "" {
				districts = append(districts, x)
			}
		}
		// In the page's order, each district adds no more to the miss than the one before.
		sort.Slice(districts, func(i, j int) bool {
			return strings.Index(block, districtLabel(d, districts[i].District)) < strings.Index(block, districtLabel(d, districts[j].District))
		})
		for i, x := range districts {
			if !strings.Contains(block, districtLabel(d, x.District)) {
				t.Errorf("missed target %s: district %s absent", r.TargetID, x.District)
			}
			if i > 0 && shortfall(x) > shortfall(districts[i-1]) {
				t.Errorf("missed target %s: %s (short %.2f) after %s (short %.2f)", r.TargetID, x.District, shortfall(x),
					districts[i-1].District, shortfall(districts[i-1]))
			}
		}
	}
	if missed == 0 {
		t.Fatal("no missed target in the test data")
	}
}

func TestShortfallOrdersByRecordsShort(t *testing.T) {
	f := func(v float64) *float64 { return &v }
	row := func(v float64, n int64) metrics.Row {
		return metrics.Row{Statistic: "share_within", Value: f(v), N: n, Target: f(1), Comparison: ">=", Status: metrics.StatusMissed}
	}
	tests := []struct {
		name string
		a, b metrics.Row
	}{
		// 3 of 8 within: 5 short; 0 of 2: 2 short.
		{"more records short first", row(0.375, 8), row(0, 2)},
		{"missed before met", row(0.9, 10), metrics.Row{Statistic: "share_within", Value: f(1), N: 10, Target: f(1), Comparison: ">=", Status: metrics.StatusMet}},
		// A time over its limit: 6.5 h over a 5 h target is further than 5.5 h.
		{"further past an upper limit first", metrics.Row{Statistic: "sum", Unit: "h", Value: f(6.5), Target: f(5), Comparison: "<=", Status: metrics.StatusMissed},
			metrics.Row{Statistic: "sum", Unit: "h", Value: f(5.5), Target: f(5), Comparison: "<=", Status: metrics.StatusMissed}},
	}
	for _, tt := range tests {
		if !(shortfall(tt.a) > shortfall(tt.b)) {
			t.Errorf("%s: shortfall %v, %v", tt.name, shortfall(tt.a), shortfall(tt.b))
		}
	}
}

// Under each missed target the regulators' and a utility's reports show what lies
// behind it (its figure, largest groups, first missed records with phones masked), a
// utility's only of its own targets; the year's pace is in the regulators' and the
// office's. Neither is in the public report.
func TestDrillAndPaceWhereTheyBelong(t *testing.T) {
	d := testData(t)
	var traced []reports.Traced
	ids := map[int][]string{} // target index → its missed records' ids
	err := d.Missed.Trace("", func(ts []reports.Traced) error { traced = ts; return nil },
		func(i int, r metrics.MissedRecord) error { ids[i] = append(ids[i], r.ID); return nil })
	if err != nil {
		t.Fatal(err)
	}
	if len(traced) == 0 || d.Pace == nil || len(d.Pace.Lines) == 0 {
		t.Fatal("the test data has no missed target or no pace; the checks would assert nothing")
	}
	masked := regexp.MustCompile(`\d{3}\*{4}\d{4}`)
	dir := t.TempDir()
	for _, e := range editions {
		page := writeReport(t, dir, e)
		name := e.audience + "/" + e.utility
		drills := strings.Count(page, "<h4>未达标分布</h4>")
		if !drillAudience(e.audience) {
			if drills > 0 || strings.Contains(page, `<table class="records">`) {
				t.Errorf("%s: shows the drill-down", name)
			}
		} else {
			ownIDs := map[string]bool{} // a record may miss one of the utility's targets and another's
			for i, tr := range traced {
				if e.utility == "" || tr.Missed.Row.Utility == e.utility {
					for _, id := range ids[i] {
						ownIDs[id] = true
					}
				}
			}
			shown := 0
			for i, tr := range traced {
				own := e.utility == "" || tr.Missed.Row.Utility == e.utility
				figure := html.EscapeString(reports.FigureText(tr))
				if own {
					shown++
					if !strings.Contains(page, figure) {
						t.Errorf("%s: missed target %s lacks its figure %q", name, tr.Missed.Target.ID, figure)
					}
					for _, id := range ids[i][:min(len(ids[i]), printRecords)] {
						if !strings.Contains(page, "<td class=\"\">"+id+"</td>") {
							t.Errorf("%s: missed target %s lacks its record %s", name, tr.Missed.Target.ID, id)
						}
					}
					continue
				}
				for _, id := range ids[i] {
					if !ownIDs[id] && strings.Contains(page, ">"+id+"<") {
						t.Errorf("%s: shows record %s of another utility's target %s", name, id, tr.Missed.Target.ID)
					}
				}
			}
			if drills != shown {
				t.Errorf("%s: %d drill-downs, want %d", name, drills, shown)
			}
			for _, tbl := range strings.Split(page, `<table class="records">`)[1:] {
				if rows := strings.Count(tbl[:strings.Index(tbl, "</table>")], "<tr>"); rows > printRecords+1 {
					t.Errorf("%s: a list of missed records has %d rows, want at most %d", name, rows-1, printRecords)
				}
			}
			if !masked.MatchString(page) {
				t.Errorf("%s: no masked phone among the missed records", name)
			}
		}
		for _, p := range planted {
			if strings.Contains(page, p) {
				t.Errorf("%s: holds personal data %q", name, p)
			}
		}
		section := between(page, `<section id="pace"`, "</section>")
		if !paceAudience(e.audience) {
			if section != "" || strings.Contains(page, "年度进度") {
				t.Errorf("%s: shows the year's pace", name)
			}
			continue
		}
		if section == "" {
			t.Errorf("%s: no year's pace", name)
			continue
		}
		for _, l := range d.Pace.Lines {
			row := between(section, "<td class=\"statement\">"+html.EscapeString(l.Statement), "</tr>")
			if row == "" {
				t.Errorf("%s: pace of target %s (%s) absent", name, l.TargetID, l.AreaType)
				continue
			}
			for _, want := range []string{l.Text(l.Series.YTD), l.Text(l.Point), l.Band(), l.Goal(), l.VerdictText(), l.Advice(), d.Profile.Cite(l.Source)} {
				if !strings.Contains(row, html.EscapeString(want)) {
					t.Errorf("%s: pace of target %s lacks %q: %s", name, l.TargetID, want, row)
				}
			}
		}
	}
}
