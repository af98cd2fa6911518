package ingest

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/utilscore/utilscore/store"
)

// The child half of TestKilledLoadLeavesDatabaseUnchanged: it loads a file and stops
// inside the transaction, after every write and before COMMIT, until it is killed.
func loadUntilKilled(dbPath, file string) {
	ctx := context.Background()
	db, err := store.Open(ctx, dbPath, store.Options{})
	if err != nil {
		fmt.Println("open:", err)
		os.Exit(3)
	}
	l, err := NewLoader(ctx, db.DB, Options{Progress: func(_, step string, _, _ int64) {
		if step == "committing" {
			fmt.Println("committing")
			time.Sleep(time.Hour)
		}
	}})
	if err != nil {
		fmt.Println("loader:", err)
		os.Exit(3)
	}
	_, err = l.Load(ctx, file)
	fmt.Println("load returned:", err)
	os.Exit(3)
}

func TestKilledLoadLeavesDatabaseUnchanged(t *testing.T) {
	if dbPath := os.Getenv("UTILSCORE_TEST_KILL_DB"); dbPath != "" {
		loadUntilKilled(dbPath, os.Getenv("UTILSCORE_TEST_KILL_FILE"))
		return
	}
	dir := t.TempDir()
	dbPath := filepath.Join(dir, "kill.duckdb")
	ctx := context.Background()
	db, err := store.Open(ctx, dbPath, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	load(t, newLoader(t, db, Options{}), "testdata/cases_en.csv")
	snapshot := func(db *store.DB) string {
		return joinRows(dumpCases(t, db.DB)) + "#" + joinRows(query(t, db.DB, "SELECT count(*) FROM case_history")) +
			"#" + joinRows(query(t, db.DB, "SELECT load_id, file_name FROM loads ORDER BY load_id")) +
			"#" + joinRows(query(t, db.DB, "SELECT count(*) FROM rejects"))
	}
	before := snapshot(db)
	db.Close()

	// A later export that updates a stored case, adds one and rejects one: every kind
	// of write happens before the kill.
	file := writeFile(t, "later.csv", versionHeader+
		"P1,power,510302,lv_zero,connected,2024-07-01 09:00,2024-07-03 16:00,2024-07-09 10:00\n"+
		"N1,power,510302,residential,open,2024-07-01 09:00,,2024-07-01 10:00\n"+
		"N2,power,510302,residential,open,never,,2024-07-01 10:00\n")
	child := exec.Command(os.Args[0], "-test.run=^TestKilledLoadLeavesDatabaseUnchanged$")
	child.Env = append(os.Environ(), "UTILSCORE_TEST_KILL_DB="+dbPath, "UTILSCORE_TEST_KILL_FILE="+file)
	stdout, _ := child.StdoutPipe()
	if err := child.Start(); err != nil {
		t.Fatal(err)
	}
	reached := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(stdout)
		var seen []string
		for sc.Scan() {
			seen = append(seen, sc.Text())
			if sc.Text() == "committing" {
				reached <- ""
				return
			}
		}
		reached <- strings.Join(seen, "\n")
	}()
	select {
	case out := <-reached:
		if out != "" {
			t.Fatalf("the child never reached the commit: %s", out)
		}
	case <-time.After(60 * time.Second):
		child.Process.Kill()
		t.Fatal("the child did not reach the commit within a minute")
	}
	if err := child.Process.Kill(); err != nil { // SIGKILL: no deferred cleanup runs
		t.Fatal(err)
	}
	child.Wait()

	db, err = store.Open(ctx, dbPath, store.Options{})
	if err != nil {
		t.Fatalf("reopening after the kill: %v", err)
	}
	defer db.Close()
	if after := snapshot(db); after != before {
		t.Fatalf("the killed load left a trace:\nbefore %s\nafter  %s", before, after)
	}
	// The file was not recorded as loaded, so it loads now.
	res := load(t, newLoader(t, db, Options{}), file)
	if res.AlreadyLoaded || res.RowsLoaded != 2 || res.RowsRejected != 1 || res.RowsUpdated != 1 {
		t.Fatalf("reload after the kill = %+v, want 2 loaded, 1 rejected, 1 updated", res)
	}
}
