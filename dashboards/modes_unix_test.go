//go:build unix

package dashboards

import (
	"io/fs"
	"os"
	"path/filepath"
	"syscall"
	"testing"

	"github.com/utilscore/utilscore/reports"
)

// What a separate web server must read is readable: files 0644 and folders 0755,
// less the umask.
func TestSiteModesFollowTheUmask(t *testing.T) {
	d := fixedData(t)
	for _, tc := range []struct {
		umask           int
		file, directory os.FileMode
	}{{0o022, 0o644, 0o755}, {0o027, 0o640, 0o750}} {
		dir := filepath.Join(t.TempDir(), "site", "2024Q3")
		old := syscall.Umask(tc.umask)
		_, err := Write(dir, reports.Public, d)
		syscall.Umask(old)
		if err != nil {
			t.Fatal(err)
		}
		err = filepath.WalkDir(filepath.Dir(dir), func(path string, e fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			info, err := e.Info()
			if err != nil {
				return err
			}
			want := tc.file
			if e.IsDir() {
				want = tc.directory
			}
			if info.Mode().Perm() != want {
				t.Errorf("umask %03o: %s is %03o, want %03o", tc.umask, path, info.Mode().Perm(), want)
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
}
