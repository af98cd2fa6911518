package main

import (
	"context"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/utilscore/utilscore/ingest"
)

const exportUsage = `--parquet DIR [--db DB] [--with-personal-data] [flags]

Writes every kind of record (cases, case_events, outages, customer_base, tickets,
evaluations, water_balance, districts) and the working-day calendar as a Parquet lake
under DIR: DIR/<kind>/utility=<u>/year=<y>/*.parquet, the year being that of the
record's first required time (application, event, outage start, month…) in --tz. The
table contract's version is in each file's key-value metadata
(utilscore_schema_version). Columns the schema marks as personal data (applicants,
phones, addresses, staff names, free text about a complaint or a rating) are left out
unless --with-personal-data. Each kind's folder is replaced whole.

'utilscore metrics --lake DIR' (and scorecard, report) compute over such a lake
instead of a database; any engine that reads Parquet with Hive partitions sees the
same tables (docs/scale.md).`

func runExport(ctx context.Context, args []string, out, errOut io.Writer) error {
	fs := newFlags("export", exportUsage, errOut)
	var db dbFlags
	db.register(fs)
	dir := fs.String("parquet", "", "folder to write the Parquet lake into")
	personal := fs.Bool("with-personal-data", false, "keep the columns that hold personal data")
	if _, err := parseFlags(fs, args); err != nil {
		return err
	}
	if *dir == "" {
		return usagef("--parquet DIR is required")
	}
	// Read-only: the service may hold the database, and then its snapshot is read.
	store, err := db.openForReading(ctx)
	if err != nil {
		return err
	}
	defer store.Close()
	db.sayAsOf(errOut, store)
	kinds, err := ingest.Kinds(ctx, store.DB)
	if err != nil {
		return err
	}
	names := make([]string, len(kinds))
	for i, k := range kinds {
		names[i] = k.Name
	}
	start := time.Now()
	tables, err := store.ExportLake(ctx, *dir, names, *personal)
	if err != nil {
		return err
	}
	for _, t := range tables {
		line := fmt.Sprintf("%-14s %10d rows", t.Name, t.Rows)
		if len(t.Partition) > 0 {
			line += "  by " + strings.Join(t.Partition, ", ")
		}
		if len(t.Left) > 0 {
			line += "  left out: " + strings.Join(t.Left, ", ")
		}
		fmt.Fprintln(out, line)
	}
	fmt.Fprintf(out, "wrote %s in %.1f s\n", *dir, time.Since(start).Seconds())
	return nil
}
