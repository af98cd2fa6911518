package service

import (
	"context"
	"database/sql"
	"errors"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/utilscore/utilscore/ingest"
	"github.com/utilscore/utilscore/metrics"
	"github.com/utilscore/utilscore/store"
)

func openService(t *testing.T, cfg *Config, now time.Time) *Service {
	t.Helper()
	db, err := store.Open(context.Background(), cfg.Database, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return &Service{Config: cfg, DB: db, Log: quietLog(), Now: func() time.Time { return now }}
}

// A quarter with no data is not published: the run is recorded as skipped, with the
// reason, and nothing is switched.
func TestQuarterlyRefusesAnEmptyQuarter(t *testing.T) {
	loc, _ := time.LoadLocation("Asia/Shanghai")
	cfg := emptyConfig(t)
	svc := openService(t, cfg, time.Date(2025, 1, 6, 2, 0, 0, 0, loc))
	p, _ := metrics.ParsePeriod("2024Q4", loc)
	run, err := svc.Quarterly(context.Background(), p)
	if !errors.Is(err, ErrNoData) || run.Outcome != "skipped" || !strings.Contains(run.Detail, "no data for 2024Q4") {
		t.Fatalf("run = %+v, %v", run, err)
	}
	if _, err := os.Lstat(filepath.Join(cfg.Output, currentDir)); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("an empty quarter was published: %v", err)
	}
	// The nightly's catch-up records the skip too, and the nightly itself is ok.
	night, err := svc.Nightly(context.Background())
	if err != nil || night.Outcome != "ok" {
		t.Errorf("nightly = %+v, %v", night, err)
	}
	runs, _ := svc.Runs(context.Background())
	if len(runs) != 3 || runs[0].Job != "quarterly" || runs[0].Outcome != "skipped" || runs[2].Outcome != "skipped" {
		t.Errorf("runs = %+v", runs)
	}
}

// When the nightly and quarterly schedules fire at the same tick, the quarter is
// published by the nightly after that night's load, with its data.
func TestQuarterlyWaitsForTheNightlyLoad(t *testing.T) {
	loc, _ := time.LoadLocation("Asia/Shanghai")
	tick := time.Date(2025, 1, 5, 6, 0, 0, 0, loc)
	cfg := testConfig(t, time.Date(2024, 7, 1, 0, 0, 0, 0, loc), time.Date(2025, 1, 1, 0, 0, 0, 0, loc))
	cfg.Schedule.Nightly = "0 6 * * *"
	cfg.Schedule.Quarterly = "0 6 5 1,4,7,10 *"
	svc := openService(t, cfg, tick.Add(300*time.Millisecond))
	ctx := context.Background()
	if run, err := svc.ScheduledQuarterly(ctx); err != nil || run.Job != "" {
		t.Fatalf("the quarterly ran before the load: %+v, %v", run, err)
	}
	if runs, _ := svc.Runs(ctx); len(runs) != 0 {
		t.Fatalf("runs before the nightly: %+v", runs)
	}
	if _, err := svc.Nightly(ctx); err != nil {
		t.Fatal(err)
	}
	runs, _ := svc.Runs(ctx)
	if len(runs) != 2 || runs[1].Job != "nightly" || runs[0].Job != "quarterly" || runs[0].Outcome != "ok" || runs[0].Period != "2024Q4" ||
		runs[0].Started.Before(runs[1].Finished) {
		t.Fatalf("runs = %+v, want the nightly, then the quarterly after it", runs)
	}

	// Fired alone (the nightly at another time), the quarterly runs at once.
	cfg.Schedule.Nightly = "0 2 * * *"
	svc.Now = func() time.Time { return time.Date(2026, 1, 6, 6, 0, 0, 5e8, loc) } // publishes 2025Q4, which has no data
	cfg.Schedule.Quarterly = "0 6 6 1,4,7,10 *"
	run, err := svc.ScheduledQuarterly(ctx)
	if run.Job != "quarterly" || run.Period != "2025Q4" || !errors.Is(err, ErrNoData) {
		t.Errorf("the quarterly fired alone = %+v, %v", run, err)
	}
}

