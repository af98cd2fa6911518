package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/utilscore/utilscore/outfile"
)

// A report killed with SIGKILL while it writes leaves no partial workbook under a
// workbook's name: each file there opens whole, and what was being written is a
// hidden temporary file.
func TestKilledReportLeavesNoPartialWorkbook(t *testing.T) {
	if args := os.Getenv("UTILSCORE_TEST_REPORT_ARGS"); args != "" {
		os.Exit(run(strings.Split(args, "\n"), os.Stdout, os.Stderr))
	}
	dir := t.TempDir()
	if code, _, errOut := runCLI("demo", "--dir", dir, "--cases", "200", "--seed", "7"); code != 0 {
		t.Fatalf("demo: %s", errOut)
	}
	out := filepath.Join(dir, "out")
	if err := os.Mkdir(out, 0o755); err != nil {
		t.Fatal(err)
	}
	// inotify wakes the test the moment the report creates its first file, so the
	// kill lands while that file is written.
	fd, err := syscall.InotifyInit1(syscall.IN_CLOEXEC)
	if err != nil {
		t.Fatal(err)
	}
	defer syscall.Close(fd)
	if _, err := syscall.InotifyAddWatch(fd, out, syscall.IN_CREATE); err != nil {
		t.Fatal(err)
	}
	child := exec.Command(os.Args[0], "-test.run=^TestKilledReportLeavesNoPartialWorkbook$")
	child.Env = append(os.Environ(), "UTILSCORE_TEST_REPORT_ARGS="+strings.Join([]string{"report",
		"--db", filepath.Join(dir, "utilscore.duckdb"), "--period", "2024Q4", "--out", out}, "\n"))
	if err := child.Start(); err != nil {
		t.Fatal(err)
	}
	// A report that fails before it writes anything must fail the test, not leave it
	// waiting for a file that never comes.
	exited := make(chan error, 1)
	go func() { exited <- child.Wait() }()
	created := make(chan error, 1)
	go func() {
		buf := make([]byte, 4096)
		_, err := syscall.Read(fd, buf)
		created <- err
	}()
	select {
	case err := <-created:
		child.Process.Kill()
		if err != nil {
			t.Fatal(err)
		}
	case err := <-exited:
		t.Fatalf("the report ended before writing any file: %v", err)
	}
	if err := <-exited; err == nil {
		t.Fatal("the report finished before it was killed")
	}

	entries, err := os.ReadDir(out)
	if err != nil {
		t.Fatal(err)
	}
	var whole, partial int
	for _, e := range entries {
		path := filepath.Join(out, e.Name())
		if outfile.IsTemp(e.Name()) {
			partial++
			continue
		}
		if filepath.Ext(e.Name()) != ".xlsx" {
			continue // the printable reports beside the workbooks, and their style sheet
		}
		f, err := excelize.OpenFile(path)
		if err != nil {
			t.Errorf("%s is under a workbook's name but does not open: %v", e.Name(), err)
			continue
		}
		if idx, _ := f.GetSheetIndex("总览"); idx < 0 {
			t.Errorf("%s has no 总览 sheet", e.Name())
		}
		f.Close()
		whole++
	}
	if whole >= 7 || partial == 0 {
		t.Errorf("%d whole workbooks and %d being written at the kill: it did not land mid-way", whole, partial)
	}
}
