package main

import (
	"context"
	"flag"

	"github.com/utilscore/utilscore/store"
)

// registerLake adds --lake to a command that only reads: it then computes over a
// Parquet lake written by 'utilscore export' instead of a database file.
func (d *dbFlags) registerLake(fs *flag.FlagSet) {
	fs.StringVar(&d.lake, "lake", "", "compute over this Parquet lake (written by 'utilscore export --parquet') instead of --db")
}

// openLake opens the lake in an in-memory database. The calendar is the lake's: the
// figures are those of the database it came from, so a calendar file is refused.
func (d *dbFlags) openLake(ctx context.Context) (*store.DB, error) {
	if d.calendar != "" {
		return nil, usagef("--calendar and --lake do not go together: the lake brings its own calendar")
	}
	return store.OpenLake(ctx, d.lake, store.Options{TimeZone: d.timeZone, MemoryLimit: d.memoryLimit})
}
