package metrics

import (
	"context"
	"database/sql"
	"fmt"

	sqlfiles "github.com/utilscore/utilscore/sql"
)

// CaseQuery says which cases a case list shows: those of the period over their limit
// (open at its end, or connected in it), and the open ones past WarnShare of it.
type CaseQuery struct {
	Period    Period
	WarnShare float64
	Targets   []CaseTarget
	Utility   string // "" = every utility
}

// casePage is how many cases one read takes from the database: the driver holds a
// whole result in memory, so a list is read in pages of this size.
const casePage = 20_000

// ListCases tells start how many cases the query lists, then calls each with every
// one, most overdue first (the order of LateCases, then the warnings of Overdue). The
// list is kept in a temporary table and read a page at a time, so neither Go nor the
// driver ever holds more than a page of it.
func ListCases(ctx context.Context, db *sql.DB, q CaseQuery, start func(n int) error, each func(OpenCase) error) (err error) {
	defer func() {
		if err != nil {
			err = fmt.Errorf("case list of %s: %w", q.Period.Label, err)
		}
	}()
	conn, err := db.Conn(ctx)
	if err != nil {
		return err
	}
	defer conn.Close()
	defer conn.ExecContext(context.Background(), "DROP TABLE IF EXISTS temp._case_list; DROP VIEW IF EXISTS temp._open_cases; DROP VIEW IF EXISTS temp._measured_cases; DROP TABLE IF EXISTS temp._periods; DROP TABLE IF EXISTS temp._settings; DROP TABLE IF EXISTS temp._case_targets")
	if err := writeParameters(ctx, conn, q.Period, DefaultSettings()); err != nil {
		return err
	}
	if err := writeCaseTargets(ctx, conn, q.Targets); err != nil {
		return err
	}
	if _, err := conn.ExecContext(ctx, sqlfiles.Overdue); err != nil {
		return err
	}
	// seq numbers the list in its order, and the table is written in that order, so
	// each page is a range of seq that DuckDB's zone maps find without a full scan.
	if _, err := conn.ExecContext(ctx, `CREATE OR REPLACE TEMP TABLE _case_list AS
		SELECT row_number() OVER (ORDER BY used DESC, utility, case_id) AS seq,
			utility, case_id, customer_class, district, applied_at, target_id, metric_id,
			elapsed, limit_value, used, finished, coalesce(applicant, '') AS applicant, coalesce(contact_phone, '') AS phone
		FROM _measured_cases
		WHERE (used > 1 OR (NOT finished AND used > ?)) AND (? = '' OR utility = ?)
		ORDER BY seq`, q.WarnShare, q.Utility, q.Utility); err != nil {
		return err
	}
	var n int
	if err := conn.QueryRowContext(ctx, "SELECT count(*) FROM _case_list").Scan(&n); err != nil {
		return err
	}
	if err := start(n); err != nil {
		return err
	}
	for from := 0; from < n; from += casePage {
		if err := readCasePage(ctx, conn, from, each); err != nil {
			return err
		}
	}
	return nil
}

func readCasePage(ctx context.Context, conn *sql.Conn, from int, each func(OpenCase) error) error {
	rows, err := conn.QueryContext(ctx, `SELECT utility, case_id, customer_class, district, applied_at, target_id, metric_id,
		elapsed, limit_value, used, finished, applicant, phone
		FROM _case_list WHERE seq > ? AND seq <= ? ORDER BY seq`, from, from+casePage)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var c OpenCase
		if err := rows.Scan(&c.Utility, &c.CaseID, &c.CustomerClass, &c.District, &c.AppliedAt, &c.TargetID, &c.MetricID,
			&c.Elapsed, &c.Limit, &c.Used, &c.Finished, &c.Applicant, &c.Phone); err != nil {
			return err
		}
		if err := each(c); err != nil {
			return err
		}
	}
	return rows.Err()
}
