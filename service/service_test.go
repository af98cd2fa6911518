package service

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/utilscore/utilscore/calendar"
	"github.com/utilscore/utilscore/printout"
	"github.com/utilscore/utilscore/store"
	"github.com/utilscore/utilscore/synth"
)

// testConfig lays out a database, an inbox filled with generated exports over the
// given span, and an output folder.
func testConfig(t *testing.T, from, to time.Time) *Config {
	cfg := emptyConfig(t)
	generate(t, cfg.Inbox, from, to, 300)
	return cfg
}

// generate writes synthetic exports into dir.
func generate(t *testing.T, dir string, from, to time.Time, cases int) {
	t.Helper()
	cal, _ := calendar.BuiltIn(from.Location())
	gen := synth.DefaultConfig(cal)
	gen.Dir, gen.Cases, gen.Seed, gen.From, gen.To = dir, cases, 9, from, to
	if _, err := synth.Generate(gen); err != nil {
		t.Fatal(err)
	}
}

// emptyConfig lays out a database, an empty inbox and an output folder.
func emptyConfig(t *testing.T) *Config {
	t.Helper()
	dir := t.TempDir()
	cfg, err := LoadConfig("", func(string) string { return "" })
	if err != nil {
		t.Fatal(err)
	}
	cfg.Database = filepath.Join(dir, "u.duckdb")
	cfg.Inbox = filepath.Join(dir, "inbox")
	cfg.Output = filepath.Join(dir, "published")
	cfg.Audiences = []string{"regulator", "public"}
	os.MkdirAll(cfg.Inbox, 0o755)
	return cfg
}

func quietLog() *slog.Logger { return slog.New(slog.NewTextHandler(io.Discard, nil)) }

