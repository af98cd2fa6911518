package service

import (
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"syscall"
	"testing"
)

// Published files are 0644 and folders 0755 under the umask, whatever mode their
// writer chose, so a separate web server can read them; links are left alone.
func TestPublishedModes(t *testing.T) {
	for _, tt := range []struct {
		umask        int
		file, folder fs.FileMode
	}{{0o022, 0o644, 0o755}, {0o027, 0o640, 0o750}, {0o077, 0o600, 0o700}} {
		old := syscall.Umask(tt.umask)
		output := filepath.Join(t.TempDir(), "out")
		dir, err := Publish(output, "2024Q3", func(dir string) error {
			f, _ := os.CreateTemp(dir, "book-*.xlsx") // 0600
			f.Close()
			sub, _ := os.MkdirTemp(dir, "pages-") // 0700
			os.WriteFile(filepath.Join(sub, "index.html"), []byte("x"), 0o600)
			return os.Symlink("/etc/passwd", filepath.Join(sub, "link"))
		})
		if err != nil {
			syscall.Umask(old)
			t.Fatal(err)
		}
		werr := writeAtomically(filepath.Join(output, "metrics", "2024Q3.csv"), func(w io.Writer) error {
			_, err := io.WriteString(w, "metric_id\n")
			return err
		})
		syscall.Umask(old)
		if werr != nil {
			t.Fatal(werr)
		}
		filepath.WalkDir(output, func(path string, d fs.DirEntry, err error) error {
			info, _ := os.Lstat(path)
			switch {
			case d.IsDir() && info.Mode().Perm() != tt.folder:
				t.Errorf("umask %03o: folder %s is %v, want %v", tt.umask, path, info.Mode().Perm(), tt.folder)
			case d.Type().IsRegular() && info.Mode().Perm() != tt.file:
				t.Errorf("umask %03o: file %s is %v, want %v", tt.umask, path, info.Mode().Perm(), tt.file)
			}
			return nil
		})
		if info, err := os.Stat("/etc/passwd"); err != nil || info.Mode().Perm() != 0o644 {
			t.Errorf("a link's target changed mode: %v %v", info.Mode(), err)
		}
		if entries, _ := os.ReadDir(filepath.Join(output, sitesDir)); len(entries) != 1 || entries[0].Name() != filepath.Base(dir) {
			t.Errorf("sites/ holds %v, want the build alone (no probe left behind)", entries)
		}
	}
}
