// Package ingest loads the utilities' exports (CSV, Excel, JSON Lines, Parquet; UTF-8,
// GB18030 or UTF-16; English or Chinese headers) into the utilscore database.
//
// Every file goes the same way: its rows are read as text straight into one SQL query
// that types and checks them against the schema, and the good rows are merged
// into the kind's table in a single transaction together with the rejects and the
// ledger row. A file is therefore loaded whole or not at all, and for every file
// rows read = rows loaded + rows rejected.
package ingest

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"database/sql/driver"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/duckdb/duckdb-go/v2"
	"github.com/utilscore/utilscore/calendar"
)

// Options control a load.
type Options struct {
	Kind     string          // the kind of every file; empty = tell from its headers
	Encoding string          // the text encoding; empty = detect
	Profile  *MappingProfile // nil = the built-in profile
	DryRun   bool            // check the files, write nothing
	// Settle is how long an inbox file must stay unchanged before it is taken; zero
	// means DefaultSettle, a negative value not to wait (files are known finished).
	Settle time.Duration
	// Progress, when set, is told which step a file is in; done/total count bytes while
	// hashing and are zero otherwise.
	Progress func(file, step string, done, total int64)
	// MemoryLimit bounds DuckDB's memory while a file loads ("128MB"): past it the
	// typed rows spill to the database's temporary folder, so a file of any size
	// loads in bounded memory. With it, the allocator gives freed memory back to the
	// system as it goes, and the merge runs on one thread. These settings are the
	// whole database's, so queries running beside the load are held to them too.
	// Empty leaves DuckDB's own (80 % of the machine's memory, every core).
	MemoryLimit string
}

// LoadMemoryLimit is the memory limit the ingest command and the service's nightly
// run load under: well below what a machine running them has, and enough for DuckDB
// to type and merge a file in pieces of it, a million rows onto a million stored
// included. DuckDB's limit covers its buffers, not all it allocates: a million-row
// file peaks at about 260-280 MB of the process under it (docs/scale.md).
const LoadMemoryLimit = "128MB"

// Problem is one reason a row was rejected.
type Problem struct {
	Line   int64 // physical line of a text file, row of a sheet or Parquet file; 0 if unknown
	Column string
	Value  string
	Reason string
	// Warning: the row was loaded with this value left empty (see Kind.Lenient).
	Warning bool
}

func (p Problem) String() string {
	where := fmt.Sprintf("line %d", p.Line)
	if p.Warning {
		where = "warning: " + where
	}
	if p.Column != "" {
		where += ", column " + p.Column
	}
	return where + ": " + p.Reason
}

// Result accounts for one file.
type Result struct {
	File          string
	SHA256        string
	Kind          string
	Format        string
	Encoding      string
	Profile       string
	LoadID        int64
	AlreadyLoaded bool // the same content was loaded before: nothing changed
	RowsRead      int64
	RowsLoaded    int64
	RowsRejected  int64
	RowsUpdated   int64 // loaded rows that replaced a stored version
	// RowsWarned counts loaded rows with a warning: a bad value in a column no
	// figure reads, stored empty. They are among RowsLoaded, so rows read = loaded +
	// rejected still holds; the rejects table holds them with severity warning.
	RowsWarned int64
	Ignored    []string
	Problems   []Problem // the first problems found, for the report
	Elapsed    time.Duration
}

// maxReportedProblems bounds Result.Problems; the rejects table holds them all.
const maxReportedProblems = 20

// FileError says a file was refused whole: nothing of it was loaded.
type FileError struct {
	File string
	Err  error
}

func (e *FileError) Error() string { return "ingest " + e.File + ": " + e.Err.Error() }
func (e *FileError) Unwrap() error { return e.Err }

// Loader loads files into one database.
type Loader struct {
	db    *sql.DB
	kinds []Kind
	opts  Options
	zone  localZone // where times without an offset are placed
}

