package ingest

import (
	"reflect"
	"testing"
)

// Every format and encoding of the same four cases loads the same rows.
func TestFormatsAndEncodingsLoadTheSameCases(t *testing.T) {
	ref := openDB(t)
	load(t, newLoader(t, ref, Options{}), "testdata/cases_en.csv")
	want := dumpCases(t, ref.DB)
	if len(want) != 4 {
		t.Fatalf("reference load has %d cases, want 4", len(want))
	}
	rows := readCSV(t, "testdata/cases_en.csv")

	tests := []struct {
		name, format, encoding string
		path                   func(t *testing.T) string
	}{
		{"UTF-8 CSV", "csv", "utf-8", func(*testing.T) string { return "testdata/cases_en.csv" }},
		{"UTF-8 CSV with BOM", "csv", "utf-8-bom", func(*testing.T) string { return "testdata/cases_bom.csv" }},
		{"GBK CSV with Chinese headers and codes", "csv", "gb18030", func(*testing.T) string { return "testdata/cases_zh_gbk.csv" }},
		{"UTF-16 CSV", "csv", "utf-16le", func(*testing.T) string { return "testdata/cases_utf16.csv" }},
		{"tab-separated, 2024/7/1 09:00 times", "csv", "utf-8", func(*testing.T) string { return "testdata/cases_slash.tsv" }},
		{"gzipped CSV", "csv", "utf-8", func(t *testing.T) string { return gzipFile(t, "testdata/cases_en.csv") }},
		{"gzipped GBK CSV", "csv", "gb18030", func(t *testing.T) string { return gzipFile(t, "testdata/cases_zh_gbk.csv") }},
		{"JSON Lines with typed values", "jsonl", "utf-8", func(*testing.T) string { return "testdata/cases.jsonl" }},
		{"gzipped JSON Lines", "jsonl", "utf-8", func(t *testing.T) string { return gzipFile(t, "testdata/cases.jsonl") }},
		{"xlsx with Excel date cells", "xlsx", "xlsx", func(t *testing.T) string { return toXLSX(t, rows, "Sheet1") }},
		{"Parquet with typed columns", "parquet", "parquet", func(t *testing.T) string { return toParquet(t, ref.DB, "testdata/cases_en.csv") }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			db := openDB(t)
			res := load(t, newLoader(t, db, Options{}), tt.path(t))
			if res.Kind != "cases" || res.Format != tt.format || res.Encoding != tt.encoding {
				t.Errorf("kind/format/encoding = %s/%s/%s, want cases/%s/%s", res.Kind, res.Format, res.Encoding, tt.format, tt.encoding)
			}
			if res.RowsRead != 4 || res.RowsLoaded != 4 || res.RowsRejected != 0 {
				t.Fatalf("read/loaded/rejected = %d/%d/%d, want 4/4/0; problems: %v", res.RowsRead, res.RowsLoaded, res.RowsRejected, res.Problems)
			}
			if got := dumpCases(t, db.DB); !reflect.DeepEqual(got, want) {
				for i := range want {
					if i < len(got) && !reflect.DeepEqual(got[i], want[i]) {
						t.Errorf("case row %d differs:\n got %v\nwant %v", i, got[i], want[i])
					}
				}
			}
		})
	}
}

// The reference load holds the values the fixture states, typed as the schema says.
func TestCaseValuesAreTyped(t *testing.T) {
	db := openDB(t)
	load(t, newLoader(t, db, Options{}), "testdata/cases_en.csv")
	tests := []struct {
		query, want string
	}{
		{"SELECT applied_at::VARCHAR FROM cases WHERE case_id = 'P1'", "2024-07-01 09:00:00+08"},
		{"SELECT typeof(applied_at) FROM cases WHERE case_id = 'P1'", "TIMESTAMP WITH TIME ZONE"},
		{"SELECT fee_cny::VARCHAR FROM cases WHERE case_id = 'G1'", "350.50"},
		{"SELECT suspended_days::VARCHAR FROM cases WHERE case_id = 'G1'", "2.0"},
		{"SELECT is_low_risk::VARCHAR FROM cases WHERE case_id = 'W1'", "true"},
		{"SELECT applicant FROM cases WHERE case_id = 'W1'", "李某, \"老李\"\n二号"},
		{"SELECT joint_id FROM cases WHERE case_id = 'W1'", "J1"},
		{"SELECT coalesce(address, 'NULL') FROM cases WHERE case_id = 'W1'", "NULL"},
		{"SELECT status::VARCHAR FROM cases WHERE case_id = 'T1'", "cancelled"},
		{"SELECT source_row::VARCHAR FROM cases WHERE case_id = 'G1'", "3"},
	}
	for _, tt := range tests {
		if got := queryOne(t, db.DB, tt.query); got != tt.want {
			t.Errorf("%s = %q, want %q", tt.query, got, tt.want)
		}
	}
}
