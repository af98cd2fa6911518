package metrics

import (
	"context"
	"database/sql"
	"time"

	sqlfiles "github.com/utilscore/utilscore/sql"
)

// OpenCase is a case still open at a moment, measured against its strictest limit.
type OpenCase struct {
	Utility, CaseID, CustomerClass, District string
	AppliedAt                                time.Time
	TargetID, MetricID                       string
	Elapsed, Limit                           float64
	Used                                     float64 // elapsed / limit: over 1 is overdue, over 0.8 a warning
	Finished                                 bool    // connected in the period, measured to its connection
	Applicant, Phone                         string  // contact details, for internal case lists only
}

// Overdue lists the cases open at the end of the day asOf (in its location) whose
// elapsed time is above warnShare of their limit, most overdue first. The limits come
// from the case targets (a profile's per-case time limits).
func Overdue(ctx context.Context, db *sql.DB, asOf time.Time, warnShare float64, targets []CaseTarget) ([]OpenCase, error) {
	end := time.Date(asOf.Year(), asOf.Month(), asOf.Day(), 0, 0, 0, 0, asOf.Location()).AddDate(0, 0, 1)
	day := Period{Label: asOf.Format("2006-01-02"), Start: end.AddDate(0, 0, -1), End: end, Kind: "day"}
	return measuredCases(ctx, db, day, "NOT finished AND used > ?", warnShare, targets)
}

// LateCases lists the cases of a period over their limit: open at its end, or
// connected in it, most overdue first.
func LateCases(ctx context.Context, db *sql.DB, p Period, targets []CaseTarget) ([]OpenCase, error) {
	return measuredCases(ctx, db, p, "used > ?", 1.0, targets)
}

// dropMeasuredCases is the statement that removes what sql/overdue.sql makes.
const dropMeasuredCases = "DROP VIEW IF EXISTS temp._open_cases; DROP VIEW IF EXISTS temp._measured_cases; DROP VIEW IF EXISTS temp._listable_cases"

func measuredCases(ctx context.Context, db *sql.DB, p Period, where string, share float64, targets []CaseTarget) ([]OpenCase, error) {
	conn, err := db.Conn(ctx)
	if err != nil {
		return nil, err
	}
	defer conn.Close()
	defer conn.ExecContext(context.Background(), dropMeasuredCases+"; DROP TABLE IF EXISTS temp._periods; DROP TABLE IF EXISTS temp._settings; DROP TABLE IF EXISTS temp._case_targets")
	if err := writeParameters(ctx, conn, p, DefaultSettings()); err != nil {
		return nil, err
	}
	if err := writeCaseTargets(ctx, conn, targets); err != nil {
		return nil, err
	}
	if _, err := conn.ExecContext(ctx, sqlfiles.Overdue); err != nil {
		return nil, err
	}
	rows, err := conn.QueryContext(ctx, `SELECT utility, case_id, customer_class, district, applied_at, target_id, metric_id,
		elapsed, limit_value, used, finished, coalesce(applicant, ''), coalesce(contact_phone, '')
		FROM _measured_cases WHERE `+where+` ORDER BY used DESC, utility, case_id`, share)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []OpenCase
	for rows.Next() {
		var c OpenCase
		if err := rows.Scan(&c.Utility, &c.CaseID, &c.CustomerClass, &c.District, &c.AppliedAt, &c.TargetID, &c.MetricID,
			&c.Elapsed, &c.Limit, &c.Used, &c.Finished, &c.Applicant, &c.Phone); err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, rows.Err()
}
