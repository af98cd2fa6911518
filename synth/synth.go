// Package synth writes synthetic export files for four utilities, seeded and
// reproducible, with the distributions and the faults of real exports: durations in
// working days skewed around the policy limits, customer pauses, holidays, joint
// applications, planned, fault and exempt outages, tickets and ratings, monthly water
// balances, and a small share of bad rows, out-of-order stages and back-filled records.
// It writes every file format and encoding the loader reads.
package synth

import (
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"sort"
	"time"

	"github.com/utilscore/utilscore/calendar"
)

// Config says what to generate.
type Config struct {
	Dir      string
	Seed     uint64
	Cases    int       // connection applications over the whole span; other kinds scale with it
	From, To time.Time // the span of application dates
	// FaultRate is the share of rows given a fault a loader must catch or an audit find.
	FaultRate float64
	Calendar  *calendar.Calendar
}

// DefaultConfig is the demo's: about 3 000 cases over 2023–2024.
func DefaultConfig(cal *calendar.Calendar) Config {
	loc := cal.Location()
	return Config{
		Seed: 1, Cases: 3000, FaultRate: 0.01, Calendar: cal,
		From: time.Date(2023, 1, 1, 0, 0, 0, 0, loc),
		To:   time.Date(2025, 1, 1, 0, 0, 0, 0, loc),
	}
}

// File is one file written, with its row count.
type File struct {
	Name string
	Kind string
	Rows int
}

// District is one district of the synthetic city, with the area types it covers and
// its relative size.
type District struct {
	Code, Name string
	Areas      []string
	Weight     float64
}

// Districts of the synthetic city (real 行政区划代码 of 自贡市, used as labels only).
var Districts = []District{
	{"510302", "自流井区", []string{"urban_core", "urban"}, 3},
	{"510303", "贡井区", []string{"urban", "town"}, 2},
	{"510304", "大安区", []string{"urban", "town", "rural"}, 2},
	{"510311", "沿滩区", []string{"town", "rural"}, 1.5},
	{"510321", "荣县", []string{"town", "rural"}, 1.5},
	{"510322", "富顺县", []string{"town", "rural"}, 2},
}

// generator carries the state of one run.
type generator struct {
	cfg   Config
	rng   *rand.Rand
	files []File
	cases []*caseRow // connected cases, for ratings and tickets
	// exportAt is when the exports were taken: just after the span ends.
	exportAt time.Time
}

// Generate writes every kind into cfg.Dir and returns the files written.
func Generate(cfg Config) ([]File, error) {
	if cfg.Cases <= 0 {
		return nil, fmt.Errorf("gen: the number of cases must be positive")
	}
	if !cfg.From.Before(cfg.To) {
		return nil, fmt.Errorf("gen: the span must end after it starts")
	}
	if err := os.MkdirAll(cfg.Dir, 0o755); err != nil {
		return nil, err
	}
	g := &generator{cfg: cfg, rng: newRand(cfg.Seed)}
	g.exportAt = cfg.To.Add(30 * time.Hour)
	steps := []func() error{g.writeDistricts, g.writeCases, g.writeCustomerBase, g.writeOutages, g.writeTickets, g.writeEvaluations, g.writeWaterBalance}
	for _, step := range steps {
		if err := step(); err != nil {
			return g.files, err
		}
	}
	return g.files, nil
}

func newRand(seed uint64) *rand.Rand {
	return rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))
}

func (g *generator) path(name string) string { return filepath.Join(g.cfg.Dir, name) }

func (g *generator) record(name, kind string, rows int) {
	g.files = append(g.files, File{Name: name, Kind: kind, Rows: rows})
}

func (g *generator) writeDistricts() error {
	s, err := newCSV(g.path("districts.csv"), []string{"district", "name", "parent", "area_type"}, csvOptions{})
	if err != nil {
		return err
	}
	for _, d := range Districts {
		if err := s.write([]string{d.Code, d.Name, "自贡市", d.Areas[0]}); err != nil {
			return err
		}
	}
	g.record("districts.csv", "districts", len(Districts))
	return s.close()
}

// --- random helpers ---

func (g *generator) chance(p float64) bool { return g.rng.Float64() < p }

// pick chooses an index with the given weights.
func (g *generator) pick(weights []float64) int {
	total := 0.0
	for _, w := range weights {
		total += w
	}
	x := g.rng.Float64() * total
	for i, w := range weights {
		if x < w {
			return i
		}
		x -= w
	}
	return len(weights) - 1
}

func (g *generator) district() District {
	w := make([]float64, len(Districts))
	for i, d := range Districts {
		w[i] = d.Weight
	}
	return Districts[g.pick(w)]
}

// lognormal draws around a median with a spread (σ of the log).
func (g *generator) lognormal(median, sigma float64) float64 {
	return median * math.Exp(g.rng.NormFloat64()*sigma)
}

// workingInstant is a time within office hours on a working day in [from, to).
func (g *generator) workingInstant(from, to time.Time) time.Time {
	for {
		t := from.Add(time.Duration(g.rng.Int64N(int64(to.Sub(from)))))
		day, err := g.cfg.Calendar.Day(t)
		if err != nil || !day.IsWorkday {
			continue
		}
		local := t.In(g.cfg.Calendar.Location())
		hour := 8.5 + g.rng.Float64()*9 // 08:30–17:30
		return time.Date(local.Year(), local.Month(), local.Day(), 0, 0, 0, 0, local.Location()).
			Add(time.Duration(hour * float64(time.Hour))).Truncate(time.Minute)
	}
}

// after adds working days on the calendar, or clock time where the calendar ends.
func (g *generator) after(t time.Time, wd float64) time.Time {
	out, err := g.cfg.Calendar.AddWorkingDays(t, wd)
	if err != nil {
		return t.Add(time.Duration(wd * 1.4 * 24 * float64(time.Hour)))
	}
	return out.Truncate(time.Minute)
}

func stamp(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.Format("2006-01-02 15:04:05")
}

func months(from, to time.Time) []time.Time {
	var out []time.Time
	for m := time.Date(from.Year(), from.Month(), 1, 0, 0, 0, 0, from.Location()); m.Before(to); m = m.AddDate(0, 1, 0) {
		out = append(out, m)
	}
	return out
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
