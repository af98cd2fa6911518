package main

import (
	"database/sql"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// listFiles names every file and folder under dir.
func listFiles(t *testing.T, dir string) []string {
	t.Helper()
	var names []string
	filepath.WalkDir(dir, func(path string, d os.DirEntry, err error) error {
		if path != dir {
			names = append(names, path)
		}
		return nil
	})
	return names
}

// Read commands refuse what they cannot answer truthfully, in one line with exit 1,
// and leave no file behind: no database for a mistyped --db, no empty workbook or
// page for a period without data.
func TestReadCommandsRefuse(t *testing.T) {
	dir := t.TempDir()
	cases := filepath.Join(dir, "cases.csv")
	os.WriteFile(cases, []byte(goodCases), 0o644) // two power cases applied on 1 March 2024
	db := filepath.Join(dir, "u.duckdb")
	if code, _, errOut := runCLI("ingest", "--db", db, cases); code != 0 {
		t.Fatalf("ingest: %s", errOut)
	}
	foreign := filepath.Join(dir, "other.duckdb")
	other, err := sql.Open("duckdb", foreign)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := other.Exec("CREATE TABLE t (x INTEGER)"); err != nil {
		t.Fatal(err)
	}
	other.Close()
	typo := filepath.Join(dir, "u.dukdb")
	out := filepath.Join(dir, "out")
	tests := []struct {
		name   string
		args   []string
		stderr string
	}{
		{"metrics --db typo", []string{"metrics", "--db", typo, "--period", "2024Q1"}, "u.dukdb for reading: no such database file"},
		{"scorecard --db typo", []string{"scorecard", "--db", typo, "--period", "2024Q1"}, "no such database file"},
		{"report --db typo", []string{"report", "--db", typo, "--period", "2024Q1", "--out", out}, "no such database file"},
		{"dashboard --db typo", []string{"dashboard", "--db", typo, "--period", "2024Q1", "--out", out}, "no such database file"},
		{"overdue --db typo", []string{"overdue", "--db", typo, "--as-of", "2024-03-31"}, "no such database file"},
		{"audit --db typo", []string{"audit", "--db", typo, "--period", "2024Q1"}, "no such database file"},

		{"metrics on another database", []string{"metrics", "--db", foreign, "--period", "2024Q1"}, "open " + foreign + " for reading: not a utilscore database: Catalog Error"},
		{"overdue on a csv file", []string{"overdue", "--db", cases}, "open " + cases + " for reading: "},

		{"metrics empty period", []string{"metrics", "--db", db, "--period", "2023Q4"}, "no data for 2023Q4 in " + db + ": no cases, outages, tickets, ratings or water balance fall in it"},
		{"metrics empty month", []string{"metrics", "--db", db, "--period", "2024-02"}, "no data for 2024-02"},
		{"scorecard empty period", []string{"scorecard", "--db", db, "--period", "2024Q2"}, "no data for 2024Q2"},
		{"report empty period", []string{"report", "--db", db, "--period", "2024Q2", "--out", out}, "no data for 2024Q2"},
		{"dashboard empty period", []string{"dashboard", "--db", db, "--period", "2024Q2", "--out", out}, "no data for 2024Q2"},
		{"audit empty period", []string{"audit", "--db", db, "--period", "2023"}, "no data for 2023 in " + db + ": no cases applied for or finished fall in it"},
		{"overdue before any case", []string{"overdue", "--db", db, "--as-of", "2024-02-29"}, "no data up to the end of 2024-02-29"},
		{"metrics utility without data", []string{"metrics", "--db", db, "--period", "2024Q1", "--utility", "water"}, "no water cases, outages"},
		{"report utility without data", []string{"report", "--db", db, "--period", "2024Q1", "--audience", "utility", "--utility", "telecom", "--out", out}, "no telecom cases"},
		{"overdue utility without data", []string{"overdue", "--db", db, "--as-of", "2024-03-31", "--utility", "gas"}, "no gas cases"},

		{"metrics unknown utility", []string{"metrics", "--db", db, "--period", "2024Q1", "--utility", "electricity"}, `unknown utility "electricity": use power, water, gas, telecom`},
		{"overdue unknown utility", []string{"overdue", "--db", db, "--as-of", "2024-03-31", "--utility", "Power"}, `unknown utility "Power"`},
		{"audit unknown utility", []string{"audit", "--db", db, "--period", "2024Q1", "--utility", "heat"}, `unknown utility "heat"`},
		{"report unknown utility", []string{"report", "--db", db, "--period", "2024Q1", "--audience", "utility", "--utility", "heat", "--out", out}, `unknown utility "heat"`},
		{"metrics unknown district", []string{"metrics", "--db", db, "--period", "2024Q1", "--district", "999999"}, `unknown district "999999"`},

		{"report unknown audience", []string{"report", "--db", db, "--period", "2024Q1", "--audience", "press", "--out", out}, `unknown audience "press": use regulator, utility, office, public`},
		{"dashboard unknown audience", []string{"dashboard", "--db", db, "--period", "2024Q1", "--audience", "press", "--out", out}, `unknown audience "press"`},
		{"report unknown audience, no database", []string{"report", "--db", typo, "--period", "2024Q1", "--audience", "press", "--out", out}, `unknown audience "press"`},
	}
	before := listFiles(t, dir)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, stdout, errOut := runCLI(tt.args...)
			if code != 1 || !strings.Contains(errOut, tt.stderr) {
				t.Errorf("exit %d, stderr %q; want exit 1 and %q", code, errOut, tt.stderr)
			}
			if strings.Count(errOut, "\n") != 1 || !strings.HasPrefix(errOut, "utilscore "+tt.args[0]+": ") {
				t.Errorf("stderr %q is not one line naming the command", errOut)
			}
			if stdout != "" {
				t.Errorf("stdout %q, want nothing", stdout)
			}
			if after := listFiles(t, dir); !slices.Equal(after, before) {
				t.Errorf("files %v, want %v", after, before)
			}
		})
	}
}
