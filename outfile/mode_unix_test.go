//go:build unix

package outfile

import (
	"os"
	"path/filepath"
	"syscall"
	"testing"
)

func TestWriteModesFollowTheUmask(t *testing.T) {
	for _, tc := range []struct {
		umask int
		want  os.FileMode
	}{{0o022, 0o644}, {0o027, 0o640}, {0o077, 0o600}} {
		old := syscall.Umask(tc.umask)
		path := filepath.Join(t.TempDir(), "page.html")
		err := WriteFile(path, []byte("<p>ok</p>"))
		syscall.Umask(old)
		if err != nil {
			t.Fatal(err)
		}
		info, err := os.Stat(path)
		if err != nil {
			t.Fatal(err)
		}
		if info.Mode().Perm() != tc.want {
			t.Errorf("umask %03o: mode %03o, want %03o", tc.umask, info.Mode().Perm(), tc.want)
		}
		if got, _ := os.ReadFile(path); string(got) != "<p>ok</p>" {
			t.Errorf("umask %03o: content %q", tc.umask, got)
		}
	}
}
