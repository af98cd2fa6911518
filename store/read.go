package store

import (
	"context"
	gosql "database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/utilscore/utilscore/calendar"
	"github.com/utilscore/utilscore/sql"
)

// SnapshotPath is where PublishSnapshot keeps the read-only copy of the database at
// path: beside it, so it shares its folder, disk and permissions.
func SnapshotPath(path string) string { return path + ".snapshot" }

// OpenForReading opens an existing database read-only, for the commands that only
// read. It never creates one. When another process writes to the file (DuckDB allows
// one writer, and a reader cannot open a file a writer holds), it opens the snapshot
// that process last published instead, and the DB's AsOf says when that was made.
//
// A read-only file cannot take this binary's calendar, macros and views, so each
// connection gets them as temporary objects, which take precedence over the file's:
// the figures are computed exactly as a writer opening the file would compute them.
func OpenForReading(ctx context.Context, path string, opts Options) (db *DB, err error) {
	defer wrapf(&err, "open %s for reading", path)
	if path == "" || path == ":memory:" {
		return nil, errors.New("a database to read must be a file")
	}
	if _, err := os.Stat(path); err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return nil, errors.New("no such database file (load files into it with 'utilscore ingest --db FILE')")
		}
		return nil, err
	}
	db, err = openReadOnly(ctx, path, opts)
	if err == nil || !isLocked(err) {
		return db, err
	}
	snap := SnapshotPath(path)
	info, statErr := os.Stat(snap)
	if statErr != nil {
		return nil, fmt.Errorf("in use by another process (the service, say), and it has no snapshot yet: %s is written after each successful nightly run", filepath.Base(snap))
	}
	db, err = openReadOnly(ctx, snap, opts)
	if err != nil {
		return nil, fmt.Errorf("in use by another process; its snapshot: %w", err)
	}
	db.Path, db.Snapshot, db.AsOf = path, snap, info.ModTime().In(db.Location)
	return db, nil
}

func openReadOnly(ctx context.Context, path string, opts Options) (*DB, error) {
	db, err := connect(path, path+"?access_mode=read_only", opts, readSession)
	if err != nil {
		return nil, err
	}
	// The file is opened, and its lock taken, when the first connection is made.
	if err := db.PingContext(ctx); err != nil {
		db.Close()
		return nil, err
	}
	// A file an earlier version made lacks columns the figures read, and a reader
	// cannot add them: a writer opening it once does (upgradeTables).
	if _, stale, err := db.staleTables(ctx); err != nil || len(stale) > 0 {
		db.Close()
		if err == nil {
			err = fmt.Errorf("made by an earlier version of utilscore, its tables %s lack the columns added since: open it once for writing (utilscore ingest --db FILE …) to upgrade it",
				strings.Join(stale, ", "))
		}
		return nil, err
	}
	return db, nil
}

// readSession gives a connection to a read-only file this binary's calendar, macros
// and views as temporary objects, which shadow the file's own.
func readSession(ctx context.Context, conn driver.ExecerContext, cal *calendar.Calendar) error {
	// Bound before temp.calendar exists, the SELECT reads the file's table: the
	// temporary one gets its columns from the schema that made the file.
	if _, err := conn.ExecContext(ctx, "CREATE TEMP TABLE calendar AS SELECT * FROM calendar LIMIT 0", nil); err != nil {
		return fmt.Errorf("not a utilscore database: %w", err)
	}
	for _, script := range []string{calendarRows(cal), temporary(calendarMacros(cal)), temporary(sqlfiles.Views)} {
		if _, err := conn.ExecContext(ctx, script, nil); err != nil {
			return err
		}
	}
	return nil
}

// temporary turns a script of CREATE OR REPLACE MACRO and VIEW statements into one
// creating the same objects as temporary ones.
func temporary(script string) string {
	return strings.NewReplacer("CREATE OR REPLACE MACRO ", "CREATE OR REPLACE TEMP MACRO ",
		"CREATE OR REPLACE VIEW ", "CREATE OR REPLACE TEMP VIEW ",
		"CREATE OR REPLACE TABLE ", "CREATE OR REPLACE TEMP TABLE ").Replace(script)
}

func isLocked(err error) bool {
	return strings.Contains(err.Error(), "Could not set lock")
}

// PublishSnapshot writes a consistent copy of the database beside it, at
// SnapshotPath, for readers to use while this process holds the file.
//
// The copy is made inside DuckDB (COPY FROM DATABASE into a newly attached file), in
// one transaction, so it holds one moment's state of every table, macro, view and
// type however other connections of this process write meanwhile; a byte copy of the
// file would need every writer stopped and the write-ahead log checkpointed first.
// The new file is checkpointed, detached, synced, and renamed over the old snapshot:
// a reader opens the old file or the new one, never a part-written one, and one that
// has the old file open keeps reading it.
func PublishSnapshot(ctx context.Context, db *DB) (err error) {
	defer wrapf(&err, "publish a snapshot of %s", db.Path)
	if db.Path == "" || db.Path == ":memory:" {
		return errors.New("an in-memory database has no file to publish beside")
	}
	dest := SnapshotPath(db.Path)
	stamp := time.Now().UnixNano()
	tmp := filepath.Join(filepath.Dir(dest), fmt.Sprintf(".%s.%d.tmp", filepath.Base(dest), stamp))
	defer func() {
		if err != nil {
			os.Remove(tmp)
			os.Remove(tmp + ".wal")
		}
	}()
	conn, err := db.Conn(ctx)
	if err != nil {
		return err
	}
	defer conn.Close()
	var name string
	if err := conn.QueryRowContext(ctx, "SELECT current_database()").Scan(&name); err != nil {
		return err
	}
	// Attached databases are seen by every connection: the name is unique.
	alias := fmt.Sprintf("utilscore_snapshot_%d", stamp)
	if _, err := conn.ExecContext(ctx, "ATTACH "+quoteString(tmp)+" AS "+alias); err != nil {
		return err
	}
	err = copyDatabase(ctx, conn, quoteIdent(name), alias)
	if err == nil {
		// Everything into the file itself: only the file is renamed into place.
		_, err = conn.ExecContext(ctx, "CHECKPOINT "+alias)
	}
	if _, detachErr := conn.ExecContext(context.WithoutCancel(ctx), "DETACH "+alias); err == nil {
		err = detachErr
	}
	if err != nil {
		return err
	}
	if err := syncFile(tmp); err != nil {
		return err
	}
	if err := os.Rename(tmp, dest); err != nil {
		return err
	}
	return syncFile(filepath.Dir(dest)) // the rename itself survives a crash
}

// copyDatabase copies every object of from into to. DuckDB runs COPY FROM DATABASE
// as two statements (the schema, then the data): one transaction holds both, so
// the copy is one moment's state of the database.
func copyDatabase(ctx context.Context, conn *gosql.Conn, from, to string) error {
	tx, err := conn.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if _, err := tx.ExecContext(ctx, "COPY FROM DATABASE "+from+" TO "+to); err != nil {
		return err
	}
	return tx.Commit()
}

func syncFile(path string) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	return f.Sync()
}

func quoteString(s string) string { return "'" + strings.ReplaceAll(s, "'", "''") + "'" }

func quoteIdent(s string) string { return `"` + strings.ReplaceAll(s, `"`, `""`) + `"` }

// wrapf adds what was being done to a non-nil *errp, in one deferred line.
func wrapf(errp *error, format string, args ...any) {
	if *errp != nil {
		*errp = fmt.Errorf("%s: %w", fmt.Sprintf(format, args...), *errp)
	}
}
