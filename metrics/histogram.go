package metrics

import (
	"context"
	"database/sql"

	sqlfiles "github.com/utilscore/utilscore/sql"
)

// HistogramBins is the number of bins: one per working day up to 30, then 30 or more.
const HistogramBins = 31

// Histogram counts, per utility, the cases connected in the period by whole working
// days taken (the last bin holds 30 or more).
func Histogram(ctx context.Context, db *sql.DB, p Period) (map[string][]int64, error) {
	conn, err := db.Conn(ctx)
	if err != nil {
		return nil, err
	}
	defer conn.Close()
	defer conn.ExecContext(context.Background(), "DROP TABLE IF EXISTS temp._periods; DROP TABLE IF EXISTS temp._settings; DROP VIEW IF EXISTS temp._audit_findings")
	if err := writeParameters(ctx, conn, p, DefaultSettings()); err != nil {
		return nil, err
	}
	rows, err := conn.QueryContext(ctx, sqlfiles.Histogram)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[string][]int64{}
	for rows.Next() {
		var utility string
		var bin int
		var cases int64
		if err := rows.Scan(&utility, &bin, &cases); err != nil {
			return nil, err
		}
		if out[utility] == nil {
			out[utility] = make([]int64, HistogramBins)
		}
		out[utility][bin] = cases
	}
	return out, rows.Err()
}