// NewLoader prepares a loader; the database must carry the utilscore schema.
func NewLoader(ctx context.Context, db *sql.DB, opts Options) (_ *Loader, err error) {
	defer wrap(&err, "ingest: preparing the loader")
	kinds, err := Kinds(ctx, db)
	if err != nil {
		return nil, err
	}
	if opts.Profile == nil {
		opts.Profile = BuiltinProfile()
	}
	if opts.Encoding, err = normalizeEncoding(firstNonEmpty(opts.Encoding, opts.Profile.Encoding)); err != nil {
		return nil, err
	}
	if err := checkProfile(opts.Profile, kinds); err != nil {
		return nil, err
	}
	var zone string
	if err := db.QueryRowContext(ctx, "SELECT current_setting('TimeZone')").Scan(&zone); err != nil {
		return nil, err
	}
	loc, err := time.LoadLocation(zone)
	if err != nil {
		return nil, fmt.Errorf("time zone %q: %w", zone, err)
	}
	conn, err := db.Conn(ctx)
	if err != nil {
		return nil, err
	}
	defer conn.Close()
	if err := registerFunctions(conn); err != nil {
		return nil, fmt.Errorf("registering the loader's functions: %w", err)
	}
	return &Loader{db: db, kinds: kinds, opts: opts, zone: zoneOf(loc)}, nil
}

// localZone is the zone of times written without an offset. Where the zone has kept
// one offset from some year to 2100 (Asia/Shanghai: +08:00 since 1992, after the
// summer times of 1986-91), later times are shifted by that offset, which avoids a
// time-zone library call per cell; earlier ones go through the zone's rules.
type localZone struct {
	name   string
	offset int // seconds east of UTC, valid from since on
	since  int // first year of the fixed offset; 0 = none
}

func zoneOf(loc *time.Location) localZone {
	z := localZone{name: loc.String()}
	end := time.Date(2100, 1, 1, 0, 0, 0, 0, loc)
	for year := 1990; year < 2100; year++ {
		if offset, fixed := calendar.FixedOffset(loc, time.Date(year, 1, 1, 0, 0, 0, 0, loc), end); fixed {
			z.offset, z.since = offset, year
			break
		}
	}
	return z
}

// checkProfile refuses a profile that names columns no kind has.
func checkProfile(p *MappingProfile, kinds []Kind) error {
	known := map[string]bool{}
	for _, k := range kinds {
		for _, c := range k.Columns {
			known[c.Name] = true
		}
	}
	bad := func(what, col string) error {
		return fmt.Errorf("mapping profile %s: %s names column %q, which no kind of log has", p.Name, what, col)
	}
	for alias, col := range p.Headers {
		if !known[col] {
			return bad("header "+alias, col)
		}
	}
	for col := range p.Codes {
		if !known[col] {
			return bad("codes", col)
		}
	}
	for col := range p.Constants {
		if !known[col] {
			return bad("constants", col)
		}
	}
	if p.Kind != "" {
		if _, err := kindByName(kinds, p.Kind); err != nil {
			return fmt.Errorf("mapping profile %s: %w", p.Name, err)
		}
	}
	return nil
}

