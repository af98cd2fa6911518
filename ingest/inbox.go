package ingest

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"
)

// Folders inside an inbox.
const (
	ProcessedDir  = "processed"
	QuarantineDir = "quarantine"
)

// InboxResult is what happened to one file of an inbox.
type InboxResult struct {
	Result
	Path    string // where the file now is
	Refused error  // set when the file went to quarantine
}

// LoadInbox loads every file waiting in dir, in name order. A loaded file (or one
// loaded before) moves to processed/; a file refused whole moves to quarantine/ with
// a .error.txt beside it that says why, and the rest go on. A database error stops
// the run and leaves the file where it was, to be tried again.
func (l *Loader) LoadInbox(ctx context.Context, dir string) ([]InboxResult, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, fmt.Errorf("inbox: %w", err)
	}
	var names []string
	for _, e := range entries {
		if e.Type().IsRegular() && !strings.HasPrefix(e.Name(), ".") && !strings.HasSuffix(e.Name(), ".error.txt") {
			names = append(names, e.Name())
		}
	}
	sort.Strings(names)
	var out []InboxResult
	for _, name := range names {
		if err := ctx.Err(); err != nil {
			return out, err
		}
		path := filepath.Join(dir, name)
		res, err := l.Load(ctx, path)
		var refused *FileError
		switch {
		case errors.As(err, &refused):
			to, merr := moveInto(path, filepath.Join(dir, QuarantineDir))
			if merr == nil {
				merr = os.WriteFile(to+".error.txt", []byte(refused.Err.Error()+"\n"), 0o644)
			}
			if merr != nil {
				return out, fmt.Errorf("inbox: quarantining %s: %w", name, merr)
			}
			out = append(out, InboxResult{Result: res, Path: to, Refused: refused})
		case err != nil:
			return out, err
		case l.opts.DryRun:
			out = append(out, InboxResult{Result: res, Path: path})
		default:
			to, merr := moveInto(path, filepath.Join(dir, ProcessedDir))
			if merr != nil {
				return out, fmt.Errorf("inbox: %s was loaded but cannot be moved to %s: %w", name, ProcessedDir, merr)
			}
			out = append(out, InboxResult{Result: res, Path: to})
		}
	}
	return out, nil
}

// moveInto moves a file into a folder, keeping an earlier file of the same name.
func moveInto(path, dir string) (string, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", err
	}
	to := filepath.Join(dir, filepath.Base(path))
	if _, err := os.Stat(to); err == nil {
		ext := filepath.Ext(to)
		to = strings.TrimSuffix(to, ext) + "." + time.Now().Format("20060102T150405.000000000") + ext
	}
	return to, os.Rename(path, to)
}
