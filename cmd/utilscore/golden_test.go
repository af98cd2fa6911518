package main

import (
	"encoding/csv"
	"flag"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/utilscore/utilscore/metrics"
)

var update = flag.Bool("update", false, "rewrite the golden files after a reviewed change")

// The metrics CSV of the demo data is stable: same rows, same order, same columns.
// Values are compared to 1e-9, since DuckDB may add floating-point numbers in another
// order on another machine; everything else must match exactly.
func TestMetricsOfDemoDataMatchGolden(t *testing.T) {
	dir := t.TempDir()
	if code, _, errOut := runCLI("demo", "--dir", dir, "--cases", "600", "--seed", "11"); code != 0 {
		t.Fatalf("demo: %s", errOut)
	}
	code, out, errOut := runCLI("metrics", "--db", filepath.Join(dir, "utilscore.duckdb"), "--period", "2024Q4", "--profile", "district-wpgt", "--format", "csv")
	if code != 0 {
		t.Fatalf("metrics: %s", errOut)
	}
	golden := filepath.Join("testdata", "metrics-demo-2024Q4-district-wpgt.csv")
	if *update {
		if err := os.WriteFile(golden, []byte(out), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	wantText, err := os.ReadFile(golden)
	if err != nil {
		t.Fatalf("%v (run go test ./cmd/utilscore -run Golden -update to write it)", err)
	}
	sameMetricsCSV(t, out, string(wantText))
}

// sameMetricsCSV fails unless two metrics CSVs have the same rows in the same order,
// values equal to 1e-9 and everything else exactly.
func sameMetricsCSV(t *testing.T, gotText, wantText string) {
	t.Helper()
	got := parseCSV(t, gotText)
	want := parseCSV(t, wantText)
	if len(got) != len(want) {
		t.Fatalf("%d rows, want %d", len(got), len(want))
	}
	if strings.Join(got[0], ",") != strings.Join(metrics.Columns, ",") {
		t.Fatalf("header = %v", got[0])
	}
	valueCol := 7
	for i := range want {
		for j := range want[i] {
			g, w := got[i][j], want[i][j]
			if j == valueCol && g != w {
				gf, err1 := strconv.ParseFloat(g, 64)
				wf, err2 := strconv.ParseFloat(w, 64)
				if err1 == nil && err2 == nil && math.Abs(gf-wf) <= 1e-9*math.Max(1, math.Abs(wf)) {
					continue
				}
			}
			if g != w {
				t.Fatalf("row %d column %s = %q, want %q\n got  %v\n want %v", i, want[0][j], g, w, got[i], want[i])
			}
		}
	}
}

func parseCSV(t *testing.T, text string) [][]string {
	t.Helper()
	rows, err := csv.NewReader(strings.NewReader(text)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	return rows
}

func TestSafeCSV(t *testing.T) {
	safeCSV := metrics.SafeCSV
	tests := []struct{ in, want string }{
		{"=HYPERLINK(\"x\")", "'=HYPERLINK(\"x\")"},
		{"+cmd|' /C calc'!A0", "'+cmd|' /C calc'!A0"},
		{"@SUM(1)", "'@SUM(1)"},
		{"-2+3", "'-2+3"},
		{"\tx", "'\tx"},
		{"-0.5", "-0.5"}, // a number of ours
		{"510302", "510302"},
		{"", ""},
	}
	for _, tt := range tests {
		if got := safeCSV([]string{tt.in})[0]; got != tt.want {
			t.Errorf("safeCSV(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}
