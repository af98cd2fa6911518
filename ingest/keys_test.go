package ingest

import (
	"fmt"
	"path/filepath"
	"strings"
	"testing"
)

// Identifiers reach their normal form whatever the format brings them in: full-width
// forms, zero-width characters and Unicode spaces around them do not make a new case.
func TestIdentifiersNormalised(t *testing.T) {
	content := "case_id,utility,joint_id,district,customer_class,status,applied_at\n" +
		"Ｃ１,power,Ｊ１,510302,residential,open,2024-03-01 09:00\n" +
		"\u200bC2\u3000,power,,510302,residential,open,2024-03-01 09:00\n" +
		"C 3,power,\u00a0J3 ,510302,residential,open,2024-03-01 09:00\n" +
		"ＡＢ－１２,power,,510302,residential,open,2024-03-01 09:00\n" +
		"\u3000,power,,510302,residential,open,2024-03-01 09:00\n"
	want := [][]string{{"AB-12", "∅"}, {"C 3", "J3"}, {"C1", "J1"}, {"C2", "∅"}}
	csvPath := writeFile(t, "keys.csv", content)
	ref := openDB(t)
	convert := func(format string) string {
		path := filepath.Join(t.TempDir(), "keys."+format)
		opts := map[string]string{"parquet": "FORMAT parquet", "jsonl": "FORMAT json"}[format]
		if _, err := ref.DB.Exec(fmt.Sprintf(`COPY (SELECT * FROM read_csv('%s', all_varchar = true)) TO '%s' (%s)`, csvPath, path, opts)); err != nil {
			t.Fatal(err)
		}
		return path
	}
	tests := []struct {
		format string
		path   func() string
	}{
		{"csv", func() string { return csvPath }},
		{"jsonl", func() string { return convert("jsonl") }},
		{"parquet", func() string { return convert("parquet") }},
		{"xlsx", func() string { return toXLSX(t, readCSV(t, csvPath), "Sheet1") }},
	}
	for _, tt := range tests {
		t.Run(tt.format, func(t *testing.T) {
			db := openDB(t)
			res := load(t, newLoader(t, db, Options{}), tt.path())
			if res.RowsRead != 5 || res.RowsLoaded != 4 || res.RowsRejected != 1 {
				t.Fatalf("read %d, loaded %d, rejected %d; want 5, 4, 1; problems %v", res.RowsRead, res.RowsLoaded, res.RowsRejected, res.Problems)
			}
			if len(res.Problems) != 1 || res.Problems[0].Column != "case_id" || !strings.Contains(res.Problems[0].Reason, "missing") {
				t.Errorf("problems = %v, want case_id missing", res.Problems)
			}
			got := query(t, db.DB, "SELECT case_id, joint_id FROM cases ORDER BY case_id")
			if fmt.Sprint(got) != fmt.Sprint(want) {
				t.Errorf("stored keys = %q, want %q", got, want)
			}
		})
	}
}