func TestFiredTogether(t *testing.T) {
	loc, _ := time.LoadLocation("Asia/Shanghai")
	parse := func(s string) interface{ Next(time.Time) time.Time } {
		sched, err := cronParser.Parse(s)
		if err != nil {
			t.Fatal(err)
		}
		return sched
	}
	tick := time.Date(2025, 4, 5, 6, 0, 0, 0, loc)
	tests := []struct {
		nightly string
		now     time.Time
		want    bool
	}{
		{"0 6 * * *", tick, true},
		{"0 6 * * *", tick.Add(999 * time.Millisecond), true},
		{"0 6 * * *", tick.Add(1500 * time.Millisecond), true},
		{"0 2 * * *", tick.Add(10 * time.Millisecond), false},
		{"1 6 * * *", tick.Add(10 * time.Millisecond), false},
		{"0 6 * * *", tick.Add(time.Minute), false},
	}
	for _, tt := range tests {
		if got := firedTogether(parse("0 6 5 1,4,7,10 *"), parse(tt.nightly), tt.now); got != tt.want {
			t.Errorf("nightly %q at %s: %v, want %v", tt.nightly, tt.now.Format(time.TimeOnly+".000"), got, tt.want)
		}
	}
}

// The nightly loads each file under the ingest command's memory limit, and DuckDB's
// own limit is back once the file is in.
func TestNightlyLoadsUnderTheMemoryLimit(t *testing.T) {
	loc, _ := time.LoadLocation("Asia/Shanghai")
	cfg, _ := acmePowerInbox(t)
	svc := openService(t, cfg, time.Date(2024, 12, 31, 2, 0, 0, 0, loc))
	ctx := context.Background()

	limit := func(db *sql.DB) string {
		var v string
		if err := db.QueryRowContext(ctx, "SELECT current_setting('memory_limit')").Scan(&v); err != nil {
			t.Error(err)
		}
		return v
	}
	// The command's limit as DuckDB states it, from a database of its own.
	scratch, err := sql.Open("duckdb", "")
	if err != nil {
		t.Fatal(err)
	}
	defer scratch.Close()
	scratch.SetMaxOpenConns(1)
	if _, err := scratch.ExecContext(ctx, "SET memory_limit = '"+ingest.LoadMemoryLimit+"'"); err != nil {
		t.Fatal(err)
	}
	want, before := limit(scratch), limit(svc.DB.DB)
	if want == before {
		t.Fatalf("DuckDB's own limit is already %s: the test would tell nothing", want)
	}

	// While the file is read, checked and written, the database is held to the limit.
	during := map[string]string{}
	svc.Log = slog.New(onRecord(func(r slog.Record) {
		r.Attrs(func(a slog.Attr) bool {
			if a.Key == "step" && a.Value.String() != "hashing" {
				during[a.Value.String()] = limit(svc.DB.DB)
			}
			return true
		})
	}))
	if run, err := svc.Nightly(ctx); err != nil || run.RowsLoaded != 3 {
		t.Fatalf("nightly = %+v, %v", run, err)
	}
	for _, step := range []string{"reading", "checking", "writing", "committing"} {
		if got, ok := during[step]; !ok || got != want {
			t.Errorf("memory limit while %s = %q (step seen: %v), want %q", step, got, ok, want)
		}
	}
	// The loader puts back the limit from DuckDB's rounded text of it ("18.8 GiB"),
	// which DuckDB reads back a little lower: back means no longer the command's.
	if after := limit(svc.DB.DB); after == want {
		t.Errorf("memory limit after the load = %q, want DuckDB's own (%q before) back", after, before)
	}
}

// onRecord is a log handler that hands each record to a function.
type onRecord func(slog.Record)

func (h onRecord) Enabled(context.Context, slog.Level) bool      { return true }
func (h onRecord) Handle(_ context.Context, r slog.Record) error { h(r); return nil }
func (h onRecord) WithAttrs([]slog.Attr) slog.Handler            { return h }
func (h onRecord) WithGroup(string) slog.Handler                 { return h }
