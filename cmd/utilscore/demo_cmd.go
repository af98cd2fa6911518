package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/utilscore/utilscore/dashboards"
	"github.com/utilscore/utilscore/ingest"
	"github.com/utilscore/utilscore/metrics"
	"github.com/utilscore/utilscore/reports"
	"github.com/utilscore/utilscore/synth"
)

const demoUsage = `[flags]

Generates demo exports for four utilities into a folder, loads them into a fresh
database in that folder, prints the load report and the last quarter's scorecard, and
writes that quarter's workbooks and chart pages into published/.`

func runDemo(ctx context.Context, args []string, out, errOut io.Writer) error {
	fs := newFlags("demo", demoUsage, errOut)
	cfg, err := genFlags(fs)
	if err != nil {
		return err
	}
	dir := fs.String("dir", "utilscore-demo", "folder for the demo data and database")
	if _, err := parseFlags(fs, args); err != nil {
		return err
	}
	c, err := cfg()
	if err != nil {
		return err
	}
	c.Dir = filepath.Join(*dir, "inbox")
	dbPath := filepath.Join(*dir, "utilscore.duckdb")
	// A demo starts from nothing, so that running it twice shows the same report.
	for _, p := range []string{c.Dir, dbPath, dbPath + ".wal"} {
		if err := os.RemoveAll(p); err != nil {
			return err
		}
	}
	fmt.Fprintf(out, "Generating demo exports into %s\n", c.Dir)
	files, err := synth.Generate(c)
	if err != nil {
		return err
	}
	printFiles(out, c.Dir, files)

	db := dbFlags{path: dbPath}
	store, err := db.open(ctx)
	if err != nil {
		return err
	}
	defer store.Close()
	progress := newProgress(errOut)
	loader, err := ingest.NewLoader(ctx, store.DB, ingest.Options{Progress: progress.step})
	if err != nil {
		return err
	}
	// The inbox loads the districts list before the logs that name a district by name.
	results, err := loader.LoadInbox(ctx, c.Dir)
	progress.done()
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "\nLoaded into %s\n", dbPath)
	printLoadReport(out, results, false)

	// The scorecard of the last full quarter of the demo span.
	last := c.To.AddDate(0, 0, -1)
	quarter := fmt.Sprintf("%dQ%d", last.Year(), (int(last.Month())-1)/3+1)
	p, err := metrics.ParsePeriod(quarter, store.Location)
	if err != nil {
		return err
	}
	rows, prof, err := computeJudged(ctx, store.DB, p, "district-wpgt")
	if err != nil {
		return err
	}
	fmt.Fprintln(out)
	printScorecard(out, prof, p, rows)
	reportDir := filepath.Join(*dir, "published")
	if err := os.MkdirAll(reportDir, 0o755); err != nil {
		return err
	}
	paths, err := writeReports(ctx, store, p, prof, reports.Audiences, "", reportDir, progress)
	progress.done()
	if err != nil {
		return err
	}
	fmt.Fprintln(out, "\nWorkbooks:")
	for _, path := range paths {
		fmt.Fprintln(out, "  "+path)
	}
	// The site sits beside the workbooks, so its index links them.
	progress.step(reports.AudienceZH[reports.Regulator], "图表页面", 0, 0)
	data, err := collect(ctx, store, p, prof)
	if err != nil {
		progress.done()
		return err
	}
	defer data.Close()
	pages, err := dashboards.Write(reportDir, reports.Regulator, data)
	progress.done()
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "\nDashboard (works offline): %s\n", pages[0])
	fmt.Fprintf(out, "\nAll figures: utilscore metrics --db %s --period %s --profile district-wpgt\n", dbPath, quarter)
	return nil
}
