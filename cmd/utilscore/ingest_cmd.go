package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"strings"
	"text/tabwriter"

	"github.com/utilscore/utilscore/ingest"
)

const ingestUsage = `[flags] FILE...   or   utilscore ingest [flags] --inbox DIR

Loads export files into the database. The kind of each file comes from its headers
(English or the built-in Chinese ones) unless --kind says; the encoding is detected
unless --encoding says. A file is loaded whole or not at all; rows that fail
validation are kept in the rejects table with file, line, column and reason, and
loading the same file again changes nothing.

A file that fails, whatever the reason, does not stop the others. With --inbox, a
file is taken once it has stopped changing (or at once when NAME.done stands beside
it); reference lists (districts, customer base) load before the logs that refer to
them, and a refused file moves to quarantine/ with NAME.error.txt saying why.

Exit code 0 when every file loaded (rejected rows are reported, not fatal), 1 when a
file was refused whole (the last line says how many), 2 on bad usage.`

func runIngest(ctx context.Context, args []string, out, errOut io.Writer) error {
	return ingestCommand(ctx, "ingest", args, false, out, errOut)
}

func runCheck(ctx context.Context, args []string, out, errOut io.Writer) error {
	return ingestCommand(ctx, "check", args, true, out, errOut)
}

func ingestCommand(ctx context.Context, name string, args []string, dryRun bool, out, errOut io.Writer) error {
	fs := newFlags(name, ingestUsage, errOut)
	var db dbFlags
	db.register(fs)
	kind := fs.String("kind", "", "kind of every file: cases, case_events, outages, customer_base, tickets, evaluations, water_balance, districts")
	encoding := fs.String("encoding", "", "text encoding: utf-8, gbk/gb18030 or utf-16 (default: detect)")
	mapping := fs.String("mapping", "", "mapping profile (YAML) for an export's own headers and codes")
	inbox := fs.String("inbox", "", "load every new file in this folder, moving it to processed/ or quarantine/")
	fs.BoolVar(&dryRun, "dry-run", dryRun, "validate and report, write nothing")
	files, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if (*inbox == "") == (len(files) == 0) {
		return usagef("give either files or --inbox DIR")
	}
	opts := ingest.Options{Kind: *kind, Encoding: *encoding, DryRun: dryRun, MemoryLimit: ingest.LoadMemoryLimit}
	if *mapping != "" {
		if opts.Profile, err = ingest.LoadProfile(*mapping); err != nil {
			return err
		}
	}
	store, err := db.open(ctx)
	if err != nil {
		return err
	}
	defer store.Close()
	progress := newProgress(errOut)
	defer progress.done()
	opts.Progress = progress.step
	loader, err := ingest.NewLoader(ctx, store.DB, opts)
	if err != nil {
		return err
	}

	var results []ingest.InboxResult
	if *inbox != "" {
		results, err = loader.LoadInbox(ctx, *inbox)
	} else {
		// One file's failure, whatever it is, does not stop the others.
		for _, f := range files {
			res, lerr := loader.Load(ctx, f)
			if lerr != nil && ctx.Err() != nil {
				err = ctx.Err()
				break
			}
			var refused *ingest.FileError
			if lerr != nil && !errors.As(lerr, &refused) {
				refused = &ingest.FileError{File: f, Err: lerr}
			}
			if refused != nil {
				res.File = filepath.Base(f)
				results = append(results, ingest.InboxResult{Result: res, Path: f, Refused: refused})
				continue
			}
			results = append(results, ingest.InboxResult{Result: res, Path: f})
		}
	}
	progress.done()
	printLoadReport(out, results, dryRun)
	refused, taken := 0, 0
	for _, r := range results {
		if !r.Waiting {
			taken++
		}
		if r.Refused != nil {
			refused++
			fmt.Fprintf(errOut, "utilscore %s: refused %s\n", name, oneLine(r.Refused))
		}
	}
	if err != nil {
		return err
	}
	if refused > 0 {
		where := ""
		if *inbox != "" {
			where = " (moved to " + filepath.Join(*inbox, ingest.QuarantineDir) + ")"
		}
		if taken > 1 {
			fmt.Fprintf(errOut, "utilscore %s: %d of %d files refused%s\n", name, refused, taken, where)
		}
		return errReported
	}
	return nil
}

// printLoadReport prints one line per file, then the first problems of each file.
func printLoadReport(w io.Writer, results []ingest.InboxResult, dryRun bool) {
	if len(results) == 0 {
		fmt.Fprintln(w, "no files")
		return
	}
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "file\tkind\tformat\tencoding\tread\tloaded\trejected\tupdated\tresult\t")
	var total ingest.Result
	for _, r := range results {
		outcome := "loaded"
		switch {
		case r.Refused != nil:
			outcome = "refused"
		case r.Waiting:
			outcome = "waiting: still being written"
		case r.AlreadyLoaded:
			outcome = "already loaded"
		case dryRun:
			outcome = "checked"
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%d\t%d\t%d\t%d\t%s\t\n", r.File, r.Kind, r.Format, r.Encoding,
			r.RowsRead, r.RowsLoaded, r.RowsRejected, r.RowsUpdated, outcome)
		total.RowsRead += r.RowsRead
		total.RowsLoaded += r.RowsLoaded
		total.RowsRejected += r.RowsRejected
		total.RowsUpdated += r.RowsUpdated
	}
	fmt.Fprintf(tw, "total (%d files)\t\t\t\t%d\t%d\t%d\t%d\t\t\n", len(results), total.RowsRead, total.RowsLoaded, total.RowsRejected, total.RowsUpdated)
	tw.Flush()
	for _, r := range results {
		if len(r.Ignored) > 0 {
			fmt.Fprintf(w, "\n%s: columns not used: %s\n", r.File, strings.Join(r.Ignored, ", "))
		}
		if len(r.Problems) == 0 {
			continue
		}
		fmt.Fprintf(w, "\n%s: %d rows rejected", r.File, r.RowsRejected)
		if int64(len(r.Problems)) < r.RowsRejected || len(r.Problems) == 20 {
			fmt.Fprintf(w, " (first problems below; all are in the rejects table)")
		}
		fmt.Fprintln(w, ":")
		for _, p := range r.Problems {
			fmt.Fprintf(w, "  %s\n", p)
		}
	}
}
