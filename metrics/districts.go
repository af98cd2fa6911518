package metrics

import (
	"context"
	"database/sql"
	"fmt"
)

// DistrictNames reads the districts list: code → name.
func DistrictNames(ctx context.Context, db *sql.DB) (map[string]string, error) {
	rows, err := db.QueryContext(ctx, "SELECT district, any_value(name) FROM districts GROUP BY district")
	if err != nil {
		return nil, fmt.Errorf("read the districts list: %w", err)
	}
	defer rows.Close()
	out := map[string]string{}
	for rows.Next() {
		var code, name string
		if err := rows.Scan(&code, &name); err != nil {
			return nil, err
		}
		out[code] = name
	}
	return out, rows.Err()
}
