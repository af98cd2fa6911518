package metrics

import (
	"context"
	"database/sql"
)

// Finding is one integrity finding (spec/metrics.md F).
type Finding struct {
	Utility, CaseID, Rule, Stage, Detail string
}

// Audit lists the integrity findings of the cases active in the period, ordered by
// utility, case and rule.
func Audit(ctx context.Context, db *sql.DB, p Period, s Settings) ([]Finding, error) {
	conn, err := db.Conn(ctx)
	if err != nil {
		return nil, err
	}
	defer conn.Close()
	defer conn.ExecContext(context.Background(), "DROP VIEW IF EXISTS temp._audit_findings; DROP TABLE IF EXISTS temp._periods; DROP TABLE IF EXISTS temp._settings")
	if err := writeParameters(ctx, conn, p, s); err != nil {
		return nil, err
	}
	rows, err := conn.QueryContext(ctx, `SELECT utility, case_id, rule, stage, detail FROM _audit_findings ORDER BY ALL`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Finding
	for rows.Next() {
		var f Finding
		if err := rows.Scan(&f.Utility, &f.CaseID, &f.Rule, &f.Stage, &f.Detail); err != nil {
			return nil, err
		}
		out = append(out, f)
	}
	return out, rows.Err()
}
