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

// rowCase is one profile row checked on a fixture worked by hand: its figure over the
// cases its filter selects, and the status it earns.
type rowCase struct {
	target string
	value  float64
	n      int64
	status string
}

// checkRows loads a fixture, evaluates a built-in profile for a period and checks the
// utility-wide row of each target named.
func checkRows(t *testing.T, profile, fixture, period string, want []rowCase) {
	t.Helper()
	ctx := context.Background()
	db, err := store.Open(ctx, ":memory:", store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	sqlText, err := os.ReadFile(filepath.Join("testdata", fixture))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.Exec(string(sqlText)); err != nil {
		t.Fatalf("%s: %v", fixture, err)
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
	got := map[string]metrics.Row{}
	for _, r := range ev.Rows {
		if r.TargetID != "" && r.District == "" {
			got[r.TargetID] = r
		}
	}
	for _, w := range want {
		r, ok := got[w.target]
		switch {
		case !ok:
			t.Errorf("%s %s: no row", profile, w.target)
		case r.Value == nil || math.Abs(*r.Value-w.value) > 1e-9 || r.N != w.n || r.Status != w.status:
			t.Errorf("%s %s = %v of %d (%s), want %v of %d (%s)", profile, w.target, r.Value, r.N, r.Status, w.value, w.n, w.status)
		}
	}
}

// Chibi: J1 meets each row and J2 misses it, so each row is met by half its cases.
func TestChibiRows(t *testing.T) {
	half := func(id string) rowCase { return rowCase{id, 0.5, 2, metrics.StatusMissed} }
	checkRows(t, "chibi-joint-2022", "chibi.sql", "2024Q4", []rowCase{
		half("joint-procedures"), half("joint-connected"), half("joint-approvals"), half("joint-materials"),
		half("joint-visits"), half("joint-fee"), half("joint-survey"),
	})
}

// Huoqiu: each row has one case that meets it and one that misses it.
func TestHuoqiuRows(t *testing.T) {
	half := func(id string) rowCase { return rowCase{id, 0.5, 2, metrics.StatusMissed} }
	checkRows(t, "huoqiu-joint-2023", "huoqiu.sql", "2024Q4", []rowCase{
		half("online-materials"), half("window-materials"), half("window-accepted"), half("contract-with-plan"),
	})
}

// Zigong's per-case rows in 2024Q4, each with a case that meets it and one that misses
// it (the outage rows are checked on the outage metrics' own fixtures).
func TestZigongRows(t *testing.T) {
	missed, met := metrics.StatusMissed, metrics.StatusMet
	checkRows(t, "zigong-power-2021", "zigong.sql", "2024Q4", []rowCase{
		{"permits", 0.5, 2, missed},           // Z1 met, Z2 late
		{"lv-nonres-utility", 0.5, 2, missed}, // Z1 3 of 6, Z2 7
		{"hv-single-utility", 0.5, 2, missed}, // Z3 met, Z4 late
		{"hv-dual-utility", 0.5, 2, missed},   // Z5 met, Z6 open past its deadline
		{"residential-mean", 3, 2, met},       // (1 + 5) / 2
		{"lv-zero-total", 0.5, 2, missed},     // Z9 met, Z10 late
		{"lv-procedures", 5.0 / 6, 6, missed}, // Z2 has 3
		{"hv-procedures", 2.0 / 3, 3, missed}, // Z4 has 5; Z6 is open
		{"three-zero-fee", 0.75, 4, missed},   // Z10 paid
		{"small-fee", 0.5, 2, missed},         // Z2 paid
		{"zero-visits", 0.5, 4, missed},       // Z8, Z10 came in
		{"lv-materials", 5.0 / 6, 6, missed},  // Z2 handed in 3
		{"hv-materials", 2.0 / 3, 3, missed},  // Z3 without the acceptance count: its 3 in all; Z4 4
	})
}

// Kunming's per-case rows in 2024Q4. A narrower row judges its cases and the wider one
// leaves them (metrics.md H9): pre-service and low-risk cases are out of "procedures",
// low-risk cases out of "zero-visits", business cases out of "materials".
func TestKunmingRows(t *testing.T) {
	half := func(id string) rowCase { return rowCase{id, 0.5, 2, metrics.StatusMissed} }
	checkRows(t, "kunming-water-2023", "kunming.sql", "2024Q4", []rowCase{
		half("procedures"),                                    // K3 2, K4 3
		half("procedures-pre-service"),                        // K1 1, K2 2
		half("no-works-total"),                                // K1 same day, K2 late
		half("works-total"),                                   // K3 on the 5th WD, K4 late
		{"business-materials", 0.75, 4, metrics.StatusMissed}, // K2 handed in 1
		half("low-risk-procedures"), half("low-risk-total"), half("low-risk-materials"), half("low-risk-fee"), half("low-risk-visits"),
		half("materials"), // K5 0 (no acceptance count: its 0 in all), K6 1
		{"zero-visits", 0.75, 4, metrics.StatusMissed}, // K2 came in
		half("pre-service-same-day"),                   // K1 same day, K2 not
		half("permits"),                                // K3 5th WD, K4 late
		half("transfer"),                               // K7 same day, K8 next day
		half("small-fee"),                              // K1 new, no fee; K2 expansion, 100 yuan
	})
}
