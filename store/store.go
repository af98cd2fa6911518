// Package store opens the utilscore DuckDB database: every connection gets the same
// time zone, and the schema and the working-day calendar are in place before use.
package store

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"fmt"
	"log/slog"
	"strings"
	"time"
	_ "time/tzdata" // Asia/Shanghai without the system's zoneinfo (minimal servers, CI)

	"github.com/duckdb/duckdb-go/v2"

	"github.com/utilscore/utilscore/calendar"
	"github.com/utilscore/utilscore/sql"
)

// DefaultTimeZone is where timestamps without an offset are placed, and in which
// periods and calendar days are read.
const DefaultTimeZone = "Asia/Shanghai"

// Options say how to open the database.
type Options struct {
	TimeZone     string // default Asia/Shanghai
	CalendarFile string // user calendar overrides (date,is_workday,note); empty = built-in only
	// Log receives what opening repaired (see recoverTornLoads); nil = slog.Default().
	Log *slog.Logger
	// MemoryLimit bounds DuckDB's memory ("1GB"): past it, joins, aggregates and kept
	// tables spill to a temporary folder beside the database. Empty: DuckDB's default,
	// 80% of the machine's memory.
	MemoryLimit string
}

// DB is an open utilscore database.
type DB struct {
	*sql.DB
	Calendar *calendar.Calendar
	Location *time.Location
	Path     string
	// Snapshot is set when OpenForReading found the file in use and opened the
	// snapshot published beside it; AsOf is when that snapshot was made.
	Snapshot string
	AsOf     time.Time
}

// Open opens (creating if needed) the database at path for writing; an empty path or
// ":memory:" opens a private in-memory database. Commands that only read use
// OpenForReading, which never creates one.
func Open(ctx context.Context, path string, opts Options) (*DB, error) {
	db, err := connect(path, path, opts, nil)
	if err != nil {
		return nil, describeOpenError(path, err)
	}
	if err := db.migrate(ctx); err != nil {
		db.Close()
		return nil, describeOpenError(path, err)
	}
	if opts.Log == nil {
		opts.Log = slog.Default()
	}
	if err := db.recoverTornLoads(ctx, opts.Log); err != nil {
		db.Close()
		return nil, describeOpenError(path, err)
	}
	return db, nil
}

// connect opens the database file at dsn (path with its options). Every new
// connection gets the time zone, then runs setUp when given.
func connect(path, dsn string, opts Options, setUp func(context.Context, driver.ExecerContext, *calendar.Calendar) error) (*DB, error) {
	if opts.TimeZone == "" {
		opts.TimeZone = DefaultTimeZone
	}
	loc, err := time.LoadLocation(opts.TimeZone)
	if err != nil {
		return nil, fmt.Errorf("time zone %q: %w", opts.TimeZone, err)
	}
	cal, err := calendar.LoadFile(loc, opts.CalendarFile)
	if err != nil {
		return nil, err
	}
	if path == ":memory:" {
		dsn = ""
	}
	setZone := "SET TimeZone = '" + strings.ReplaceAll(opts.TimeZone, "'", "''") + "'"
	connector, err := duckdb.NewConnector(dsn, func(execer driver.ExecerContext) error {
		ctx := context.Background()
		if _, err := execer.ExecContext(ctx, setZone, nil); err != nil {
			return err
		}
		if opts.MemoryLimit != "" {
			limit := "SET memory_limit = '" + strings.ReplaceAll(opts.MemoryLimit, "'", "''") + "'"
			if _, err := execer.ExecContext(ctx, limit, nil); err != nil {
				return fmt.Errorf("memory limit %q: %w", opts.MemoryLimit, err)
			}
		}
		if setUp != nil {
			return setUp(ctx, execer, cal)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	db := &DB{DB: sql.OpenDB(connector), Calendar: cal, Location: loc, Path: path}
	if dsn == "" {
		// Each connection to an in-memory database would be a database of its own.
		db.SetMaxOpenConns(1)
	}
	return db, nil
}

func describeOpenError(path string, err error) error {
	if strings.Contains(err.Error(), "Could not set lock") {
		return fmt.Errorf("database %s is in use by another utilscore process (only one may write to it at a time): %w", path, err)
	}
	return fmt.Errorf("database %s: %w", path, err)
}

func (db *DB) migrate(ctx context.Context) error {
	if err := db.upgradeTables(ctx); err != nil {
		return err
	}
	if _, err := db.ExecContext(ctx, sqlfiles.Schema); err != nil {
		return fmt.Errorf("schema: %w", err)
	}
	if err := db.writeCalendar(ctx); err != nil {
		return fmt.Errorf("calendar: %w", err)
	}
	if _, err := db.ExecContext(ctx, calendarMacros(db.Calendar)); err != nil {
		return fmt.Errorf("calendar macros: %w", err)
	}
	if _, err := db.ExecContext(ctx, sqlfiles.Views); err != nil {
		return fmt.Errorf("views: %w", err)
	}
	return nil
}

// writeCalendar replaces the calendar table with the current calendar, so a changed
// user file takes effect on the next open.
func (db *DB) writeCalendar(ctx context.Context) error {
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if _, err := tx.ExecContext(ctx, "DELETE FROM calendar"); err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, calendarRows(db.Calendar)); err != nil {
		return err
	}
	return tx.Commit()
}

// calendarRows is the INSERT that fills the calendar table with cal's days.
func calendarRows(cal *calendar.Calendar) string {
	var b strings.Builder
	b.WriteString("INSERT INTO calendar VALUES ")
	days := cal.Days()
	for i, d := range days {
		if i > 0 {
			b.WriteByte(',')
		}
		fmt.Fprintf(&b, "('%s',%t,%d,'%s')", d.Date.Format("2006-01-02"), d.IsWorkday, d.WorkdaysBefore, strings.ReplaceAll(d.Note, "'", "''"))
	}
	// One row past the last known day, for the midnight that closes the calendar (the
	// end of a period in its last year): its count is known, its day is not.
	last := days[len(days)-1]
	after := last.WorkdaysBefore
	if last.IsWorkday {
		after++
	}
	fmt.Fprintf(&b, ",('%s',NULL,%d,'end of the known calendar')", last.Date.AddDate(0, 0, 1).Format("2006-01-02"), after)
	return b.String()
}
