package main

import (
	"bufio"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// serveForTest is the child half of TestReadCommandsWhileServing.
func serveForTest(cfgPath string) {
	os.Exit(run([]string{"serve", "--config", cfgPath, "--log-format", "json"}, os.Stdout, os.Stderr))
}

// While the service holds the database, metrics, scorecard and overdue answer from
// the snapshot its nightly run published, say so, and give the figures the live
// database gives once the service has stopped.
func TestReadCommandsWhileServing(t *testing.T) {
	if cfg := os.Getenv("UTILSCORE_TEST_SERVE_CONFIG"); cfg != "" {
		serveForTest(cfg)
		return
	}
	dir := t.TempDir()
	inbox := filepath.Join(dir, "inbox")
	if code, _, errOut := runCLI("gen", "--out", inbox, "--cases", "300", "--seed", "5", "--from", "2024-01-01", "--to", "2024-06-30"); code != 0 {
		t.Fatalf("gen: %s", errOut)
	}
	db := filepath.Join(dir, "u.duckdb")
	cfgPath := filepath.Join(dir, "utilscore.yaml")
	os.WriteFile(cfgPath, []byte(strings.Join([]string{
		"database: " + db, "inbox: " + inbox, "output: " + filepath.Join(dir, "published"), "audiences: [public]",
		`schedule: {nightly: "*/2 * * * * *", quarterly: "0 0 1 1 *"}`, "http: {address: 127.0.0.1:0}", ""}, "\n")), 0o644)

	child := exec.Command(os.Args[0], "-test.run=^TestReadCommandsWhileServing$")
	child.Env = append(os.Environ(), "UTILSCORE_TEST_SERVE_CONFIG="+cfgPath)
	logs, _ := child.StderrPipe()
	if err := child.Start(); err != nil {
		t.Fatal(err)
	}
	stopped := false
	stop := func() {
		if !stopped {
			stopped = true
			child.Process.Signal(syscall.SIGTERM)
			child.Wait()
		}
	}
	defer stop()
	finished := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(logs)
		for sc.Scan() {
			if line := sc.Text(); strings.Contains(line, `"run finished"`) && strings.Contains(line, `"job":"nightly"`) {
				finished <- line
			}
		}
		close(finished)
	}()
	select {
	case _, ok := <-finished:
		if !ok {
			t.Fatal("the service stopped before a nightly run finished")
		}
	case <-time.After(2 * time.Minute):
		t.Fatal("no nightly run finished within two minutes")
	}
	deadline := time.Now().Add(time.Minute)
	for _, err := os.Stat(db + ".snapshot"); err != nil; _, err = os.Stat(db + ".snapshot") {
		if time.Now().After(deadline) {
			t.Fatal("no snapshot a minute after the nightly run")
		}
		time.Sleep(100 * time.Millisecond)
	}
	go func() { // keep the log pipe drained
		for range finished {
		}
	}()

	commands := [][]string{
		{"metrics", "--db", db, "--period", "2024Q1", "--profile", "district-wpgt"},
		{"scorecard", "--db", db, "--period", "2024Q2"},
		{"overdue", "--db", db, "--as-of", "2024-06-30", "--format", "csv"},
	}
	answers := make([]string, len(commands))
	for i, args := range commands {
		code, stdout, errOut := runCLI(args...)
		if code != 0 || !strings.Contains(errOut, "utilscore "+args[0]+": as of ") || !strings.Contains(errOut, "snapshot "+db+".snapshot") {
			t.Fatalf("%s while serving: exit %d, stderr %q", args[0], code, errOut)
		}
		if strings.Count(errOut, "\n") != 1 {
			t.Errorf("%s: stderr %q, want one line", args[0], errOut)
		}
		answers[i] = stdout
	}
	if !strings.Contains(answers[0], "connection_time,power") || !strings.Contains(answers[1], "Scorecard 2024Q2") || strings.Count(answers[2], "\n") < 2 {
		t.Fatalf("answers from the snapshot hold no figures:\n%.300s\n%.300s\n%.300s", answers[0], answers[1], answers[2])
	}

	// A refusal stays one line, and says what it read.
	code, _, errOut := runCLI("metrics", "--db", db, "--period", "2023Q1")
	if code != 1 || strings.Count(errOut, "\n") != 1 || !strings.Contains(errOut, "no data for 2023Q1 in the snapshot of "+db+" as of ") {
		t.Errorf("metrics for a period without data while serving: exit %d, stderr %q", code, errOut)
	}

	stop()
	for i, args := range commands {
		code, stdout, errOut := runCLI(args...)
		if code != 0 || errOut != "" {
			t.Fatalf("%s after the service stopped: exit %d, stderr %q", args[0], code, errOut)
		}
		if stdout != answers[i] {
			t.Errorf("%s: the snapshot's answer differs from the database's:\n%s\nwant\n%s", args[0], answers[i], stdout)
		}
	}
}
