package metrics

import (
	"context"
	"database/sql"
	"fmt"
	"time"
)

// Cutoff is where one utility's data of one input kind ends (spec/metrics.md H3):
// what the outputs print as 数据截至.
type Cutoff struct {
	Utility, Kind string
	At            time.Time
}

// Cutoffs lists the data cut-off of every utility and input kind, by utility and kind.
func Cutoffs(ctx context.Context, db *sql.DB) ([]Cutoff, error) {
	rows, err := db.QueryContext(ctx, "SELECT utility, kind, cutoff_at FROM data_cutoff WHERE cutoff_at IS NOT NULL ORDER BY utility, kind")
	if err != nil {
		return nil, fmt.Errorf("data cut-off: %w", err)
	}
	defer rows.Close()
	var out []Cutoff
	for rows.Next() {
		var c Cutoff
		if err := rows.Scan(&c.Utility, &c.Kind, &c.At); err != nil {
			return nil, fmt.Errorf("data cut-off: %w", err)
		}
		out = append(out, c)
	}
	return out, rows.Err()
}