// Load loads one file. A *FileError means the file itself was refused (unreadable,
// unknown type, headers that fit no kind, records lost); any other error is the
// database's, and the file may be tried again. Rows rejected inside a loaded file are
// counted in the result and stored in the rejects table.
func (l *Loader) Load(ctx context.Context, path string) (res Result, err error) {
	started := time.Now()
	res = Result{File: filepath.Base(path), Profile: l.opts.Profile.Name}
	defer func() { res.Elapsed = time.Since(started) }()
	refuse := func(err error) (Result, error) { return res, &FileError{File: path, Err: err} }
	ff, gzipped, err := formatOf(path)
	if err != nil {
		return refuse(err)
	}
	res.Format = ff.name
	l.progress(res.File, "hashing", 0, 0)
	if res.SHA256, err = l.fileSHA256(path); err != nil {
		return refuse(err)
	}
	if !l.opts.DryRun {
		err := l.db.QueryRowContext(ctx, "SELECT load_id FROM loads WHERE sha256 = ?", res.SHA256).Scan(&res.LoadID)
		if err == nil {
			res.AlreadyLoaded = true
			return res, nil
		} else if !errors.Is(err, sql.ErrNoRows) {
			return res, fmt.Errorf("ingest %s: looking the file up in the ledger: %w", path, err)
		}
	}

	conn, err := l.db.Conn(ctx)
	if err != nil {
		return res, fmt.Errorf("ingest %s: %w", path, err)
	}
	defer conn.Close()
	defer dropTemporaries(conn)
	if l.opts.MemoryLimit != "" {
		restore, err := limitMemory(ctx, conn, l.opts.MemoryLimit)
		if err != nil {
			return res, fmt.Errorf("ingest %s: setting the memory limit %s: %w", path, l.opts.MemoryLimit, err)
		}
		defer restore()
	}

	l.progress(res.File, "reading", 0, 0)
	o := readerOptions{profile: l.opts.Profile, kinds: l.kinds, kind: l.opts.Kind, encoding: l.opts.Encoding,
		typed: func(st *staged, from string) string {
			return typedSQL(typingPlan{kind: st.kind, from: from, staged: st.columns,
				constants: l.opts.Profile.Constants, codes: l.opts.Profile.Codes, zone: l.zone})
		}}
	st, err := ff.read(ctx, conn, source{path: path, gzipped: gzipped}, o)
	if err != nil {
		var typing *typingError
		switch {
		case ctx.Err() != nil:
			return res, ctx.Err()
		case errors.As(err, &typing):
			return res, fmt.Errorf("ingest %s: %w", path, typing)
		}
		return refuse(err)
	}
	res.Kind, res.Encoding, res.Ignored = st.kind.Name, st.encoding, st.ignored

	l.progress(res.File, "checking", 0, 0)
	if err := l.check(ctx, conn, st); err != nil {
		return res, fmt.Errorf("ingest %s: checking the rows: %w", path, err)
	}
	if err := l.count(ctx, conn, &res); err != nil {
		return res, fmt.Errorf("ingest %s: counting the rows: %w", path, err)
	}
	if res.RowsRead != st.records {
		return refuse(fmt.Errorf("%d records were read but only %d reached the checks; nothing was loaded (report this with the file)", st.records, res.RowsRead))
	}
	if l.opts.DryRun {
		return res, nil
	}
	l.progress(res.File, "writing", 0, 0)
	if err := l.commit(ctx, conn, st, &res, started); err != nil {
		return res, fmt.Errorf("ingest %s: writing the rows: %w", path, err)
	}
	return res, nil
}

func (l *Loader) progress(file, step string, done, total int64) {
	if l.opts.Progress != nil {
		l.opts.Progress(file, step, done, total)
	}
}

