package policy

import (
	"context"
	"math"
	"os"
	"path/filepath"
	"testing"

	"github.com/utilscore/utilscore/metrics"
	"github.com/utilscore/utilscore/store"
)

// areaCase is one row of a target over a fixture worked by hand: the utility-wide row,
// or its row for one area type (an outage target judges each area it names).
type areaCase struct {
	target, area string
	value        float64
	n            int64
	status       string
}

// evaluateRows loads the fixtures into a fresh database and evaluates a built-in
// profile for a period.
func evaluateRows(t *testing.T, profile, period string, fixtures ...string) []metrics.Row {
	t.Helper()
	ctx := context.Background()
	db, err := store.Open(ctx, ":memory:", store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	for _, f := range fixtures {
		sqlText, err := os.ReadFile(filepath.Join("testdata", f))
		if err != nil {
			t.Fatal(err)
		}
		if _, err := db.Exec(string(sqlText)); err != nil {
			t.Fatalf("%s: %v", f, err)
		}
	}
	prof, err := Load(profile)
	if err != nil {
		t.Fatal(err)
	}
	p, err := metrics.ParsePeriod(period, db.Location)
	if err != nil {
		t.Fatal(err)
	}
	ev, err := Evaluate(ctx, db.DB, prof, p)
	if err != nil {
		t.Fatal(err)
	}
	return ev.Rows
}

// checkAreaRows checks the rows named, one by one, after evaluating the fixtures.
func checkAreaRows(t *testing.T, profile, period string, fixtures []string, want []areaCase) {
	t.Helper()
	rows := evaluateRows(t, profile, period, fixtures...)
	for _, w := range want {
		var found *metrics.Row
		for i, r := range rows {
			// A case target's own row names its classes; any other target's is the one of
			// every class (the class rows are drill-down).
			if r.TargetID == w.target && r.District == "" && r.AreaType == w.area && (r.CustomerClass == "" || metrics.IsCaseMetric(r.MetricID)) {
				found = &rows[i]
			}
		}
		switch {
		case found == nil:
			t.Errorf("%s %s %s %v: no row", profile, period, w.target, fixtures)
		case found.Value == nil:
			t.Errorf("%s %s %s %s %v: no value (%s), want %v of %d (%s)", profile, period, w.target, w.area, fixtures, found.Status, w.value, w.n, w.status)
		case math.Abs(*found.Value-w.value) > 1e-9 || found.N != w.n || found.Status != w.status:
			t.Errorf("%s %s %s %s %v = %v of %d (%s), want %v of %d (%s)", profile, period, w.target, w.area, fixtures,
				*found.Value, found.N, found.Status, w.value, w.n, w.status)
		}
	}
}

// district-wpgt's time rows: wpgt.sql meets each with one case (or two, where two
// cases fall under it), and wpgt_late.sql adds a case late on each (metrics.md H1).
func TestDistrictWPGTTimeRows(t *testing.T) {
	met, missed := metrics.StatusMet, metrics.StatusMissed
	targets := []struct {
		id               string
		metN, lateN, lat int64 // cases met in wpgt.sql; cases in both; of them met
	}{
		{"water-res-total", 1, 2, 1}, {"water-dn40-total", 1, 2, 1}, {"water-dn100-total", 1, 2, 1},
		{"water-estate-total", 1, 2, 1}, {"power-hv-total", 1, 2, 1}, {"power-lv-total", 2, 4, 2},
		{"power-hv-plan", 1, 2, 1}, {"power-lvzero-plan", 1, 2, 1}, {"power-works", 2, 3, 2},
		{"power-lvzero-sameday", 1, 2, 1}, {"power-hv-hookup", 1, 2, 1}, {"survey-appointment", 1, 2, 1},
		{"gas-total", 1, 2, 1}, {"gas-plan", 1, 2, 1}, {"gas-works", 1, 2, 1}, {"gas-inspection", 1, 2, 1},
		{"gas-on", 1, 2, 1}, {"telecom-72h", 1, 2, 1}, {"approvals", 1, 2, 1}, {"approvals-lv-power", 1, 2, 1},
		{"gas-repair", 1, 2, 1}, {"gas-complaints", 1, 2, 1}, {"gas-enquiries", 1, 2, 1},
	}
	var wantMet, wantMissed []areaCase
	for _, tt := range targets {
		wantMet = append(wantMet, areaCase{tt.id, "", 1, tt.metN, met})
		wantMissed = append(wantMissed, areaCase{tt.id, "", float64(tt.lat) / float64(tt.lateN), tt.lateN, missed})
	}
	checkAreaRows(t, "district-wpgt", "2024Q4", []string{"wpgt.sql"}, wantMet)
	checkAreaRows(t, "district-wpgt", "2024Q4", []string{"wpgt.sql", "wpgt_late.sql"}, wantMissed)
}

// Zigong's outage rows (二(四)), each area type judged on its own row, met by the
// absolute limit or by the fall on the year before, then missed (metrics.md H8: the
// major event counts, the momentary interruption and the forest-fire stop do not).
func TestZigongOutageRows(t *testing.T) {
	met, missed := metrics.StatusMet, metrics.StatusMissed
	town := 8 + 58.0/60
	for _, p := range []struct{ period, suffix string }{{"2024Q4", ""}, {"2024", "-year"}} {
		// A quarter's n counts its own interruptions; the year's, the year's.
		n := func(quarter, year int64) int64 {
			if p.suffix == "" {
				return quarter
			}
			return year
		}
		checkAreaRows(t, "zigong-power-2021", p.period, []string{"zigong_outages.sql"}, []areaCase{
			{"outage-urban" + p.suffix, "urban_core", 4, n(1, 4), met},
			{"outage-urban" + p.suffix, "urban", 6, n(1, 2), met}, // −14.3 % on 2023
			{"outage-town" + p.suffix, "town", town, n(0, 1), met},
			{"outage-rural" + p.suffix, "rural", 14, n(0, 1), met},
		})
		checkAreaRows(t, "zigong-power-2021", p.period, []string{"zigong_outages.sql", "zigong_outages_more.sql"}, []areaCase{
			{"outage-urban" + p.suffix, "urban_core", 6, n(2, 5), missed},
			{"outage-urban" + p.suffix, "urban", 7, n(2, 3), missed},
			{"outage-town" + p.suffix, "town", town + 1, n(1, 2), missed},
			{"outage-rural" + p.suffix, "rural", 16, n(1, 2), missed},
		})
	}
}

// Kunming's outage rows (14): met, then missed.
func TestKunmingOutageRows(t *testing.T) {
	met, missed := metrics.StatusMet, metrics.StatusMissed
	checkAreaRows(t, "kunming-water-2023", "2024Q4", []string{"kunming_outages.sql"}, []areaCase{
		{"planned-notice", "", 1, 1, met}, {"long-stop-supply", "", 1, 1, met}, {"sudden-notice", "", 1, 2, met},
	})
	checkAreaRows(t, "kunming-water-2023", "2024Q4", []string{"kunming_outages.sql", "kunming_outages_more.sql"}, []areaCase{
		{"planned-notice", "", 0.5, 2, missed}, {"long-stop-supply", "", 0.5, 2, missed},
		{"sudden-notice", "", 0.75, 4, missed}, // KO6 was never told
	})
}

// Kunming's rating rows (16): met, then missed.
func TestKunmingRatingRows(t *testing.T) {
	met, missed := metrics.StatusMet, metrics.StatusMissed
	checkAreaRows(t, "kunming-water-2023", "2024Q4", []string{"kunming_ratings.sql"}, []areaCase{
		{"rating-coverage", "", 0.8, 5, met}, {"poor-rectified", "", 1, 1, met}, {"poor-on-time", "", 1, 1, met},
	})
	checkAreaRows(t, "kunming-water-2023", "2024Q4", []string{"kunming_ratings.sql", "kunming_ratings_more.sql"}, []areaCase{
		{"rating-coverage", "", 4.0 / 7, 7, missed}, {"poor-rectified", "", 2.0 / 3, 3, missed}, {"poor-on-time", "", 1.0 / 3, 3, missed},
	})
}
