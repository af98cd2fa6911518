package metrics

import (
	"context"
	"crypto/rand"
	"database/sql"
	"fmt"
	"slices"
	"strings"

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

// caseBatch is how many cases are measured at once (a variable for tests): of those to
// measure (open at the end of the period or connected in it), not of every case
// stored, so a database of ten years measures a quarter's cases in a batch or two.
// On the million-case benchmark 100 000 took half the CPU of 25 000 (3.5 s against
// 7.2 s) with the same peak memory, also where every case is listed (400 MB for a
// million).
var caseBatch = 100_000

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
	// The list is kept in an in-memory database of its own because that one can be
	// compressed (codes and ids a few bytes a case instead of sixteen); its name is
	// this call's, as attached databases are shared by every connection.
	list := "_case_list_" + strings.ToLower(rand.Text())
	create := "CREATE TABLE " + list + "."
	if _, err := conn.ExecContext(ctx, "ATTACH ':memory:' AS "+list+" (COMPRESS)"); err == nil {
		defer conn.ExecContext(context.Background(), "DETACH "+list)
	} else {
		// A database opened read-only attaches nothing: temporary tables then.
		list, create = "temp", "CREATE TEMP TABLE "
		defer conn.ExecContext(context.Background(), "DROP TABLE IF EXISTS temp._case_list; DROP TABLE IF EXISTS temp._case_order")
	}
	defer conn.ExecContext(context.Background(), dropMeasuredCases+"; DROP TABLE IF EXISTS temp._periods; DROP TABLE IF EXISTS temp._settings; DROP TABLE IF EXISTS temp._case_targets")
	if err := writeParameters(ctx, conn, q.Period, DefaultSettings()); err != nil {
		return err
	}
	if err := writeCaseTargets(ctx, conn, q.Targets); err != nil {
		return err
	}
	if _, err := conn.ExecContext(ctx, sqlfiles.Overdue); err != nil {
		return err
	}
	// Measuring a case takes memory in DuckDB (its stages, the calendar look-ups, the
	// strictest of its limits): a million at once would take gigabytes. The cases to
	// measure are taken in ranges of case_id of caseBatch of them (a range reaches the
	// scan of the cases table, where a hash would not), and only the listed ones are
	// kept.
	bounds, err := caseIDBounds(ctx, conn)
	if err != nil {
		return err
	}
	const listed = `SELECT utility, case_id, customer_class, district, applied_at, target_id, metric_id,
			elapsed, limit_value, used, finished
		FROM _measured_cases
		WHERE (used > 1 OR (NOT finished AND used > ?)) AND (? = '' OR utility = ?)`
	args := []any{q.WarnShare, q.Utility, q.Utility}
	if _, err := conn.ExecContext(ctx, create+"_case_list AS "+listed+" LIMIT 0", args...); err != nil {
		return err
	}
	for i := 0; i <= len(bounds); i++ {
		where, batchArgs := "", slices.Clone(args)
		if i > 0 {
			where += " AND case_id > ?"
			batchArgs = append(batchArgs, bounds[i-1])
		}
		if i < len(bounds) {
			where += " AND case_id <= ?"
			batchArgs = append(batchArgs, bounds[i])
		}
		if _, err := conn.ExecContext(ctx, "INSERT INTO "+list+"._case_list "+listed+where, batchArgs...); err != nil {
			return err
		}
	}
	var n int
	if err := conn.QueryRowContext(ctx, "SELECT count(*) FROM "+list+"._case_list").Scan(&n); err != nil {
		return err
	}
	if err := start(n); err != nil {
		return err
	}
	// The order is numbered once over the sort keys alone, and each page picks its
	// rows by number: no sort of the whole list, no top-N per page.
	if _, err := conn.ExecContext(ctx, create+`_case_order AS
		SELECT rowid AS rid, row_number() OVER (ORDER BY used DESC, utility, case_id) AS seq FROM `+list+`._case_list`); err != nil {
		return err
	}
	for from := 0; from < n; from += casePage {
		if err := readCasePage(ctx, conn, list, from, each); err != nil {
			return err
		}
	}
	return nil
}

// caseIDBounds splits the cases to measure into ranges of case_id of about caseBatch
// cases each: the upper bound of every range but the last.
func caseIDBounds(ctx context.Context, conn *sql.Conn) ([]string, error) {
	rows, err := conn.QueryContext(ctx, `SELECT case_id FROM (
			SELECT case_id, row_number() OVER (ORDER BY case_id) AS r, count(*) OVER () AS n FROM _listable_cases)
		WHERE r % ? = 0 AND r < n ORDER BY case_id`, caseBatch)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var bounds []string
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		if len(bounds) == 0 || id != bounds[len(bounds)-1] {
			bounds = append(bounds, id)
		}
	}
	return bounds, rows.Err()
}

func readCasePage(ctx context.Context, conn *sql.Conn, list string, from int, each func(OpenCase) error) error {
	// The contact details are looked up for the page only: kept in the list, they
	// would take more memory than the rest of it.
	rows, err := conn.QueryContext(ctx, `WITH page AS (
			SELECT o.seq, l.* FROM (SELECT rid, seq FROM `+list+`._case_order WHERE seq > ? AND seq <= ?) o
			JOIN `+list+`._case_list l ON l.rowid = o.rid)
		SELECT p.utility, p.case_id, p.customer_class, p.district, p.applied_at, p.target_id, p.metric_id,
			p.elapsed, p.limit_value, p.used, p.finished, coalesce(c.applicant, ''), coalesce(c.contact_phone, '')
		FROM page p LEFT JOIN cases c ON c.utility::VARCHAR = p.utility AND c.case_id = p.case_id
		ORDER BY p.seq`, from, from+casePage)
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