func (l *Loader) fileSHA256(path string) (string, error) {
	f, err := os.Open(path)
	if err != nil {
		return "", err
	}
	defer f.Close()
	info, err := f.Stat()
	if err != nil {
		return "", err
	}
	h := sha256.New()
	r := io.Reader(f)
	if l.opts.Progress != nil {
		r = &countingReader{r: f, report: func(n int64) { l.progress(filepath.Base(path), "hashing", n, info.Size()) }}
	}
	if _, err := io.Copy(h, r); err != nil {
		return "", err
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

type countingReader struct {
	r      io.Reader
	n      int64
	report func(int64)
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += int64(n)
	c.report(c.n)
	return n, err
}

// check finds in-file duplicates among the typed rows and gathers every rejected row,
// with its physical line, in _rejects.
func (l *Loader) check(ctx context.Context, conn *sql.Conn, st *staged) error {
	var districts int
	if err := conn.QueryRowContext(ctx, "SELECT count(*) FROM districts").Scan(&districts); err != nil {
		return err
	}
	if err := writeSkipped(ctx, conn, st.skipped); err != nil {
		return err
	}
	_, hasDistrict := st.kind.Column("district")
	hasDistrict = hasDistrict && resolvesDistrict(st.kind, "district")
	if _, err := conn.ExecContext(ctx, typedView(hasDistrict, districts)); err != nil {
		return err
	}
	var repeatedKeys int64
	if err := conn.QueryRowContext(ctx, repeatedKeysSQL(st.kind)).Scan(&repeatedKeys); err != nil {
		return err
	}
	for _, q := range duplicatesSQL(st.kind, repeatedKeys > 0) {
		if _, err := conn.ExecContext(ctx, q); err != nil {
			return err
		}
	}
	_, err := conn.ExecContext(ctx, `CREATE OR REPLACE TEMP TABLE _rejects AS
		SELECT t._line AS line, p.column AS column_name, p.value, p.reason, t._rec, 'rejected' AS severity
		FROM (SELECT _rec, _line, unnest(_problems) AS p FROM _typed WHERE len(_problems) > 0) t
		UNION ALL
		SELECT a._line, NULL, NULL, a.reason, a._rec, 'rejected' FROM _ambiguous a
		UNION ALL
		SELECT s.line, NULL, NULL, s.reason, s._rec, 'rejected' FROM _skipped s
		UNION ALL
		SELECT w._line, p.column, p.value, p.reason, w._rec, 'warning'
		FROM (SELECT _rec, _line, unnest(_warnings) AS p FROM _typed
		      WHERE len(_warnings) > 0 AND len(_problems) = 0 AND _rec NOT IN (SELECT _rec FROM _ambiguous)) w`)
	return err
}

// writeSkipped stores the records the reader could not split.
func writeSkipped(ctx context.Context, conn *sql.Conn, skipped []skippedRecord) error {
	if _, err := conn.ExecContext(ctx, `CREATE OR REPLACE TEMP TABLE _skipped (_rec BIGINT, line BIGINT, reason VARCHAR)`); err != nil {
		return err
	}
	if len(skipped) > 0 {
		err := conn.Raw(func(dc any) error {
			a, err := duckdb.NewAppender(dc.(driver.Conn), "temp", "main", "_skipped")
			if err != nil {
				return err
			}
			for _, s := range skipped {
				var line driver.Value
				if s.line > 0 {
					line = s.line
				}
				if err := a.AppendRow(s.rec, line, s.reason); err != nil {
					a.Close()
					return err
				}
			}
			return a.Close()
		})
		if err != nil {
			return err
		}
	}
	return nil
}

// count fills the row counts and the first problems of the result.
func (l *Loader) count(ctx context.Context, conn *sql.Conn, res *Result) error {
	err := conn.QueryRowContext(ctx, `SELECT
		(SELECT count(*) FROM _typed) + (SELECT count(*) FROM _skipped),
		(SELECT count(DISTINCT _rec) FROM _rejects WHERE severity = 'rejected'),
		(SELECT count(DISTINCT _rec) FROM _rejects WHERE severity = 'warning')`).Scan(&res.RowsRead, &res.RowsRejected, &res.RowsWarned)
	if err != nil {
		return err
	}
	res.RowsLoaded = res.RowsRead - res.RowsRejected
	rows, err := conn.QueryContext(ctx, fmt.Sprintf(`SELECT coalesce(line, 0), coalesce(column_name, ''), coalesce(value, ''), reason, severity = 'warning'
		FROM _rejects ORDER BY _rec, column_name LIMIT %d`, maxReportedProblems))
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var p Problem
		if err := rows.Scan(&p.Line, &p.Column, &p.Value, &p.Reason, &p.Warning); err != nil {
			return err
		}
		res.Problems = append(res.Problems, p)
	}
	return rows.Err()
}

// commit merges the good rows, stores the rejects and the history and writes the
// ledger row, last, in one transaction. A crash before COMMIT leaves the database as
// it was; a crash during it can leave part of the transaction in a torn write-ahead
// log, which store.Open undoes for any load without its ledger row.
func (l *Loader) commit(ctx context.Context, conn *sql.Conn, st *staged, res *Result, started time.Time) (err error) {
	if l.opts.MemoryLimit != "" {
		// Two threads each holding their part of a join's blocks ran out of the
		// limit when a file replaced a million stored rows; one thread did not. Set
		// before the transaction, so that it is put back after a rollback: an
		// aborted transaction refuses every statement until then.
		restore, err := setDuring(ctx, conn, "threads", "1")
		if err != nil {
			return err
		}
		defer restore()
	}
	if _, err := conn.ExecContext(ctx, "BEGIN TRANSACTION"); err != nil {
		return err
	}
	defer func() {
		if err != nil {
			conn.ExecContext(context.WithoutCancel(ctx), "ROLLBACK")
		}
	}()
	// A torn log may have kept the ledger but not the sequence: never reuse an id.
	err = conn.QueryRowContext(ctx, "SELECT greatest(nextval('load_ids'), (SELECT coalesce(max(load_id), 0) + 1 FROM loads))").Scan(&res.LoadID)
	if err != nil {
		return err
	}
	for _, q := range mergeSQL(st.kind, res.LoadID) {
		if _, err := conn.ExecContext(ctx, q); err != nil {
			return err
		}
	}
	if err := conn.QueryRowContext(ctx, "SELECT count(*) FROM _replaced").Scan(&res.RowsUpdated); err != nil {
		return err
	}
	if _, err := conn.ExecContext(ctx, `INSERT INTO rejects (load_id, file_name, line, column_name, value, reason, severity)
		SELECT ?, ?, line, column_name, value, reason, severity FROM _rejects ORDER BY _rec, column_name`,
		res.LoadID, res.File); err != nil {
		return err
	}
	_, err = conn.ExecContext(ctx, `INSERT INTO loads (load_id, file_name, sha256, kind, format, encoding, profile,
			rows_read, rows_loaded, rows_rejected, rows_updated, ignored_columns, started_at, finished_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, now())`,
		res.LoadID, res.File, res.SHA256, res.Kind, res.Format, res.Encoding, res.Profile,
		res.RowsRead, res.RowsLoaded, res.RowsRejected, res.RowsUpdated, strings.Join(res.Ignored, ", "), started)
	if err != nil {
		return err
	}
	l.progress(res.File, "committing", 0, 0)
	_, err = conn.ExecContext(ctx, "COMMIT")
	return err
}

// limitMemory sets DuckDB's memory limit and returns what puts the default back.
// DuckDB's allocator keeps freed memory for reuse, so the process grew past the
// limit by what one query after another had freed (a million-row file peaked
// anywhere from 271 to 374 MB under 128MB); its background threads give that back
// to the system as the load goes (268-272 MB).
func limitMemory(ctx context.Context, conn *sql.Conn, limit string) (func(), error) {
	restoreLimit, err := setDuring(ctx, conn, "memory_limit", limit)
	if err != nil {
		return nil, err
	}
	restorePurge, err := setDuring(ctx, conn, "allocator_background_threads", "true")
	if err != nil {
		restoreLimit()
		return nil, err
	}
	return func() { restorePurge(); restoreLimit() }, nil
}

// setDuring sets one of DuckDB's global settings and returns what puts its default
// back. Nothing else sets these; and memory_limit reads back rounded ("18.8 GiB"),
// so setting it again from that text lowered it a little after every load.
func setDuring(ctx context.Context, conn *sql.Conn, name, value string) (func(), error) {
	if _, err := conn.ExecContext(ctx, "SET "+name+" = "+literal(value)); err != nil {
		return nil, err
	}
	return func() { conn.ExecContext(context.WithoutCancel(ctx), "RESET "+name) }, nil
}

var temporaries = []string{"_typed", "_typed_rows", "_skipped",
	"_ambiguous", "_good", "_win", "_match", "_stored", "_incoming", "_replaced", "_lost", "_superseded", "_rejects"}

// dropTemporaries clears the connection's scratch tables before it returns to the pool.
func dropTemporaries(conn *sql.Conn) {
	ctx := context.Background()
	for _, t := range temporaries {
		conn.ExecContext(ctx, "DROP VIEW IF EXISTS temp."+t)
		conn.ExecContext(ctx, "DROP TABLE IF EXISTS temp."+t)
	}
}

// wrap adds what was being done to an error, in one deferred line, so a database
// error reaching the user says which step met it.
func wrap(err *error, format string, args ...any) {
	if *err != nil {
		*err = fmt.Errorf(format+": %w", append(args, *err)...)
	}
}
