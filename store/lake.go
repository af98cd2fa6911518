package store

import (
	"context"
	"crypto/rand"
	"database/sql"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/utilscore/utilscore/calendar"
)

// LakeSchemaVersion is the version of the table contract (spec/inputs.md) that a
// Parquet lake follows, written into every file's key-value metadata: a reader
// refuses files of another version rather than misread them.
const LakeSchemaVersion = "2"

// Metadata keys of the lake's Parquet files.
const (
	lakeVersionKey  = "utilscore_schema_version"
	lakePersonalKey = "utilscore_personal_data"
	lakeCalendar    = "calendar"
)

// personalComment opens the schema's comment on a column that holds personal data or
// free text about a person (sql/schema.sql): such columns never leave in a lake
// unless asked for.
const personalComment = "personal data"

// LakeTable is one table written to a lake.
type LakeTable struct {
	Name      string
	Rows      int64
	Partition []string // the Hive partition columns, in folder order
	Left      []string // personal-data columns left out
}

// PersonalColumns lists, by table, the columns the schema marks as personal data.
func (db *DB) PersonalColumns(ctx context.Context) (map[string][]string, error) {
	return columnNames(ctx, db.DB, "starts_with(comment, ?)", personalComment)
}

// ExportLake writes each table, and the working-day calendar, as Parquet under dir:
// <table>/utility=<u>/year=<y>/*.parquet, the year being that of the record's first
// required time (the application, the outage's start, the month…) in the database's
// time zone. A table with neither column is written unpartitioned. Personal-data
// columns are left out unless withPersonal. Each table's folder is replaced whole.
func (db *DB) ExportLake(ctx context.Context, dir string, tables []string, withPersonal bool) (out []LakeTable, err error) {
	defer func() {
		if err != nil {
			err = fmt.Errorf("export to %s: %w", dir, err)
		}
	}()
	personal, err := db.PersonalColumns(ctx)
	if err != nil {
		return nil, err
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	personalFlag := "excluded"
	if withPersonal {
		personalFlag = "included"
	}
	for _, table := range append(tables, lakeCalendar) {
		t := LakeTable{Name: table}
		if !withPersonal {
			t.Left = personal[table]
		}
		cols, err := db.tableColumns(ctx, table)
		if err != nil {
			return nil, err
		}
		if len(cols) == 0 {
			return nil, fmt.Errorf("table %s: not in the schema", table)
		}
		if err := db.QueryRowContext(ctx, "SELECT count(*) FROM "+quoteIdent(table)).Scan(&t.Rows); err != nil {
			return nil, fmt.Errorf("table %s: %w", table, err)
		}
		var selected []string
		yearOf := ""
		for _, c := range cols {
			if slices.Contains(t.Left, c.name) {
				continue
			}
			selected = append(selected, quoteIdent(c.name))
			if c.name == "utility" {
				t.Partition = append(t.Partition, "utility")
			}
			if yearOf == "" && c.required && (strings.HasPrefix(c.typ, "TIMESTAMP") || c.typ == "DATE") {
				yearOf = c.name
			}
		}
		if yearOf != "" && table != lakeCalendar {
			selected = append(selected, "year("+quoteIdent(yearOf)+")::INTEGER AS year")
			t.Partition = append(t.Partition, "year")
		}
		folder := filepath.Join(dir, table)
		if err := os.RemoveAll(folder); err != nil {
			return nil, err
		}
		if err := os.MkdirAll(folder, 0o755); err != nil {
			return nil, err
		}
		options := fmt.Sprintf("FORMAT parquet, COMPRESSION zstd, KV_METADATA {%s: '%s', %s: '%s', utilscore_table: '%s'}",
			lakeVersionKey, LakeSchemaVersion, lakePersonalKey, personalFlag, table)
		// Files are named uniquely, so that the lakes of several cities can be poured
		// into one tree; a lake has one calendar.
		target := filepath.Join(folder, table+"_"+rand.Text()+".parquet")
		if table == lakeCalendar {
			target = filepath.Join(folder, table+".parquet")
		}
		if len(t.Partition) > 0 {
			options += ", PARTITION_BY (" + strings.Join(t.Partition, ", ") + "), OVERWRITE_OR_IGNORE, FILENAME_PATTERN '" + table + "_{uuid}'"
			target = folder
		}
		if t.Rows == 0 && len(t.Partition) > 0 {
			// Partitions of nothing are no files: the empty folder says the table is empty.
			out = append(out, t)
			continue
		}
		q := "COPY (SELECT " + strings.Join(selected, ", ") + " FROM " + quoteIdent(table) + ") TO " + quoteString(target) + " (" + options + ")"
		if _, err := db.ExecContext(ctx, q); err != nil {
			return nil, fmt.Errorf("table %s: %w", table, err)
		}
		out = append(out, t)
	}
	return out, nil
}

// OpenLake opens an in-memory database whose tables are views over the Parquet lake
// at dir (as ExportLake writes it): the schema is the usual one, each table found in
// the lake reads its files with Hive partitioning, with every column typed as the
// schema types it (a column left out of the lake, such as personal data, reads as
// NULL), and the calendar is the lake's. Tables the lake lacks stay empty.
func OpenLake(ctx context.Context, dir string, opts Options) (*DB, error) {
	info, err := os.Stat(dir)
	if err != nil {
		return nil, fmt.Errorf("lake %s: %w", dir, err)
	}
	if !info.IsDir() {
		return nil, fmt.Errorf("lake %s: not a folder", dir)
	}
	if _, err := os.Stat(filepath.Join(dir, lakeCalendar)); err != nil {
		return nil, fmt.Errorf("lake %s has no calendar folder: is it a utilscore export?", dir)
	}
	db, err := Open(ctx, ":memory:", opts)
	if err != nil {
		return nil, err
	}
	if err := db.attachLake(ctx, dir); err != nil {
		db.Close()
		return nil, fmt.Errorf("lake %s: %w", dir, err)
	}
	if err := db.useLakeCalendar(ctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("lake %s: calendar: %w", dir, err)
	}
	db.Path = dir
	return db, nil
}

// useLakeCalendar makes the lake's calendar, now in the calendar table, the one the
// working-time macros read: db.Calendar is built from it, and the macros' list index
// of it (calendar_index) is made again, since Open made it from the built-in one.
func (db *DB) useLakeCalendar(ctx context.Context) error {
	rows, err := db.QueryContext(ctx, "SELECT day, is_workday, coalesce(note, '') FROM calendar WHERE is_workday IS NOT NULL ORDER BY day")
	if err != nil {
		return err
	}
	defer rows.Close()
	var days []calendar.Entry
	for rows.Next() {
		var e calendar.Entry
		if err := rows.Scan(&e.Date, &e.IsWorkday, &e.Note); err != nil {
			return err
		}
		days = append(days, e)
	}
	if err := rows.Err(); err != nil {
		return err
	}
	cal, err := calendar.New(db.Location, days)
	if err != nil {
		return err
	}
	db.Calendar = cal
	_, err = db.ExecContext(ctx, calendarMacros(cal))
	return err
}

func (db *DB) attachLake(ctx context.Context, dir string) error {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return err
	}
	for _, e := range entries {
		if !e.IsDir() {
			continue
		}
		cols, err := db.tableColumns(ctx, e.Name())
		if err != nil {
			return err
		}
		if len(cols) == 0 {
			continue // not a table of the schema: a folder of the user's, say
		}
		if err := db.attachLakeTable(ctx, filepath.Join(dir, e.Name()), e.Name(), cols); err != nil {
			return fmt.Errorf("table %s: %w", e.Name(), err)
		}
	}
	return nil
}

