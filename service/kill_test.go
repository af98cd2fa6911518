package service

import (
	"bufio"
	"context"
	"log/slog"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/utilscore/utilscore/store"
)

// serveUntilKilled is the child half of TestKilledServiceLoadsTheFileOnRestart.
func serveUntilKilled(cfgPath string) {
	cfg, err := LoadConfig(cfgPath, func(string) string { return "" })
	if err != nil {
		panic(err)
	}
	Serve(context.Background(), cfg, slog.New(slog.NewJSONHandler(os.Stderr, nil)), nil)
}

// A service killed with SIGKILL during a nightly load leaves nothing half-loaded; the
// file stays in the inbox and the restarted service loads it, once.
func TestKilledServiceLoadsTheFileOnRestart(t *testing.T) {
	if p := os.Getenv("UTILSCORE_TEST_SERVE_CONFIG"); p != "" {
		serveUntilKilled(p)
		return
	}
	loc, _ := time.LoadLocation("Asia/Shanghai")
	cfg := emptyConfig(t)
	// One large cases file, so the kill lands while it loads.
	staging := t.TempDir()
	generate(t, staging, time.Date(2024, 1, 1, 0, 0, 0, 0, loc), time.Date(2025, 1, 1, 0, 0, 0, 0, loc), 150000)
	big := "cases_power.csv"
	if err := os.Rename(filepath.Join(staging, big), filepath.Join(cfg.Inbox, big)); err != nil {
		t.Fatal(err)
	}
	cfg.Schedule.Nightly = "*/1 * * * * *"
	cfg.Schedule.Quarterly = "0 0 1 1 *"
	cfg.HTTP.Address = "127.0.0.1:0"
	cfgPath := filepath.Join(t.TempDir(), "utilscore.yaml")
	os.WriteFile(cfgPath, []byte(strings.Join([]string{
		"database: " + cfg.Database, "inbox: " + cfg.Inbox, "output: " + cfg.Output,
		`schedule: {nightly: "*/1 * * * * *", quarterly: "0 0 1 1 *"}`, "http: {address: 127.0.0.1:0}", ""}, "\n")), 0o644)

	child := exec.Command(os.Args[0], "-test.run=^TestKilledServiceLoadsTheFileOnRestart$")
	child.Env = append(os.Environ(), "UTILSCORE_TEST_SERVE_CONFIG="+cfgPath)
	stderr, _ := child.StderrPipe()
	if err := child.Start(); err != nil {
		t.Fatal(err)
	}
	started := make(chan bool, 1)
	go func() {
		sc := bufio.NewScanner(stderr)
		for sc.Scan() {
			if strings.Contains(sc.Text(), `"run started"`) {
				started <- true
				return
			}
		}
		started <- false
	}()
	select {
	case ok := <-started:
		if !ok {
			t.Fatal("the child service never started a run")
		}
	case <-time.After(60 * time.Second):
		child.Process.Kill()
		t.Fatal("no run started within a minute")
	}
	time.Sleep(400 * time.Millisecond) // into the load of the large file
	child.Process.Kill()               // SIGKILL: no cleanup runs
	child.Wait()

	ctx := context.Background()
	db, err := store.Open(ctx, cfg.Database, store.Options{})
	if err != nil {
		t.Fatalf("reopening after the kill: %v", err)
	}
	var ledger, cases int64
	db.QueryRow(`SELECT count(*) FROM loads WHERE file_name = ?`, big).Scan(&ledger)
	db.QueryRow(`SELECT count(*) FROM cases`).Scan(&cases)
	inInbox := fileExists(filepath.Join(cfg.Inbox, big))
	t.Logf("after the kill: file loaded %v, %d cases stored, file still in the inbox %v", ledger > 0, cases, inInbox)
	if ledger == 0 && (cases != 0 || !inInbox) {
		t.Fatalf("the killed load left %d cases, and the file in the inbox: %v", cases, inInbox)
	}
	// Restart: the next run picks the file up (or finds it loaded) and it is loaded once.
	svc := &Service{Config: cfg, DB: db, Log: quietLog()}
	if _, err := svc.Nightly(ctx); err != nil {
		t.Fatal(err)
	}
	var loaded int64
	db.QueryRow(`SELECT count(*), coalesce(sum(rows_loaded), 0) FROM loads WHERE file_name = ?`, big).Scan(&ledger, &loaded)
	db.QueryRow(`SELECT count(*) FROM cases`).Scan(&cases)
	db.Close()
	if ledger != 1 || cases != loaded || loaded == 0 {
		t.Errorf("after the restart: %d ledger rows for the file, %d rows loaded, %d cases", ledger, loaded, cases)
	}
	if fileExists(filepath.Join(cfg.Inbox, big)) {
		t.Error("the file is still in the inbox")
	}
}

func fileExists(path string) bool {
	_, err := os.Stat(path)
	return err == nil
}
