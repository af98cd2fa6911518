package pace

import (
	"math"
	"testing"
	"time"

	"github.com/utilscore/utilscore/metrics"
	"github.com/utilscore/utilscore/policy"
)

func TestObservedMonths(t *testing.T) {
	loc := time.FixedZone("CST", 8*3600)
	for _, c := range []struct {
		asOf string
		want int
	}{{"2024-09-30", 9}, {"2024-09-29", 8}, {"2024-01-15", 0}, {"2024-12-31", 12}, {"2025-03-01", 12}, {"2023-12-31", 0}, {"2024-02-29", 2}} {
		d, _ := time.ParseInLocation("2006-01-02", c.asOf, loc)
		if got := ObservedMonths(2024, d); got != c.want {
			t.Errorf("ObservedMonths(2024, %s) = %d, want %d", c.asOf, got, c.want)
		}
	}
}

// Zigong judges interruptions on the year (sum) and on rolling 12 months (quarters):
// the year's targets are the sums, each area type once, and the rolling ones add
// nothing; Kunming's yearly median is one of its year targets.
func TestYearTargets(t *testing.T) {
	for _, c := range []struct {
		profile string
		want    []string
		not     []string
	}{
		{"zigong-power-2021", []string{"outage-urban-year", "outage-town-year", "outage-rural-year", "lv-zero-total", "residential-mean"},
			[]string{"outage-urban", "outage-town", "outage-rural", "lv-zero-total-2022"}},
		{"kunming-water-2023", []string{"business-median", "rating-coverage", "small-fee", "transfer"}, []string{"transfer-2023"}},
	} {
		prof, err := policy.Load(c.profile)
		if err != nil {
			t.Fatal(err)
		}
		year, _ := metrics.ParsePeriod("2024", time.UTC)
		ids := map[string]bool{}
		for _, tg := range YearTargets(prof, year) {
			if ids[tg.ID] {
				t.Errorf("%s: %s twice", c.profile, tg.ID)
			}
			ids[tg.ID] = true
		}
		for _, id := range c.want {
			if !ids[id] {
				t.Errorf("%s: %s is judged on the year, missing", c.profile, id)
			}
		}
		for _, id := range c.not {
			if ids[id] {
				t.Errorf("%s: %s is not judged on 2024", c.profile, id)
			}
		}
	}
}

// A rolling-12-month target without a year counterpart is judged at December on the
// year's sum.
func TestRollingTargetBecomesYearSum(t *testing.T) {
	prof, err := policy.Load("zigong-power-2021")
	if err != nil {
		t.Fatal(err)
	}
	var kept []policy.Target
	for _, tg := range prof.Targets {
		if tg.ID != "outage-town-year" {
			kept = append(kept, tg)
		}
	}
	prof.Targets = kept
	year, _ := metrics.ParsePeriod("2024", time.UTC)
	for _, tg := range YearTargets(prof, year) {
		if tg.ID == "outage-town" {
			if tg.Statistic != "sum" {
				t.Errorf("outage-town judged on %s, want sum", tg.Statistic)
			}
			return
		}
	}
	t.Error("outage-town (rolling) missing once the year target on town is gone")
}

func TestSummarise(t *testing.T) {
	f := func(v float64) *float64 { return &v }
	trials := []Trial{
		// |4.6-4.8| = 0.2 against |4.3-4.8| = 0.5; inside 4.4–4.9; on pace and met.
		{Kind: Additive, Observed: 9, Projected: f(4.6), Low: f(4.4), High: f(4.9), Actual: f(4.8), LastYear: f(4.3), Verdict: OnPace, Met: true},
		// |5.0-5.6| = 0.6 against |5.2-5.6| = 0.4; outside 4.8–5.2; on pace but missed.
		{Kind: Additive, Observed: 9, Projected: f(5.0), Low: f(4.8), High: f(5.2), Actual: f(5.6), LastYear: f(5.2), Verdict: OnPace, Met: false},
		{Kind: Additive, Observed: 3, Verdict: NoProjection, Actual: f(3)},
		{Kind: Share, Observed: 9, Projected: f(0.9), Low: f(0.8), High: f(1), Actual: f(0.9), LastYear: f(0.9), Verdict: AtRisk},
	}
	s := Summarise(trials, Additive, 0)
	if s.Trials != 2 || math.Abs(s.ProjectionMAE-0.4) > 1e-12 || math.Abs(s.LastYearMAE-0.45) > 1e-12 ||
		s.InBand != 0.5 || s.VerdictsJudged != 2 || s.VerdictsRight != 0.5 || s.ProjectionWorse {
		t.Errorf("additive: %+v", s)
	}
	if s := Summarise(trials, Share, 9); s.Trials != 1 || s.ProjectionMAE != 0 || s.VerdictsRight != 1 {
		t.Errorf("share: %+v", s)
	}
}

// Four urban districts of 1 000 customers each (a quarter of the area each), nine
// months observed, every month as last year's same month. A: 600 customer-hours a
// month, 0.6 h per customer: 5.4 h so far, 7.2 h projected, (7.2 - 5) / 4 = 0.55 h
// on the area; D: 550 a month, 6.6 h projected, 0.4 h; B (1.2 h) and C (4.8 h) stay
// under 5 h and are not listed.
func TestAreaDriversHandWorked(t *testing.T) {
	parts := areaParts{}
	for d, hours := range map[string]float64{"A": 600, "B": 100, "C": 400, "D": 550} {
		p := &[24][2]float64{}
		for i := range p {
			p[i] = [2]float64{hours, 1000}
		}
		parts[[3]string{"power", "urban", d}] = p
	}
	parts[[3]string{"power", "town", "E"}] = &[24][2]float64{{9000, 1000}} // another area: not counted
	l := Line{Utility: "power", AreaType: "urban", Rule: Rule{Kind: Additive, Comparison: "<=", Threshold: 5, Seasonal: true}}
	l.Limit = 5
	got := areaDrivers(l, parts, &Report{Observed: 9, Districts: map[string]string{"A": "甲区"}})
	if len(got) != 2 {
		t.Fatalf("%d drivers, want A and D: %+v", len(got), got)
	}
	for i, want := range []struct {
		district           string
		ytd, point, impact float64
		verdict            string
	}{{"A", 5.4, 7.2, 0.55, Missed}, {"D", 4.95, 6.6, 0.4, AtRisk}} {
		d := got[i]
		if d.District != want.district || math.Abs(*d.Series.YTD-want.ytd) > 1e-9 || math.Abs(*d.Point-want.point) > 1e-9 ||
			math.Abs(d.Impact-want.impact) > 1e-9 || d.Verdict != want.verdict {
			t.Errorf("driver %d: %s ytd %v point %v impact %v %s, want %+v", i, d.District, *d.Series.YTD, *d.Point, d.Impact, d.Verdict, want)
		}
	}
	if got[0].Name != "甲区" {
		t.Errorf("name %q", got[0].Name)
	}
}
