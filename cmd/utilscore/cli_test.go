package main

import (
	"bytes"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

func runCLI(args ...string) (code int, stdout, stderr string) {
	var out, errOut bytes.Buffer
	code = run(args, &out, &errOut)
	return code, out.String(), errOut.String()
}

const goodCases = "case_id,utility,district,customer_class,status,applied_at\nC1,power,510302,residential,open,2024-03-01 09:00\nC2,power,510302,vip,open,2024-03-01 09:00\n"

func TestExitCodesAndMessages(t *testing.T) {
	dir := t.TempDir()
	good := filepath.Join(dir, "cases.csv")
	os.WriteFile(good, []byte(goodCases), 0o644)
	unknown := filepath.Join(dir, "notes.doc")
	os.WriteFile(unknown, []byte("x"), 0o644)
	db := filepath.Join(dir, "u.duckdb")

	cfgPath := filepath.Join(dir, "utilscore.yaml")
	badCfg := filepath.Join(dir, "bad.yaml")
	os.WriteFile(badCfg, []byte("schedule:\n  nightly: sometimes\n"), 0o644)
	tests := []struct {
		name   string
		args   []string
		code   int
		stdout string
		stderr string
	}{
		{"help", []string{"help"}, 0, "Commands:", ""},
		{"command help", []string{"ingest", "--help"}, 0, "", "Usage: utilscore ingest"},
		{"unknown command", []string{"frobnicate"}, 2, "", `unknown command "frobnicate"`},
		{"bad flag", []string{"ingest", "--nope", good}, 2, "", "flag provided but not defined"},
		{"no files", []string{"ingest", "--db", db}, 2, "", "give either files or --inbox DIR"},
		{"rows rejected are not fatal", []string{"ingest", "--db", db, good}, 0, "line 3, column customer_class", ""},
		{"same file again", []string{"ingest", "--db", db, good}, 0, "already loaded", ""},
		{"refused file", []string{"ingest", "--db", db, unknown}, 1, "refused", "refused ingest " + unknown + ": unknown file type"},
		{"missing file", []string{"ingest", "--db", db, filepath.Join(dir, "nope.csv")}, 1, "", "nope.csv"},
		{"check writes nothing", []string{"check", "--db", filepath.Join(dir, "other.duckdb"), good}, 0, "checked", ""},
		{"calendar elapsed", []string{"calendar", "2024-10-11 12:00", "2024-10-14 12:00"}, 0, "2 working days", ""},
		{"calendar list", []string{"calendar", "--from", "2024-10-05", "--to", "2024-10-12"}, 0, "2024-10-12  Saturday   working day  国庆节调休上班", ""},
		{"calendar unknown year", []string{"calendar", "2026-12-30 09:00", "2027-01-05 09:00"}, 1, "", "does not know the date 2027-01-05"},
		{"calendar bad usage", []string{"calendar", "2024-10-11"}, 2, "", "give two instants"},
		{"profiles list", []string{"profiles"}, 0, "zigong-power-2021", ""},
		{"profile shown", []string{"profiles", "zigong-power-2021"}, 0, "条款：《自贡市进一步优化电力营商环境…》二(四)", ""},
		{"profile target written out", []string{"profiles", "zigong-power-2021"}, 0, "[hv-single-utility] 电力 高压单电源 合计办电时间≤16个工作日 办结占比 目标100%\n   条款：《自贡市进一步优化电力营商环境…》二(一)；施行：自2021-04-30起", ""},
		{"profile notes in Chinese", []string{"profiles", "kunming-water-2023"}, 0, "说明：过户无接水环节，自申请至归档计时。", ""},
		{"unknown profile", []string{"profiles", "nowhere"}, 1, "", "neither built in"},
		{"metrics needs a period", []string{"metrics", "--db", db}, 2, "", "--period is required"},
		{"metrics bad period", []string{"metrics", "--db", db, "--period", "2024Q5"}, 2, "", "write a quarter"},
		{"metrics as a table", []string{"metrics", "--db", db, "--period", "2024Q1", "--format", "table"}, 0, "metric  utility  class", ""},
		{"overdue", []string{"overdue", "--db", db, "--as-of", "2024-03-31"}, 0, "open cases over or near their limit", ""},
		{"overdue bad date", []string{"overdue", "--db", db, "--as-of", "31/3/2024"}, 2, "", "not a date"},
		{"init writes a config", []string{"init", "--config", cfgPath}, 0, "wrote " + cfgPath, ""},
		{"init will not overwrite", []string{"init", "--config", cfgPath}, 1, "", "will not overwrite"},
		{"serve refuses a bad config", []string{"serve", "--config", badCfg}, 1, "", "schedule.nightly: \"sometimes\" is not a cron schedule"},
		{"run-now needs a job", []string{"run-now", "--config", cfgPath}, 2, "", "name the job"},
		{"audit", []string{"audit", "--db", db, "--period", "2024Q1"}, 0, "findings in 2024Q1", ""},
		{"scorecard", []string{"scorecard", "--db", db, "--period", "2024Q1", "--profile", "kunming-water-2023"}, 0, "Scorecard 2024Q1", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, out, errOut := runCLI(tt.args...)
			if code != tt.code || !strings.Contains(out, tt.stdout) || !strings.Contains(errOut, tt.stderr) {
				t.Fatalf("exit %d, stdout %q, stderr %q; want exit %d, stdout with %q, stderr with %q", code, out, errOut, tt.code, tt.stdout, tt.stderr)
			}
			if tt.code != 0 && strings.Count(strings.TrimSpace(errOut), "\n") > 1 && !strings.Contains(errOut, "Usage") {
				t.Errorf("errors must be one line each, got %q", errOut)
			}
		})
	}
}

// The demo generates, loads and accounts for every row it read.
func TestDemo(t *testing.T) {
	dir := t.TempDir()
	code, out, errOut := runCLI("demo", "--dir", dir, "--cases", "400", "--seed", "3")
	if code != 0 {
		t.Fatalf("demo exit %d: %s", code, errOut)
	}
	total := regexp.MustCompile(`total \(12 files\)\s+(\d+)\s+(\d+)\s+(\d+)`).FindStringSubmatch(out)
	if total == nil {
		t.Fatalf("no total line for 12 files in:\n%s", out)
	}
	read, _ := strconv.Atoi(total[1])
	loaded, _ := strconv.Atoi(total[2])
	rejected, _ := strconv.Atoi(total[3])
	if read == 0 || read != loaded+rejected {
		t.Errorf("read %d, loaded %d, rejected %d", read, loaded, rejected)
	}
	for _, want := range []string{"cases_water_gbk.csv", "gb18030", "cases_telecom.xlsx", "outages.parquet", "tickets.jsonl.gz"} {
		if !strings.Contains(out, want) {
			t.Errorf("demo report lacks %s", want)
		}
	}
	if _, err := os.Stat(filepath.Join(dir, "utilscore.duckdb")); err != nil {
		t.Errorf("demo database missing: %v", err)
	}
	// Off a terminal, each workbook's sheets are logged as they are written.
	for _, want := range []string{"监管部门版: 超期工单", "公开版: 口径说明", "企业版·", "图表页面"} {
		if !strings.Contains(errOut, want) {
			t.Errorf("the demo's progress lacks %q:\n%s", want, errOut)
		}
	}
}
