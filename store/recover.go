package store

import (
	"context"
	"database/sql"
	"fmt"
	"log/slog"
	"strings"
)

// historyOf names the table that keeps the versions a load replaced, for the kinds
// that keep them.
var historyOf = map[string]string{"cases": "case_history"}

// recoverTornLoads removes whatever a load left without its ledger row.
//
// A load writes its rows, rejects, history and ledger row in one transaction, the
// ledger row last. A kill -9 during COMMIT can still leave a torn write-ahead log,
// which DuckDB replays up to the tear (spec/inputs.md, loading rules): part of the
// transaction reappears without the ledger row. Every load id found in a table but
// not in loads is such a remnant: its rows and rejects are deleted, its history
// removed, and the versions it had replaced are put back. Load ids start at 1; rows
// written without the loader (test and benchmark fixtures) carry 0 and are kept.
func (db *DB) recoverTornLoads(ctx context.Context, log *slog.Logger) (err error) {
	defer wrapf(&err, "checking the loads against the ledger")
	tables, err := loadTables(ctx, db.DB)
	if err != nil {
		return err
	}
	// A load's id is above every id in the ledger when it commits, and a remnant is
	// removed on the next open, before any other load: so only ids above the ledger's
	// last can be remnants. Looking only there lets DuckDB skip, by their zone maps,
	// the row groups of every earlier load, which keeps opening a large history cheap.
	var last int64
	if err := db.QueryRowContext(ctx, "SELECT coalesce(max(load_id), 0) FROM loads").Scan(&last); err != nil {
		return err
	}
	var parts []string
	for _, t := range tables {
		parts = append(parts, fmt.Sprintf("SELECT DISTINCT load_id FROM %s WHERE load_id > %d", quoteIdent(t), last))
	}
	for _, h := range historyOf {
		parts = append(parts, fmt.Sprintf("SELECT DISTINCT superseded_by_load FROM %s WHERE superseded_by_load > %d", quoteIdent(h), last))
	}
	rows, err := db.QueryContext(ctx, fmt.Sprintf(`SELECT DISTINCT load_id FROM (%s) t(load_id)
		WHERE load_id > 0 AND load_id NOT IN (SELECT load_id FROM loads) ORDER BY load_id`, strings.Join(parts, " UNION ")))
	if err != nil {
		return err
	}
	var orphans []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			rows.Close()
			return err
		}
		orphans = append(orphans, id)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	for _, id := range orphans {
		removed, err := db.removeLoad(ctx, tables, id)
		if err != nil {
			return fmt.Errorf("load %d: %w", id, err)
		}
		log.Warn("removed what an interrupted load left without its ledger row", "database", db.Path, "load_id", id, "rows", removed)
	}
	return nil
}

// loadTables lists the tables that carry a load_id, apart from the ledger.
func loadTables(ctx context.Context, db *sql.DB) ([]string, error) {
	rows, err := db.QueryContext(ctx, `SELECT table_name FROM information_schema.columns
		WHERE table_schema = 'main' AND column_name = 'load_id' AND table_name <> 'loads'
		  AND table_name IN (SELECT table_name FROM information_schema.tables WHERE table_type = 'BASE TABLE')
		ORDER BY table_name`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var t string
		if err := rows.Scan(&t); err != nil {
			return nil, err
		}
		out = append(out, t)
	}
	return out, rows.Err()
}

// removeLoad undoes one load without a ledger row, in one transaction.
func (db *DB) removeLoad(ctx context.Context, tables []string, id int64) (removed int64, err error) {
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return 0, err
	}
	defer tx.Rollback()
	// Versions the load replaced come back first, unless the tear kept them in place.
	for kind, h := range historyOf {
		_, err := tx.ExecContext(ctx, fmt.Sprintf(`INSERT INTO %[1]s SELECT * EXCLUDE (superseded_by_load) FROM %[2]s h
			WHERE h.superseded_by_load = %[3]d AND h.load_id <> %[3]d
			  AND NOT EXISTS (SELECT 1 FROM %[1]s k WHERE k.load_id = h.load_id AND k.source_row = h.source_row)`, quoteIdent(kind), quoteIdent(h), id))
		if err != nil {
			return removed, err
		}
		if _, err := tx.ExecContext(ctx, fmt.Sprintf(`DELETE FROM %s WHERE superseded_by_load = %d`, quoteIdent(h), id)); err != nil {
			return removed, err
		}
	}
	for _, t := range tables {
		res, err := tx.ExecContext(ctx, fmt.Sprintf(`DELETE FROM %s WHERE load_id = %d`, quoteIdent(t), id))
		if err != nil {
			return removed, err
		}
		n, _ := res.RowsAffected()
		removed += n
	}
	return removed, tx.Commit()
}
