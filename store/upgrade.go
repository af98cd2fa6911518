package store

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strings"
	"sync"

	"github.com/duckdb/duckdb-go/v2"

	"github.com/utilscore/utilscore/sql"
)

// contractColumns are the columns of every table of the schema, in their declared
// order, read from a private in-memory database that ran it (a constant of the binary).
var contractColumns = sync.OnceValues(func() (map[string][]string, error) {
	connector, err := duckdb.NewConnector("", nil)
	if err != nil {
		return nil, err
	}
	db := sql.OpenDB(connector)
	defer db.Close()
	if _, err := db.Exec(sqlfiles.Schema); err != nil {
		return nil, fmt.Errorf("schema: %w", err)
	}
	return columnNames(context.Background(), db, ownColumns)
})

// columnNames lists, by table, the columns of the main schema that cond (an SQL
// condition on duckdb_columns()) selects, in their declared order.
func columnNames(ctx context.Context, db interface {
	QueryContext(context.Context, string, ...any) (*sql.Rows, error)
}, cond string, args ...any) (map[string][]string, error) {
	rows, err := db.QueryContext(ctx, `SELECT table_name, column_name FROM duckdb_columns()
		WHERE schema_name = 'main' AND `+cond+` ORDER BY table_name, column_index`, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[string][]string{}
	for rows.Next() {
		var table, column string
		if err := rows.Scan(&table, &column); err != nil {
			return nil, err
		}
		out[table] = append(out[table], column)
	}
	return out, rows.Err()
}

// ownColumns is the condition for the columns of this database's own tables.
const ownColumns = "database_name = current_database() AND NOT internal"

// staleTables returns the database's columns by table, and the tables that lack a
// column the schema declares, sorted.
func (db *DB) staleTables(ctx context.Context) (existing map[string][]string, stale []string, err error) {
	existing, err = columnNames(ctx, db.DB, ownColumns)
	if err != nil || len(existing) == 0 { // a new database has nothing to upgrade
		return existing, nil, err
	}
	contract, err := contractColumns()
	if err != nil {
		return nil, nil, err
	}
	for table, have := range existing {
		for _, c := range contract[table] {
			if !slices.Contains(have, c) {
				stale = append(stale, table)
				break
			}
		}
	}
	slices.Sort(stale)
	return existing, stale, nil
}

// upgradeTables gives a table made by an earlier schema the columns added since, in
// the order the schema declares them, before the schema runs. ALTER TABLE … ADD
// COLUMN would put them last, and the loader copies a case to case_history by
// position (INSERT … SELECT *) and the audit unions the two the same way: so a
// table lacking a column is renamed, the schema creates it afresh, and its rows are
// copied over by name, in one transaction. Columns the schema no longer declares are
// kept, after the declared ones.
func (db *DB) upgradeTables(ctx context.Context) (err error) {
	defer wrapf(&err, "upgrading tables made by an earlier version")
	existing, stale, err := db.staleTables(ctx)
	if err != nil || len(stale) == 0 {
		return err
	}
	contract, err := contractColumns()
	if err != nil {
		return err
	}
	conn, err := db.Conn(ctx)
	if err != nil {
		return err
	}
	defer conn.Close()
	tx, err := conn.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	for _, t := range stale {
		if _, err := tx.ExecContext(ctx, fmt.Sprintf("ALTER TABLE %s RENAME TO %s", quoteIdent(t), quoteIdent(t+"_before_upgrade"))); err != nil {
			return fmt.Errorf("%s: %w", t, err)
		}
	}
	if _, err := tx.ExecContext(ctx, sqlfiles.Schema); err != nil {
		return fmt.Errorf("schema: %w", err)
	}
	for _, t := range stale {
		if err := copyByName(ctx, tx, t, existing[t], contract[t]); err != nil {
			return fmt.Errorf("%s: %w", t, err)
		}
	}
	return tx.Commit()
}

// copyByName moves the rows of table_before_upgrade into the new table: the columns
// both have by name, then the old-only ones, added at the end with their own type.
func copyByName(ctx context.Context, tx *sql.Tx, table string, have, want []string) error {
	old := quoteIdent(table + "_before_upgrade")
	var shared []string
	for _, c := range have {
		if !slices.Contains(want, c) {
			var typ string
			if err := tx.QueryRowContext(ctx, `SELECT data_type FROM duckdb_columns()
				WHERE database_name = current_database() AND schema_name = 'main' AND table_name = ? AND column_name = ?`,
				table+"_before_upgrade", c).Scan(&typ); err != nil {
				return err
			}
			if _, err := tx.ExecContext(ctx, fmt.Sprintf("ALTER TABLE %s ADD COLUMN %s %s", quoteIdent(table), quoteIdent(c), typ)); err != nil {
				return err
			}
		}
		shared = append(shared, quoteIdent(c))
	}
	cols := strings.Join(shared, ", ")
	if _, err := tx.ExecContext(ctx, fmt.Sprintf("INSERT INTO %s (%s) SELECT %s FROM %s", quoteIdent(table), cols, cols, old)); err != nil {
		return err
	}
	_, err := tx.ExecContext(ctx, "DROP TABLE "+old)
	return err
}