// The jobs run directly: the nightly loads the inbox, writes the quarter's figures so
// far and, past the quarterly time, publishes the quarter no run has published yet.
func TestJobsRunDirectly(t *testing.T) {
	loc, _ := time.LoadLocation("Asia/Shanghai")
	cfg := testConfig(t, time.Date(2024, 1, 1, 0, 0, 0, 0, loc), time.Date(2025, 1, 1, 0, 0, 0, 0, loc))
	ctx := context.Background()
	db, err := store.Open(ctx, cfg.Database, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var logged bytes.Buffer
	svc := &Service{Config: cfg, DB: db, Log: slog.New(slog.NewTextHandler(&logged, nil)),
		Now: func() time.Time { return time.Date(2025, 1, 6, 2, 0, 0, 0, loc) }} // after 5 Jan 06:00
	run, err := svc.Nightly(ctx)
	if err != nil {
		t.Fatal(err)
	}
	// Each job logs its steps as the commands show them: the file being loaded, the
	// figures, the workbook and sheet being written, the pages.
	for _, want := range []string{
		"msg=progress job=nightly item=outages.parquet step=hashing", "msg=progress job=nightly item=outages.parquet step=committing",
		"msg=progress job=nightly item=2025Q1 step=计算指标", "msg=progress job=nightly item=u.duckdb step=数据库快照",
		"msg=progress job=quarterly item=2024Q4 step=计算指标", "msg=progress job=quarterly item=监管部门版 step=总览",
		"msg=progress job=quarterly item=监管部门版 step=超期工单", "msg=progress job=quarterly item=公开版 step=口径说明",
		"msg=progress job=quarterly item=监管部门版 step=图表页面", "msg=progress job=quarterly item=公开版 step=开放数据",
		"msg=progress job=quarterly item=" + printout.FileName("2024Q4", "regulator", "", "html") + " step=打印版报告",
	} {
		if !strings.Contains(logged.String(), want) {
			t.Errorf("the log lacks %s", want)
		}
	}
	if t.Failed() {
		t.Logf("the log:\n%s", logged.String())
	}
	if run.Files != 12 || run.RowsLoaded == 0 || run.Outcome != "ok" || run.Period != "2025Q1" {
		t.Errorf("nightly run = %+v", run)
	}
	if _, err := os.Stat(filepath.Join(cfg.Output, "metrics", "2025Q1.csv")); err != nil {
		t.Errorf("the quarter's figures were not written: %v", err)
	}
	current, err := os.Readlink(filepath.Join(cfg.Output, currentDir))
	if err != nil || !strings.Contains(current, "2024Q4-") {
		t.Fatalf("current = %q, %v; want the 2024Q4 build", current, err)
	}
	for _, f := range []string{"index.html", "regulator/index.html", "public/index.html", "public/2024Q4_水电气网营商环境指标_公开版.xlsx",
		"public/open-data/datapackage.json", "public/open-data/figures-2024Q4.csv", "public/open-data/figures-2024Q4.json",
		"regulator/" + printout.FileName("2024Q4", "regulator", "", "html"), "public/" + printout.FileName("2024Q4", "public", "", "html"),
		"regulator/" + printout.StyleSheet, "public/" + printout.StyleSheet} {
		if _, err := os.Stat(filepath.Join(cfg.Output, currentDir, f)); err != nil {
			t.Errorf("published build lacks %s", f)
		}
	}
	index, _ := os.ReadFile(filepath.Join(cfg.Output, currentDir, "index.html"))
	for _, a := range cfg.Audiences {
		if href := a + "/" + url.PathEscape(printout.FileName("2024Q4", a, "", "html")); !strings.Contains(string(index), `href="`+href+`"`) {
			t.Errorf("the build's index does not link %s:\n%s", href, index)
		}
	}
	printed, _ := os.ReadFile(filepath.Join(cfg.Output, currentDir, "public", printout.FileName("2024Q4", "public", "", "html")))
	if !strings.Contains(string(printed), "2024Q4") || !strings.Contains(string(printed), printout.StyleSheet) {
		t.Errorf("the public printable report is not the quarter's: %.300s", printed)
	}
	runs, _ := svc.Runs(ctx)
	if len(runs) != 2 || runs[0].Job != "quarterly" || runs[0].Period != "2024Q4" || runs[1].Job != "nightly" {
		t.Errorf("runs = %+v", runs)
	}
	// A second nightly finds nothing new and does not publish again.
	again, _ := svc.Nightly(ctx)
	if again.Files != 0 {
		t.Errorf("second nightly loaded %d files", again.Files)
	}
	if runs, _ := svc.Runs(ctx); len(runs) != 3 {
		t.Errorf("%d runs after the second nightly, want 3", len(runs))
	}
	var metricsText strings.Builder
	svc.WriteMetrics(ctx, &metricsText)
	for _, want := range []string{`utilscore_runs_total{job="nightly",outcome="ok"} 2`, `utilscore_runs_total{job="quarterly",outcome="ok"} 1`,
		"utilscore_rows_loaded_total", `utilscore_last_success_timestamp_seconds{job="nightly"}`} {
		if !strings.Contains(metricsText.String(), want) {
			t.Errorf("/metrics lacks %s:\n%s", want, metricsText.String())
		}
	}
	if err := svc.Health(ctx); err != nil {
		t.Errorf("health = %v", err)
	}
	// A nightly that fails is recorded, and health says so.
	svc.Config.Inbox = filepath.Join(cfg.Output, "index-is-a-file", "x")
	os.WriteFile(filepath.Join(cfg.Output, "index-is-a-file"), []byte("x"), 0o644)
	if _, err := svc.Nightly(ctx); err == nil {
		t.Fatal("a nightly on an unusable inbox succeeded")
	}
	if err := svc.Health(ctx); err == nil || !strings.Contains(err.Error(), "last nightly run failed") {
		t.Errorf("health after a failed run = %v", err)
	}
}

// holdDatabase is the child half of TestServeEndToEnd's one-writer check.
func holdDatabase(path string) {
	_, err := store.Open(context.Background(), path, store.Options{})
	fmt.Println("open:", err)
	os.Exit(0)
}

// Serve on loopback with a schedule in seconds: files dropped in the inbox are
// loaded, reported on /runs and published; a second process cannot open the
// database; and the service stops cleanly.
func TestServeEndToEnd(t *testing.T) {
	if path := os.Getenv("UTILSCORE_TEST_HOLD_DB"); path != "" {
		holdDatabase(path)
		return
	}
	loc, _ := time.LoadLocation("Asia/Shanghai")
	now := time.Now().In(loc)
	last := quarterOf(now).Previous(1)
	cfg := emptyConfig(t)
	cfg.Schedule.Nightly = "*/1 * * * * *"
	cfg.Schedule.Quarterly = "*/2 * * * * *"
	cfg.HTTP.Address = "127.0.0.1:0"
	cfg.HTTP.Users = writeUsers(t)

	ctx, stop := context.WithCancel(context.Background())
	addr := make(chan string, 1)
	done := make(chan error, 1)
	go func() { done <- Serve(ctx, cfg, quietLog(), func(a string) { addr <- a }) }()
	var base string
	select {
	case a := <-addr:
		base = "http://" + a
	case err := <-done:
		t.Fatalf("serve stopped: %v", err)
	case <-time.After(30 * time.Second):
		t.Fatal("serve did not start")
	}
	// Utilities drop their exports while the service runs.
	staging := t.TempDir()
	generate(t, staging, last.Start.AddDate(0, -3, 0), last.End, 300)
	files, _ := os.ReadDir(staging)
	for _, f := range files {
		if err := os.Rename(filepath.Join(staging, f.Name()), filepath.Join(cfg.Inbox, f.Name())); err != nil {
			t.Fatal(err)
		}
	}

	// A bound, not a measure: on a busy machine a build's drill-downs (workbook,
	// printable report, pages) take minutes.
	deadline := time.Now().Add(5 * time.Minute)
	var runs []Run
	for time.Now().Before(deadline) {
		req, _ := http.NewRequest("GET", base+"/runs", nil)
		req.SetBasicAuth("reg", testPassword)
		resp, err := http.DefaultClient.Do(req)
		if err == nil {
			runs = nil
			json.NewDecoder(resp.Body).Decode(&runs)
			resp.Body.Close()
		}
		if loaded(runs) && published(runs) {
			break
		}
		time.Sleep(500 * time.Millisecond)
	}
	if !loaded(runs) || !published(runs) {
		t.Fatalf("after 5 minutes the runs are %+v", runs)
	}
	for path, want := range map[string]string{"/": last.Label, "/public/index.html": "水电气网营商环境指标", "/healthz": "ok", "/metrics": "utilscore_runs_total",
		"/regulator/index.html": "监管部门版", "/api/v1/periods": `"period": "` + last.Label, "/api/v1/metrics?period=" + last.Label: `"metric_id"`,
		"/public/open-data/datapackage.json":                                                   "tabular-data-package",
		"/regulator/" + url.PathEscape(printout.FileName(last.Label, "regulator", "", "html")): "指标报告（监管部门版）"} {
		req, _ := http.NewRequest("GET", base+path, nil)
		req.SetBasicAuth("reg", testPassword)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != 200 || !strings.Contains(string(body), want) {
			t.Errorf("GET %s = %d, want %q in %.200s", path, resp.StatusCode, want, body)
		}
	}

	// One writer: another process is told the database is in use.
	child := exec.Command(os.Args[0], "-test.run=^TestServeEndToEnd$")
	child.Env = append(os.Environ(), "UTILSCORE_TEST_HOLD_DB="+cfg.Database)
	out, _ := child.CombinedOutput()
	if !strings.Contains(string(out), "in use by another utilscore process") {
		t.Errorf("a second process opening the database said %q", out)
	}

	stop()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("serve stopped with %v", err)
		}
	case <-time.After(2 * time.Minute):
		t.Fatal("serve did not stop")
	}
}

func loaded(runs []Run) bool {
	for _, r := range runs {
		if r.Job == "nightly" && r.Outcome == "ok" && r.Files > 0 {
			return true
		}
	}
	return false
}

func published(runs []Run) bool {
	for _, r := range runs {
		if r.Job == "quarterly" && r.Outcome == "ok" {
			return true
		}
	}
	return false
}
