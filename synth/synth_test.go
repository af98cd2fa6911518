package synth

import (
	"bytes"
	"encoding/csv"
	"os"
	"path/filepath"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/utilscore/utilscore/calendar"
)

func config(t *testing.T, seed uint64) Config {
	loc, _ := time.LoadLocation("Asia/Shanghai")
	cal, err := calendar.BuiltIn(loc)
	if err != nil {
		t.Fatal(err)
	}
	c := DefaultConfig(cal)
	c.Dir, c.Seed, c.Cases = t.TempDir(), seed, 500
	return c
}

func TestSameSeedSameFiles(t *testing.T) {
	a, b, other := config(t, 5), config(t, 5), config(t, 6)
	for _, c := range []Config{a, b, other} {
		if _, err := Generate(c); err != nil {
			t.Fatal(err)
		}
	}
	// Text files compare byte for byte (workbooks and Parquet carry write times).
	for _, name := range []string{"cases_power.csv", "cases_water_gbk.csv", "cases_gas.jsonl", "outages.tmp.csv", "customer_base.csv", "evaluations.csv", "water_balance.csv"} {
		x, errX := os.ReadFile(filepath.Join(a.Dir, name))
		y, errY := os.ReadFile(filepath.Join(b.Dir, name))
		if os.IsNotExist(errX) && os.IsNotExist(errY) {
			continue
		}
		if !bytes.Equal(x, y) {
			t.Errorf("%s differs between two runs with the same seed", name)
		}
	}
	x, _ := os.ReadFile(filepath.Join(a.Dir, "cases_power.csv"))
	z, _ := os.ReadFile(filepath.Join(other.Dir, "cases_power.csv"))
	if bytes.Equal(x, z) {
		t.Error("another seed gave the same cases")
	}
}

func TestEveryKindAndFormatIsWritten(t *testing.T) {
	c := config(t, 1)
	files, err := Generate(c)
	if err != nil {
		t.Fatal(err)
	}
	kinds := map[string]int{}
	for _, f := range files {
		kinds[f.Kind] += f.Rows
		if _, err := os.Stat(filepath.Join(c.Dir, f.Name)); err != nil {
			t.Errorf("%s listed but not written", f.Name)
		}
	}
	for _, k := range []string{"districts", "cases", "case_events", "outages", "customer_base", "tickets", "evaluations", "water_balance"} {
		if kinds[k] == 0 {
			t.Errorf("no %s rows written", k)
		}
	}
	gbk, _ := os.ReadFile(filepath.Join(c.Dir, "cases_water_gbk.csv"))
	if utf8.Valid(gbk) {
		t.Error("the water export should be GB18030, not UTF-8")
	}
	for _, name := range []string{"cases_telecom.xlsx", "outages.parquet", "tickets.jsonl.gz", "case_events.csv.gz"} {
		if info, err := os.Stat(filepath.Join(c.Dir, name)); err != nil || info.Size() == 0 {
			t.Errorf("%s missing or empty", name)
		}
	}
}

// Working-day durations are skewed around the limit: most cases meet it, some don't.
func TestDurationsStraddleTheLimits(t *testing.T) {
	c := config(t, 2)
	g := &generator{cfg: c}
	g.rng = newRand(c.Seed)
	g.exportAt = c.To.Add(30 * time.Hour)
	within, over := 0, 0
	spec := classSpecs["power"][0] // residential, 3 WD
	for i := 0; i < 2000; i++ {
		cs := g.newCase("power", "PW", i, c.From, c.To.AddDate(0, -2, 0))
		if cs.status != "connected" || cs.class != spec.class {
			continue
		}
		wd, err := c.Calendar.WorkingDays(cs.at["applied"], cs.at["connected"])
		if err != nil {
			t.Fatal(err)
		}
		wd -= float64(cs.suspendedWD)
		if wd <= spec.limitWD {
			within++
		} else {
			over++
		}
	}
	share := float64(over) / float64(within+over)
	if share < 0.05 || share > 0.4 {
		t.Errorf("%.1f%% of residential power cases are over the 3 WD limit; want a realistic 5–40%%", share*100)
	}
}

// A joint application's parts share the applicant and the moment of application and
// belong to different utilities.
func TestJointApplicationsSpanUtilities(t *testing.T) {
	c := config(t, 4)
	g := &generator{cfg: c, rng: newRand(c.Seed)}
	g.exportAt = c.To
	parts := g.planJointApplications(map[string]int{"power": 400, "water": 250, "gas": 200, "telecom": 150})
	utilitiesOf := map[string]map[string]bool{}
	applied := map[string]time.Time{}
	for u, ps := range parts {
		for _, p := range ps {
			if utilitiesOf[p.id] == nil {
				utilitiesOf[p.id] = map[string]bool{}
			}
			utilitiesOf[p.id][u] = true
			if at, ok := applied[p.id]; ok && !at.Equal(p.applied) {
				t.Errorf("%s: parts applied at different times", p.id)
			}
			applied[p.id] = p.applied
		}
	}
	multi := 0
	for _, us := range utilitiesOf {
		if len(us) >= 2 {
			multi++
		}
	}
	if multi < len(utilitiesOf)/2 {
		t.Errorf("only %d of %d joint applications span two or more utilities", multi, len(utilitiesOf))
	}
}

// The spec v2 columns are written, filled for some cases and consistent with the
// stages: a survey is agreed before it happens, a meter fee is part of the fee.
func TestSpecV2CaseColumns(t *testing.T) {
	c := config(t, 3)
	if _, err := Generate(c); err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(filepath.Join(c.Dir, "cases_power.csv"))
	if err != nil {
		t.Fatal(err)
	}
	rows, err := csv.NewReader(bytes.NewReader(data)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	col := map[string]int{}
	for i, h := range rows[0] {
		col[h] = i
	}
	filled := map[string]int{}
	for _, r := range rows[1:] {
		for _, name := range []string{"survey_agreed_at", "inspection_requested_at", "enterprise_size", "materials_at_application"} {
			if r[col[name]] != "" {
				filled[name]++
			}
		}
		if a, s := r[col["survey_agreed_at"]], r[col["surveyed_at"]]; a != "" && a > s {
			t.Errorf("case %s: survey agreed %s after the survey %s", r[0], a, s)
		}
		if m, tot := r[col["materials_at_application"]], r[col["materials"]]; m != "" && m > tot {
			t.Errorf("case %s: %s documents at acceptance of %s in all", r[0], m, tot)
		}
	}
	for _, name := range []string{"survey_agreed_at", "inspection_requested_at", "enterprise_size", "materials_at_application"} {
		if filled[name] == 0 {
			t.Errorf("no case has %s", name)
		}
	}
}
