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

// DoneSuffix marks a finished export: a file name.csv with a name.csv.done beside it
// is taken at once, without waiting for it to settle.
const DoneSuffix = ".done"

// DefaultSettle is how long a file's size and modification time must stay the same
// before the inbox takes it, when Options.Settle is zero.
const DefaultSettle = 2 * time.Second

// inProgress are the name endings of files a writer has not finished (it renames
// them when done); the inbox leaves them alone, like names starting with a dot.
var inProgress = []string{".part", ".partial", ".tmp", ".crdownload", ".error.txt", DoneSuffix}

// referenceKinds load before the kinds that refer to them: cases name districts, and
// per-customer figures need the customer base.
var referenceKinds = []string{"districts", "customer_base"}

// InboxResult is what happened to one file of an inbox.
type InboxResult struct {
	Result
	Path    string // where the file now is
	Refused error  // set when the file went to quarantine
	Waiting bool   // the file was still changing and is left for the next run
}

// LoadInbox loads every finished file waiting in dir: reference kinds first, then
// the others, each kind in the order the files were exported (modification time, then
// name). A loaded file (or one loaded before) moves to processed/. A file that fails
// for any reason, its own or the database's, is rolled back and moves to quarantine/
// with a .error.txt beside it that says why, and the run goes on. Only a cancelled
// context or an unreadable inbox stops the run.
func (l *Loader) LoadInbox(ctx context.Context, dir string) ([]InboxResult, error) {
	ready, waiting, err := l.readyFiles(ctx, dir)
	if err != nil {
		return nil, fmt.Errorf("inbox %s: %w", dir, err)
	}
	var out []InboxResult
	for _, name := range waiting {
		out = append(out, InboxResult{Result: Result{File: name}, Path: filepath.Join(dir, name), Waiting: true})
	}
	for _, name := range ready {
		if err := ctx.Err(); err != nil {
			return out, err
		}
		path := filepath.Join(dir, name)
		res, err := l.Load(ctx, path)
		if err != nil && ctx.Err() != nil {
			return out, ctx.Err() // not the file's fault: it stays for the next run
		}
		switch {
		case err != nil:
			var refused *FileError
			if !errors.As(err, &refused) {
				refused = &FileError{File: path, Err: err}
			}
			to, merr := moveInto(path, filepath.Join(dir, QuarantineDir))
			if merr == nil {
				merr = os.WriteFile(to+".error.txt", []byte(name+": "+oneLine(refused.Err)+"\n"), 0o644)
			}
			if merr != nil {
				return out, fmt.Errorf("inbox: quarantining %s: %w", name, merr)
			}
			out = append(out, InboxResult{Result: res, Path: to, Refused: refused})
		case l.opts.DryRun:
			out = append(out, InboxResult{Result: res, Path: path})
			continue
		default:
			to, merr := moveInto(path, filepath.Join(dir, ProcessedDir))
			if merr != nil {
				return out, fmt.Errorf("inbox: %s was loaded but cannot be moved to %s: %w", name, ProcessedDir, merr)
			}
			out = append(out, InboxResult{Result: res, Path: to})
		}
		os.Remove(path + DoneSuffix)
	}
	return out, nil
}

// readyFiles lists the inbox's files in load order, and those still being written.
// A file is ready when a .done marker stands beside it, or when its size and
// modification time have not changed over the settle interval.
func (l *Loader) readyFiles(ctx context.Context, dir string) (ready, waiting []string, err error) {
	type candidate struct {
		name string
		info os.FileInfo
		done bool
	}
	list := func() (map[string]candidate, error) {
		entries, err := os.ReadDir(dir)
		if err != nil {
			return nil, err
		}
		names := map[string]bool{}
		for _, e := range entries {
			names[e.Name()] = true
		}
		out := map[string]candidate{}
		for _, e := range entries {
			if !e.Type().IsRegular() || strings.HasPrefix(e.Name(), ".") || hasAnySuffix(e.Name(), inProgress) {
				continue
			}
			info, err := e.Info()
			if err != nil {
				continue // gone since listed
			}
			out[e.Name()] = candidate{e.Name(), info, names[e.Name()+DoneSuffix]}
		}
		return out, nil
	}
	first, err := list()
	if err != nil {
		return nil, nil, err
	}
	settle := l.opts.Settle
	if settle == 0 {
		settle = DefaultSettle
	}
	needWait := false
	for _, c := range first {
		needWait = needWait || !c.done
	}
	second := first
	if needWait && settle > 0 {
		select {
		case <-time.After(settle):
		case <-ctx.Done():
			return nil, nil, ctx.Err()
		}
		if second, err = list(); err != nil {
			return nil, nil, err
		}
	}
	type entry struct {
		name string
		rank int
		mod  time.Time
	}
	var entries []entry
	for name, c := range first {
		now, ok := second[name]
		if !c.done && (!ok || now.info.Size() != c.info.Size() || !now.info.ModTime().Equal(c.info.ModTime())) {
			if ok {
				waiting = append(waiting, name)
			}
			continue
		}
		entries = append(entries, entry{name, l.kindRank(ctx, filepath.Join(dir, name)), c.info.ModTime()})
	}
	sort.Slice(entries, func(i, j int) bool {
		a, b := entries[i], entries[j]
		if a.rank != b.rank {
			return a.rank < b.rank
		}
		if !a.mod.Equal(b.mod) {
			return a.mod.Before(b.mod)
		}
		return a.name < b.name
	})
	for _, e := range entries {
		ready = append(ready, e.name)
	}
	sort.Strings(waiting)
	return ready, waiting, nil
}

// kindRank orders a file by the kind its headers name: reference kinds first.
func (l *Loader) kindRank(ctx context.Context, path string) int {
	kind := l.opts.Kind
	if kind == "" {
		kind = l.peekKind(ctx, path)
	}
	for i, k := range referenceKinds {
		if k == kind {
			return i
		}
	}
	return len(referenceKinds)
}

func hasAnySuffix(s string, suffixes []string) bool {
	for _, x := range suffixes {
		if strings.HasSuffix(strings.ToLower(s), x) {
			return true
		}
	}
	return false
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
