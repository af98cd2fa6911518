// Package outfile writes the files that readers open while utilscore may still be
// writing or be killed: a file appears under its final name complete, or not at all.
package outfile

import (
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
)

// Mode of the files written (0644 less the umask): published folders are read by
// other users, such as a separate web server.
const Mode os.FileMode = 0o644

// DirMode of the folders made for them (0755 less the umask).
const DirMode os.FileMode = 0o755

// tempSuffix ends the names of files still being written: hidden (a leading dot) and
// never mistaken for a workbook or a page.
const tempSuffix = ".tmp"

// Write writes a file through write: to a hidden temporary name in the same folder,
// synced to disk, then renamed to path. A failure or a kill leaves at most the
// temporary file, never a partial file under path; a file already at path is
// replaced whole.
func Write(path string, write func(w io.Writer) error) (err error) {
	dir, base := filepath.Split(path)
	if dir == "" {
		dir = "."
	}
	var suffix [6]byte
	if _, err := rand.Read(suffix[:]); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	tmp := filepath.Join(dir, "."+base+"."+hex.EncodeToString(suffix[:])+tempSuffix)
	// O_EXCL with the final mode: the umask applies, as for any file the user creates.
	f, err := os.OpenFile(tmp, os.O_WRONLY|os.O_CREATE|os.O_EXCL, Mode)
	if err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	defer func() {
		if err != nil {
			f.Close()
			os.Remove(tmp)
			err = fmt.Errorf("write %s: %w", path, err)
		}
	}()
	if err = write(f); err != nil {
		return err
	}
	if err = f.Sync(); err != nil {
		return err
	}
	if err = f.Close(); err != nil {
		return err
	}
	if err = os.Rename(tmp, path); err != nil {
		return err
	}
	syncDir(dir)
	return nil
}

// WriteFile writes data to path as Write does.
func WriteFile(path string, data []byte) error {
	return Write(path, func(w io.Writer) error {
		_, err := w.Write(data)
		return err
	})
}

// IsTemp reports whether name is a file Write had not finished.
func IsTemp(name string) bool {
	name = filepath.Base(name)
	return strings.HasPrefix(name, ".") && strings.HasSuffix(name, tempSuffix)
}

// syncDir makes the rename itself durable. Not every system can sync a folder; the
// file's own data is already on disk, so a failure here is not worth failing for.
func syncDir(dir string) {
	d, err := os.Open(dir)
	if err != nil {
		return
	}
	d.Sync()
	d.Close()
}
