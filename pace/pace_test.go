package pace

import (
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