// attachLakeTable puts the files of one table in place of its (empty) table.
func (db *DB) attachLakeTable(ctx context.Context, folder, table string, cols []tableColumn) error {
	files, err := filepath.Glob(filepath.Join(folder, "*.parquet"))
	if err != nil {
		return err
	}
	keys, err := partitionKeys(folder)
	if err != nil {
		return err
	}
	if len(files) == 0 && len(keys) == 0 {
		return nil // an empty table
	}
	glob := filepath.Join(folder, "*.parquet")
	partitioning := "hive_partitioning = false"
	if len(keys) > 0 {
		glob = filepath.Join(folder, "**", "*.parquet")
		// Partition values come from folder names: the year is a number, the rest
		// text, and the schema's types are applied below as for every column.
		var types []string
		for _, k := range keys {
			typ := "VARCHAR"
			if k == "year" {
				typ = "INTEGER"
			}
			types = append(types, quoteString(k)+": "+typ)
		}
		partitioning = "hive_partitioning = true, hive_types = {" + strings.Join(types, ", ") + "}"
	}
	if err := db.checkLakeVersion(ctx, glob); err != nil {
		return err
	}
	source := "read_parquet(" + quoteString(glob) + ", " + partitioning + ", union_by_name = true)"
	present := map[string]bool{}
	rows, err := db.QueryContext(ctx, "SELECT column_name FROM (DESCRIBE SELECT * FROM "+source+")")
	if err != nil {
		return err
	}
	for rows.Next() {
		var name string
		if err := rows.Scan(&name); err != nil {
			rows.Close()
			return err
		}
		present[name] = true
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	var selected []string
	for _, c := range cols {
		if present[c.name] {
			selected = append(selected, "CAST("+quoteIdent(c.name)+" AS "+c.typ+") AS "+quoteIdent(c.name))
		} else {
			selected = append(selected, "CAST(NULL AS "+c.typ+") AS "+quoteIdent(c.name))
		}
	}
	q := "SELECT " + strings.Join(selected, ", ") + " FROM " + source
	if table == lakeCalendar {
		// The working-time macros look days up in it for every case: a table, not a
		// view, and small.
		_, err = db.ExecContext(ctx, "DELETE FROM calendar; INSERT INTO calendar "+q)
		return err
	}
	_, err = db.ExecContext(ctx, "DROP TABLE "+quoteIdent(table)+"; CREATE VIEW "+quoteIdent(table)+" AS "+q)
	return err
}

// checkLakeVersion refuses files written under another table contract.
func (db *DB) checkLakeVersion(ctx context.Context, glob string) error {
	var file, version sql.NullString
	err := db.QueryRowContext(ctx, `SELECT f.file_name, m.version
		FROM (SELECT DISTINCT file_name FROM parquet_file_metadata(?)) f
		LEFT JOIN (SELECT file_name, decode(value) AS version FROM parquet_kv_metadata(?) WHERE decode(key) = ?) m USING (file_name)
		WHERE m.version IS DISTINCT FROM ?
		LIMIT 1`, glob, glob, lakeVersionKey, LakeSchemaVersion).Scan(&file, &version)
	if err == sql.ErrNoRows {
		return nil
	}
	if err != nil {
		return err
	}
	if !version.Valid {
		return fmt.Errorf("%s has no %s in its metadata: not written by utilscore export", file.String, lakeVersionKey)
	}
	return fmt.Errorf("%s follows table contract version %s, this utilscore reads version %s", file.String, version.String, LakeSchemaVersion)
}

// partitionKeys reads the Hive partition keys of a table's folder from its first
// branch: utility=power/year=2024 gives utility and year.
func partitionKeys(folder string) ([]string, error) {
	var keys []string
	for {
		entries, err := os.ReadDir(folder)
		if err != nil {
			return nil, err
		}
		next := ""
		for _, e := range entries {
			if k, _, ok := strings.Cut(e.Name(), "="); ok && e.IsDir() {
				keys, next = append(keys, k), e.Name()
				break
			}
		}
		if next == "" {
			return keys, nil
		}
		folder = filepath.Join(folder, next)
	}
}

type tableColumn struct {
	name, typ string
	required  bool
}

// tableColumns reads a table's columns from the schema (none when there is no such
// table), with ENUM types by name so that a cast restores them.
func (db *DB) tableColumns(ctx context.Context, table string) ([]tableColumn, error) {
	rows, err := db.QueryContext(ctx, `SELECT column_name, data_type, NOT is_nullable FROM duckdb_columns()
		WHERE schema_name = 'main' AND table_name = ? ORDER BY column_index`, table)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var cols []tableColumn
	for rows.Next() {
		var c tableColumn
		if err := rows.Scan(&c.name, &c.typ, &c.required); err != nil {
			return nil, err
		}
		cols = append(cols, c)
	}
	return cols, rows.Err()
}
