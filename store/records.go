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

// recordTimes names, per table, the times that place a record in a period: a case
// applied for or finished (connected, else closed), an outage begun, a ticket
// received, a rating given, a water-balance month. The customer base is left out:
// customer counts alone yield no figure. It is the one rule of "a period holds
// data", for the read commands' refusals, the quarterly job and the API alike.
var recordTimes = []struct {
	table string
	times []string
}{
	{"cases", []string{"applied_at", "coalesce(connected_at, closed_at)"}},
	{"outages", []string{"start_at"}},
	{"tickets", []string{"received_at"}},
	{"evaluations", []string{"rated_at"}},
	{"water_balance", []string{"CAST(month AS TIMESTAMPTZ)"}},
}

// RecordsIn counts the records of [start, end), of one utility when utility is not
// empty.
func (db *DB) RecordsIn(ctx context.Context, start, end time.Time, utility string) (r Records, err error) {
	defer wrapf(&err, "count the records of %s from %s to %s", db.Path, start.Format(time.DateOnly), end.Format(time.DateOnly))
	// $1, $2: the period's bounds, given with their offset so that no session time
	// zone reads them; $3: the utility, or '' for every one.
	var counts []string
	for _, t := range recordTimes {
		var within []string
		for _, at := range t.times {
			within = append(within, "("+at+" >= s AND "+at+" < e)")
		}
		counts = append(counts, "(SELECT count(*) FROM "+t.table+" WHERE ("+strings.Join(within, " OR ")+
			") AND ($3 = '' OR utility::VARCHAR = $3))")
	}
	query := "WITH bounds AS (SELECT $1::TIMESTAMPTZ AS s, $2::TIMESTAMPTZ AS e) SELECT " +
		strings.Join(counts, ", ") + " FROM bounds"
	const instant = "2006-01-02 15:04:05.999999-07:00"
	err = db.QueryRowContext(ctx, query, start.Format(instant), end.Format(instant), utility).
		Scan(&r.Cases, &r.Outages, &r.Tickets, &r.Evaluations, &r.WaterBalance)
	return r, err
}

// QuarterRecords is one quarter that holds records, and how many.
type QuarterRecords struct {
	Year, Quarter int
	Records       int64
}

// QuartersWithRecords lists the quarters that hold records, oldest first, each record
// counted once in every quarter one of its times falls in (in the session's time
// zone, Asia/Shanghai unless configured otherwise).
func (db *DB) QuartersWithRecords(ctx context.Context) (out []QuarterRecords, err error) {
	defer wrapf(&err, "list the quarters that hold records in %s", db.Path)
	var parts []string
	for _, t := range recordTimes {
		for _, at := range t.times {
			parts = append(parts, "SELECT '"+t.table+"' AS t, rowid AS id, year("+at+") AS y, quarter("+at+") AS q FROM "+
				t.table+" WHERE "+at+" IS NOT NULL")
		}
	}
	rows, err := db.QueryContext(ctx, "SELECT y, q, count(*) FROM (SELECT DISTINCT * FROM ("+
		strings.Join(parts, " UNION ALL ")+")) GROUP BY ALL ORDER BY y, q")
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var r QuarterRecords
		if err := rows.Scan(&r.Year, &r.Quarter, &r.Records); err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, rows.Err()
}
