package ingest

import (
	"bufio"
	"context"
	"encoding/csv"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/utilscore/utilscore/calendar"
	"github.com/utilscore/utilscore/store"
	"github.com/utilscore/utilscore/synth"
)

// The child half of TestKilledLoadLeavesNoPartialState: it loads a file and says when
// it reaches COMMIT and when the load is done.
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
		}
	}})
	if err != nil {
		fmt.Println("loader:", err)
		os.Exit(3)
	}
	if _, err = l.Load(ctx, file); err != nil {
		fmt.Println("load:", err)
		os.Exit(3)
	}
	fmt.Println("done")
	db.Close()
	os.Exit(0)
}

// killRounds is how many times the loader is killed at a random point.
const killRounds = 30

// A load killed with SIGKILL at random points (while opening, reading, checking,
// writing, and during COMMIT itself) leaves either the database as it was or the
// whole file loaded, once the database is opened again; never part of it.
func TestKilledLoadLeavesNoPartialState(t *testing.T) {
	if dbPath := os.Getenv("UTILSCORE_TEST_KILL_DB"); dbPath != "" {
		loadUntilKilled(dbPath, os.Getenv("UTILSCORE_TEST_KILL_FILE"))
		return
	}
	dir := t.TempDir()
	ctx := context.Background()
	first, later := killFixtures(t, dir, 400)
	base := filepath.Join(dir, "base.duckdb")
	db, err := store.Open(ctx, base, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	load(t, newLoader(t, db, Options{}), first)
	db.Close()
	before := killSnapshot(t, base)

	// One load run to its end gives the state after, and how long each part takes.
	calibrate := copyDB(t, base, filepath.Join(dir, "after.duckdb"))
	child, lines := startKillChild(t, calibrate, later)
	started := time.Now()
	var toCommit, toDone time.Duration
	for l := range lines {
		switch l {
		case "committing":
			toCommit = time.Since(started)
		case "done":
			toDone = time.Since(started)
		}
	}
	if err := child.Wait(); err != nil || toDone == 0 {
		t.Fatalf("the calibration load failed: %v", err)
	}
	after := killSnapshot(t, calibrate)
	if after == before {
		t.Fatal("the later file changed nothing; the test would prove nothing")
	}

	rng := rand.New(rand.NewPCG(uint64(time.Now().UnixNano()), 7))
	outcome := map[string]int{}
	for round := range killRounds {
		path := copyDB(t, base, filepath.Join(dir, fmt.Sprintf("round%02d.duckdb", round)))
		child, lines := startKillChild(t, path, later)
		start := time.Now()
		var delay time.Duration
		if round%2 == 0 { // anywhere in the run
			delay = time.Duration(rng.Int64N(int64(toDone)))
			time.Sleep(delay)
		} else { // within the commit
			for l := range lines {
				if l == "committing" {
					break
				}
			}
			delay = time.Duration(rng.Int64N(int64(toDone-toCommit)*3/2 + 1))
			time.Sleep(delay)
		}
		child.Process.Kill() // SIGKILL: nothing runs after it
		child.Wait()
		for range lines { // drain
		}
		switch got := killSnapshot(t, path); got {
		case before:
			outcome["as before"]++
		case after:
			outcome["fully loaded"]++
		default:
			t.Errorf("round %d (killed %v after %s): partial state\nbefore %.300s\nafter  %.300s\ngot    %.300s",
				round, time.Since(start).Round(time.Millisecond), map[bool]string{true: "the start", false: "COMMIT began"}[round%2 == 0], before, after, got)
			outcome["partial"]++
		}
	}
	t.Logf("%d kills: %v (load %v, COMMIT at %v)", killRounds, outcome, toDone.Round(time.Millisecond), toCommit.Round(time.Millisecond))
	if outcome["partial"] > 0 {
		t.Fatalf("%d of %d kills left a partial state", outcome["partial"], killRounds)
	}
}

// killFixtures writes a generated export and a later one that updates a third of its
// cases, adds new ones and has rejected rows: every kind of write a load makes.
func killFixtures(t *testing.T, dir string, n int) (first, later string) {
	t.Helper()
	loc, _ := time.LoadLocation(store.DefaultTimeZone)
	cal, err := calendar.BuiltIn(loc)
	if err != nil {
		t.Fatal(err)
	}
	first = filepath.Join(dir, "first.csv")
	if err := synth.CasesCSV(synth.DefaultConfig(cal), first, n); err != nil {
		t.Fatal(err)
	}
	rows := readCSV(t, first)
	col := map[string]int{}
	for i, h := range rows[0] {
		col[h] = i
	}
	out := [][]string{rows[0]}
	for i, r := range rows[1:] {
		r = append([]string(nil), r...)
		if i%3 == 0 {
			r[col["applicant"]] += " (v2)"
			r[col["recorded_at"]] = "2030-01-01 00:00:00"
		}
		if i%100 == 0 {
			r[col["applied_at"]] = "never"
		}
		out = append(out, r)
		if i%10 == 0 {
			added := append([]string(nil), r...)
			added[col["case_id"]] += "-N"
			out = append(out, added)
		}
	}
	later = filepath.Join(dir, "later.csv")
	f, err := os.Create(later)
	if err != nil {
		t.Fatal(err)
	}
	w := csv.NewWriter(f)
	w.WriteAll(out)
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
	return first, later
}

func startKillChild(t *testing.T, dbPath, file string) (*exec.Cmd, <-chan string) {
	t.Helper()
	child := exec.Command(os.Args[0], "-test.run=^TestKilledLoadLeavesNoPartialState$")
	child.Env = append(os.Environ(), "UTILSCORE_TEST_KILL_DB="+dbPath, "UTILSCORE_TEST_KILL_FILE="+file)
	stdout, err := child.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := child.Start(); err != nil {
		t.Fatal(err)
	}
	lines := make(chan string, 16)
	go func() {
		defer close(lines)
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			if strings.HasPrefix(sc.Text(), "load:") || strings.HasPrefix(sc.Text(), "open:") {
				t.Errorf("child: %s", sc.Text())
			}
			lines <- sc.Text()
		}
	}()
	return child, lines
}

// killSnapshot opens a database (which repairs a torn load) and describes everything
// a load writes.
func killSnapshot(t *testing.T, path string) string {
	t.Helper()
	db, err := store.Open(context.Background(), path, store.Options{})
	if err != nil {
		t.Fatalf("opening %s after the kill: %v", path, err)
	}
	defer db.Close()
	return joinRows(dumpCases(t, db.DB)) +
		"#" + joinRows(query(t, db.DB, "SELECT count(*), count(DISTINCT superseded_by_load) FROM case_history")) +
		"#" + joinRows(query(t, db.DB, "SELECT load_id, file_name, rows_read, rows_loaded, rows_rejected, rows_updated FROM loads ORDER BY load_id")) +
		"#" + joinRows(query(t, db.DB, "SELECT count(*) FROM rejects"))
}

func copyDB(t *testing.T, from, to string) string {
	t.Helper()
	src, err := os.Open(from)
	if err != nil {
		t.Fatal(err)
	}
	defer src.Close()
	dst, err := os.Create(to)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := io.Copy(dst, src); err != nil {
		t.Fatal(err)
	}
	if err := dst.Close(); err != nil {
		t.Fatal(err)
	}
	return to
}
