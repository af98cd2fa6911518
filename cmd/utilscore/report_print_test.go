package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// report writes the printable report beside each workbook; --pdf without a Chromium
// refuses in one line before writing anything.
func TestReportPrintable(t *testing.T) {
	dir := t.TempDir()
	cases := filepath.Join(dir, "cases.csv")
	os.WriteFile(cases, []byte(goodCases), 0o644)
	db := filepath.Join(dir, "u.duckdb")
	if code, _, errOut := runCLI("ingest", "--db", db, cases); code != 0 {
		t.Fatalf("ingest: %s", errOut)
	}
	out := filepath.Join(dir, "out")
	for _, tt := range []struct{ name, chromium, path, stderr string }{
		{"a named Chromium that is not there", filepath.Join(dir, "no-chromium"), os.Getenv("PATH"), "UTILSCORE_CHROMIUM=" + filepath.Join(dir, "no-chromium")},
		{"none on the PATH", "", "", "no Chromium found to print the PDF with: install one (apt-get install chromium) or set UTILSCORE_CHROMIUM"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Setenv("UTILSCORE_CHROMIUM", tt.chromium)
			t.Setenv("PATH", tt.path)
			code, stdout, errOut := runCLI("report", "--db", db, "--period", "2024Q1", "--audience", "public", "--pdf", "--out", out)
			if code != 1 || !strings.Contains(errOut, tt.stderr) || strings.Count(errOut, "\n") != 1 || stdout != "" {
				t.Errorf("exit %d, stdout %q, stderr %q; want exit 1 and one line with %q", code, stdout, errOut, tt.stderr)
			}
			if _, err := os.Stat(out); err == nil {
				t.Errorf("--pdf without a Chromium wrote %s", out)
			}
		})
	}
	code, stdout, errOut := runCLI("report", "--db", db, "--period", "2024Q1", "--audience", "public", "--out", out)
	if code != 0 {
		t.Fatalf("report exit %d: %s", code, errOut)
	}
	html := filepath.Join(out, "2024Q1_水电气网营商环境季度报告_公开版.html")
	if !strings.Contains(stdout, html) {
		t.Errorf("report printed %q, want the printable report %s", stdout, html)
	}
	for _, f := range []string{html, filepath.Join(out, "assets", "print.css")} {
		if _, err := os.Stat(f); err != nil {
			t.Error(err)
		}
	}
}
