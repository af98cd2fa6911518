package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"os"

	"golang.org/x/term"

	"github.com/utilscore/utilscore/service"
	"github.com/utilscore/utilscore/store"
)

const serveUsage = `[--config utilscore.yaml] [--log-format text|json]

Runs utilscore as a service: every night it loads the new files of the inbox (each
mapped subfolder with its mapping profile) and refreshes the quarter's figures; after
each quarter it publishes the workbooks, printable reports, pages and open data of
every audience. It serves them read-only over HTTP: the public build to all, the
internal ones to the accounts of 'utilscore user add'; with /api/v1/ (periods,
metrics, scorecard), /healthz, /runs and /metrics. Each run logs its steps. It is the
database's only writer while it runs. SIGINT or SIGTERM stop it cleanly: a running
job may finish (or its load rolls back).`

func runServe(ctx context.Context, args []string, out, errOut io.Writer) error {
	fs := newFlags("serve", serveUsage, errOut)
	configPath := fs.String("config", "utilscore.yaml", "config file (utilscore init writes one)")
	logFormat := fs.String("log-format", "", "text or json (default: text on a terminal, json otherwise)")
	if _, err := parseFlags(fs, args); err != nil {
		return err
	}
	cfg, err := loadServiceConfig(*configPath)
	if err != nil {
		return err
	}
	log, err := newLogger(errOut, *logFormat)
	if err != nil {
		return err
	}
	return service.Serve(ctx, cfg, log, nil)
}

// loadServiceConfig reads the config file; a missing default file means the defaults.
func loadServiceConfig(path string) (*service.Config, error) {
	if _, err := os.Stat(path); os.IsNotExist(err) && path == "utilscore.yaml" {
		path = ""
	}
	return service.LoadConfig(path, os.Getenv)
}

func newLogger(w io.Writer, format string) (*slog.Logger, error) {
	if format == "" {
		format = "json"
		if f, ok := w.(*os.File); ok && term.IsTerminal(int(f.Fd())) {
			format = "text"
		}
	}
	switch format {
	case "text":
		return slog.New(slog.NewTextHandler(w, nil)), nil
	case "json":
		return slog.New(slog.NewJSONHandler(w, nil)), nil
	}
	return nil, usagef("--log-format must be text or json")
}

const runNowUsage = `nightly|quarterly [--period 2024Q3] [--config utilscore.yaml]

Runs a scheduled job now, in this process, and records it in the run history. It
needs the database: if the service is running, stop it first (DuckDB has one writer).`

func runRunNow(ctx context.Context, args []string, out, errOut io.Writer) error {
	fs := newFlags("run-now", runNowUsage, errOut)
	configPath := fs.String("config", "utilscore.yaml", "config file")
	period := fs.String("period", "", "quarterly: the quarter to publish (default: the last full one)")
	pos, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 || (pos[0] != "nightly" && pos[0] != "quarterly") {
		return usagef("name the job: nightly or quarterly")
	}
	cfg, err := loadServiceConfig(*configPath)
	if err != nil {
		return err
	}
	log, err := newLogger(errOut, "")
	if err != nil {
		return err
	}
	db, err := store.Open(ctx, cfg.Database, store.Options{TimeZone: cfg.TimeZone, CalendarFile: cfg.Calendar, MemoryLimit: cfg.MemoryLimit})
	if err != nil {
		return err
	}
	defer db.Close()
	svc := &service.Service{Config: cfg, DB: db, Log: log}
	var run service.Run
	if pos[0] == "nightly" {
		run, err = svc.Nightly(ctx)
	} else {
		p, perr := service.LastQuarter(cfg, *period)
		if perr != nil {
			return perr
		}
		run, err = svc.Quarterly(ctx, p)
	}
	fmt.Fprintf(out, "%s %s: %s, %d files, %d rows loaded, %d rejected %s\n", run.Job, run.Period, run.Outcome, run.Files,
		run.RowsLoaded, run.RowsRejected, run.Detail)
	return err
}

const initUsage = `[--config utilscore.yaml]

Writes a commented example config file; it will not overwrite one.`

func runInit(ctx context.Context, args []string, out, errOut io.Writer) error {
	fs := newFlags("init", initUsage, errOut)
	path := fs.String("config", "utilscore.yaml", "where to write it")
	if _, err := parseFlags(fs, args); err != nil {
		return err
	}
	f, err := os.OpenFile(*path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if err != nil {
		return fmt.Errorf("%s: %w (it will not overwrite a config)", *path, err)
	}
	defer f.Close()
	if _, err := f.Write(service.ExampleConfig); err != nil {
		return err
	}
	fmt.Fprintf(out, "wrote %s\n", *path)
	return nil
}
