package store

import (
	"bytes"
	"context"
	"log/slog"
	"path/filepath"
	"strings"
	"testing"
)

// A torn load's remnants (a new version of a case, the history row that replaced
// version, a reject, an event) are removed on open, and the replaced version is back;
// a load with its ledger row is left alone.
func TestOpenRemovesLoadsWithoutLedgerRow(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "torn.duckdb")
	db, err := Open(ctx, path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	setup := []string{
		`INSERT INTO loads (load_id, file_name, sha256, kind, format, encoding, profile, rows_read, rows_loaded, rows_rejected, rows_updated, started_at, finished_at)
			VALUES (1, 'a.csv', 'h1', 'cases', 'csv', 'utf-8', 'p', 2, 2, 0, 0, now(), now())`,
		`INSERT INTO cases (case_id, utility, district, customer_class, status, applied_at, load_id, source_row)
			VALUES ('C1', 'power', '510302', 'residential', 'open', '2024-03-01 09:00', 1, 1),
			       ('C3', 'power', '510302', 'residential', 'open', '2024-03-01 09:00', 1, 2)`,
		// Load 2 replaced C3 and added C2, then the process died during COMMIT.
		`INSERT INTO case_history SELECT *, 2 FROM cases WHERE case_id = 'C3'`,
		`DELETE FROM cases WHERE case_id = 'C3'`,
		`INSERT INTO cases (case_id, utility, district, customer_class, status, applied_at, load_id, source_row)
			VALUES ('C2', 'power', '510302', 'residential', 'open', '2024-03-02 09:00', 2, 1),
			       ('C3', 'power', '510302', 'residential', 'connected', '2024-03-01 09:00', 2, 2)`,
		`INSERT INTO rejects (load_id, file_name, line, column_name, value, reason) VALUES (2, 'b.csv', 4, 'status', 'x', 'bad')`,
		`INSERT INTO case_events VALUES ('C2', 'power', 'applied', '2024-03-02 09:00', NULL, NULL, 2, 1)`,
	}
	for _, q := range setup {
		if _, err := db.Exec(q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	db.Close()

	var logged bytes.Buffer
	db, err = Open(ctx, path, Options{Log: slog.New(slog.NewTextHandler(&logged, nil))})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	checks := []struct{ q, want string }{
		{"SELECT string_agg(case_id || ':' || status || ':' || load_id, ' ' ORDER BY case_id) FROM cases", "C1:open:1 C3:open:1"},
		{"SELECT count(*) FROM case_history", "0"},
		{"SELECT count(*) FROM rejects", "0"},
		{"SELECT count(*) FROM case_events", "0"},
		{"SELECT count(*) FROM loads", "1"},
	}
	for _, c := range checks {
		var got string
		if err := db.QueryRow(c.q).Scan(&got); err != nil {
			t.Fatal(err)
		}
		if got != c.want {
			t.Errorf("%s = %s, want %s", c.q, got, c.want)
		}
	}
	if !strings.Contains(logged.String(), "load_id=2") || strings.Contains(logged.String(), "load_id=1") {
		t.Errorf("log = %q; want one line for load 2", logged.String())
	}
}

// Rows written without the loader carry load 0 and are not a torn load's.
func TestOpenKeepsRowsWrittenWithoutTheLoader(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "fixture.duckdb")
	db, err := Open(ctx, path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.Exec("INSERT INTO districts VALUES ('510302', '自流井区', NULL, NULL, 0, 0)"); err != nil {
		t.Fatal(err)
	}
	db.Close()
	db, err = Open(ctx, path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var n int
	if err := db.QueryRow("SELECT count(*) FROM districts").Scan(&n); err != nil || n != 1 {
		t.Errorf("districts after reopening = %d (%v), want 1", n, err)
	}
}
