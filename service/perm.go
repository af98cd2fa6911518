package service

import (
	"crypto/rand"
	"io/fs"
	"os"
	"path/filepath"
)

// Modes of what the service publishes, before the umask: readable by a separate web
// server, writable by the service alone.
const (
	publishedFile   fs.FileMode = 0o644
	publishedFolder fs.FileMode = 0o755
)

// umaskIn reads the process's file-creation mask without changing it (changing it
// would race with every other goroutine creating files): a folder made with mode 0777
// in dir gets 0777 &^ umask.
func umaskIn(dir string) (fs.FileMode, error) {
	probe := filepath.Join(dir, ".umask-"+rand.Text())
	if err := os.Mkdir(probe, 0o777); err != nil {
		return 0, err
	}
	defer os.Remove(probe)
	info, err := os.Stat(probe)
	if err != nil {
		return 0, err
	}
	return 0o777 &^ info.Mode().Perm(), nil
}

// makeReadable gives every folder and regular file below root (root included) the
// published modes under umask, whatever mode its writer chose (os.CreateTemp makes
// 0600, os.MkdirTemp 0700). Symbolic links are left alone: chmod would follow them.
func makeReadable(root string, umask fs.FileMode) error {
	return filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		switch {
		case d.IsDir():
			return os.Chmod(path, publishedFolder&^umask)
		case d.Type().IsRegular():
			return os.Chmod(path, publishedFile&^umask)
		}
		return nil
	})
}
