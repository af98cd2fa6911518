package outfile

import (
	"bufio"
	"errors"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// A writer that fails leaves the file it replaces as it was, and no temporary file.
func TestFailedWriteKeepsTheOldFile(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "2024Q4.xlsx")
	if err := WriteFile(path, []byte("old")); err != nil {
		t.Fatal(err)
	}
	boom := errors.New("disk full")
	err := Write(path, func(w io.Writer) error {
		w.Write([]byte("half a new"))
		return boom
	})
	if !errors.Is(err, boom) || !strings.Contains(err.Error(), path) {
		t.Fatalf("error %v, want the writer's, naming %s", err, path)
	}
	if got, _ := os.ReadFile(path); string(got) != "old" {
		t.Errorf("the old file now holds %q", got)
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 1 {
		t.Errorf("%d files in the folder, want the old file alone", len(entries))
	}
}

// A process killed in the middle of a write leaves no file under the final name.
func TestKilledWriteLeavesNoFinalFile(t *testing.T) {
	if path := os.Getenv("UTILSCORE_TEST_OUTFILE_KILL"); path != "" {
		Write(path, func(w io.Writer) error {
			w.Write([]byte("the first half"))
			os.Stdout.WriteString("half written\n")
			select {} // until killed
		})
		return
	}
	dir := t.TempDir()
	path := filepath.Join(dir, "index.html")
	child := exec.Command(os.Args[0], "-test.run=^TestKilledWriteLeavesNoFinalFile$")
	child.Env = append(os.Environ(), "UTILSCORE_TEST_OUTFILE_KILL="+path)
	stdout, _ := child.StdoutPipe()
	if err := child.Start(); err != nil {
		t.Fatal(err)
	}
	sc := bufio.NewScanner(stdout)
	for sc.Scan() && sc.Text() != "half written" {
	}
	child.Process.Kill()
	child.Wait()
	if _, err := os.Stat(path); !os.IsNotExist(err) {
		t.Fatalf("%s exists after the kill (%v)", path, err)
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 1 || !IsTemp(entries[0].Name()) {
		t.Fatalf("folder holds %v, want the one temporary file", entries)
	}
	if got, _ := os.ReadFile(filepath.Join(dir, entries[0].Name())); string(got) != "the first half" {
		t.Errorf("the temporary file holds %q", got)
	}
}
