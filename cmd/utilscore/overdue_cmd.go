package main

import (
	"context"
	"encoding/csv"
	"fmt"
	"io"
	"strconv"
	"text/tabwriter"
	"time"

	"github.com/utilscore/utilscore/metrics"
	"github.com/utilscore/utilscore/policy"
)

const overdueUsage = `[--as-of DATE] [--profile ID] [flags]

Lists the cases still open at the end of --as-of (default today) that are over their
time limit, or above 80 % of it: the limit is the strictest per-case time limit of the
profile's targets that covers the case. Most overdue first.`

func runOverdue(ctx context.Context, args []string, out, errOut io.Writer) error {
	fs := newFlags("overdue", overdueUsage, errOut)
	var db dbFlags
	db.register(fs)
	asOf := fs.String("as-of", "", "the day to measure at (2024-12-31); default today")
	profileName := fs.String("profile", "district-wpgt", "policy profile whose time limits apply: a built-in id or a YAML file")
	utility := fs.String("utility", "", "only this utility")
	format := fs.String("format", "table", "table or csv")
	if _, err := parseFlags(fs, args); err != nil {
		return err
	}
	if *format != "table" && *format != "csv" {
		return usagef("--format must be table or csv")
	}
	store, err := db.openForReading(ctx)
	if err != nil {
		return err
	}
	defer store.Close()
	day := time.Now().In(store.Location)
	if *asOf != "" {
		if day, err = time.ParseInLocation("2006-01-02", *asOf, store.Location); err != nil {
			return usagef("--as-of %q is not a date like 2024-12-31", *asOf)
		}
	}
	if err := checkUtility(ctx, store, *utility); err != nil {
		return err
	}
	// The open cases at the end of the day are among those applied by then.
	end := time.Date(day.Year(), day.Month(), day.Day()+1, 0, 0, 0, 0, store.Location)
	if err := requireData(ctx, store, time.Time{}, end, "up to the end of "+day.Format(time.DateOnly), *utility, caseRecords); err != nil {
		return err
	}
	db.sayAsOf(errOut, store)
	prof, err := policy.Load(*profileName)
	if err != nil {
		return err
	}
	period := metrics.Period{Start: day, End: day.AddDate(0, 0, 1)}
	open, err := metrics.Overdue(ctx, store.DB, day, 0.8, prof.CaseTargets(period))
	if err != nil {
		return fmt.Errorf("measure the open cases at the end of %s: %w", day.Format(time.DateOnly), err)
	}
	sources := map[string]string{}
	for _, t := range prof.Targets {
		sources[t.ID] = t.Source
	}
	header := []string{"utility", "case_id", "customer_class", "district", "applied_at", "elapsed", "limit", "unit", "used", "state", "source"}
	record := func(c metrics.OpenCase) []string {
		unit, state := "WD", "warning"
		if c.MetricID == "telecom_connection_hours" {
			unit = "h"
		}
		if c.Used > 1 {
			state = "overdue"
		}
		return []string{c.Utility, c.CaseID, c.CustomerClass, c.District, c.AppliedAt.In(store.Location).Format("2006-01-02 15:04"),
			strconv.FormatFloat(c.Elapsed, 'f', 2, 64), strconv.FormatFloat(c.Limit, 'f', -1, 64), unit,
			strconv.FormatFloat(100*c.Used, 'f', 0, 64) + "%", state, sources[c.TargetID]}
	}
	n := 0
	if *format == "csv" {
		cw := csv.NewWriter(out)
		cw.Write(header)
		for _, c := range open {
			if *utility == "" || c.Utility == *utility {
				cw.Write(metrics.SafeCSV(record(c)))
			}
		}
		cw.Flush()
		return cw.Error()
	}
	tw := tabwriter.NewWriter(out, 0, 0, 2, ' ', 0)
	for i, h := range header {
		if i > 0 {
			fmt.Fprint(tw, "\t")
		}
		fmt.Fprint(tw, h)
	}
	fmt.Fprintln(tw)
	for _, c := range open {
		if *utility != "" && c.Utility != *utility {
			continue
		}
		for i, f := range record(c) {
			if i > 0 {
				fmt.Fprint(tw, "\t")
			}
			fmt.Fprint(tw, f)
		}
		fmt.Fprintln(tw)
		n++
	}
	tw.Flush()
	fmt.Fprintf(out, "%d open cases over or near their limit at the end of %s (profile %s)\n", n, day.Format("2006-01-02"), prof.ID)
	return nil
}
