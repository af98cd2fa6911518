package store

import (
	"context"
	"strings"
	"time"
)

// Utilities lists the utility codes, in the order the schema's utility_code type
// declares them: the schema is the one list of utilities.
func (db *DB) Utilities(ctx context.Context) (codes []string, err error) {
	defer wrapf(&err, "list the utilities of %s", db.Path)
	rows, err := db.QueryContext(ctx, "SELECT unnest(enum_range(NULL::utility_code))::VARCHAR")
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var c string
		if err := rows.Scan(&c); err != nil {
			return nil, err
		}
		codes = append(codes, c)
	}
	return codes, rows.Err()
}

// KnownDistrict says whether code is in the districts list or named by any stored
// record.
func (db *DB) KnownDistrict(ctx context.Context, code string) (known bool, err error) {
	defer wrapf(&err, "look up district %q in %s", code, db.Path)
	var parts []string
	for _, table := range []string{"districts", "cases", "outages", "customer_base", "tickets", "evaluations", "water_balance"} {
		parts = append(parts, "EXISTS (SELECT 1 FROM "+table+" WHERE district = $1)")
	}
	err = db.QueryRowContext(ctx, "SELECT "+strings.Join(parts, " OR "), code).Scan(&known)
	return known, err
}

// Records counts the records that belong to a period, each by the time that places
// it in a period.
type Records struct {
	Cases        int64 // applied for, or finished (connected, else closed), in the period
	Outages      int64 // started in it
	Tickets      int64 // received in it
	Evaluations  int64 // rated in it
	WaterBalance int64 // months in it
}

// Total is the number of records of every kind.
func (r Records) Total() int64 {
	return r.Cases + r.Outages + r.Tickets + r.Evaluations + r.WaterBalance
}

// RecordsIn counts the records of [start, end), of one utility when utility is not
// empty. The customer base is left out: customer counts alone yield no figure.
func (db *DB) RecordsIn(ctx context.Context, start, end time.Time, utility string) (r Records, err error) {
	defer wrapf(&err, "count the records of %s from %s to %s", db.Path, start.Format(time.DateOnly), end.Format(time.DateOnly))
	// $1, $2: the period's bounds, given with their offset so that no session time
	// zone reads them; $3: the utility, or '' for every one.
	const ofUtility = " AND ($3 = '' OR utility::VARCHAR = $3)"
	query := `WITH bounds AS (SELECT $1::TIMESTAMPTZ AS s, $2::TIMESTAMPTZ AS e)
	SELECT
		(SELECT count(*) FROM cases WHERE (applied_at >= s AND applied_at < e
			OR coalesce(connected_at, closed_at) >= s AND coalesce(connected_at, closed_at) < e)` + ofUtility + `),
		(SELECT count(*) FROM outages WHERE start_at >= s AND start_at < e` + ofUtility + `),
		(SELECT count(*) FROM tickets WHERE received_at >= s AND received_at < e` + ofUtility + `),
		(SELECT count(*) FROM evaluations WHERE rated_at >= s AND rated_at < e` + ofUtility + `),
		(SELECT count(*) FROM water_balance WHERE month >= s AND month < e` + ofUtility + `)
	FROM bounds`
	const instant = "2006-01-02 15:04:05.999999-07:00"
	err = db.QueryRowContext(ctx, query, start.Format(instant), end.Format(instant), utility).
		Scan(&r.Cases, &r.Outages, &r.Tickets, &r.Evaluations, &r.WaterBalance)
	return r, err
}
