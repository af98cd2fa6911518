// Package testdb makes the databases tests compute on: the demo generator's exports,
// loaded as 'utilscore ingest' loads them.
package testdb

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/utilscore/utilscore/calendar"
	"github.com/utilscore/utilscore/ingest"
	"github.com/utilscore/utilscore/store"
	"github.com/utilscore/utilscore/synth"
)

// Generated returns a new database in tb's temporary folder holding the generator's
// exports of cases cases made with seed (0 cases: the generator's default size and
// seed), loaded. It is closed when tb ends.
func Generated(tb testing.TB, cases int, seed uint64) *store.DB {
	tb.Helper()
	ctx := context.Background()
	dir := tb.TempDir()
	db, err := store.Open(ctx, filepath.Join(dir, "generated.duckdb"), store.Options{})
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { db.Close() })
	cal, err := calendar.BuiltIn(db.Location)
	if err != nil {
		tb.Fatal(err)
	}
	cfg := synth.DefaultConfig(cal)
	cfg.Dir = filepath.Join(dir, "in")
	if cases > 0 {
		cfg.Cases, cfg.Seed = cases, seed
	}
	if _, err := synth.Generate(cfg); err != nil {
		tb.Fatal(err)
	}
	l, err := ingest.NewLoader(ctx, db.DB, ingest.Options{})
	if err != nil {
		tb.Fatal(err)
	}
	if _, err := l.LoadInbox(ctx, cfg.Dir); err != nil {
		tb.Fatal(err)
	}
	return db
}
