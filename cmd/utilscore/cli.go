package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"sort"
	"strings"
	"syscall"

	"github.com/utilscore/utilscore/metrics"
	"github.com/utilscore/utilscore/policy"
	"github.com/utilscore/utilscore/store"
)

// Exit codes (spec/outputs.md).
const (
	exitOK      = 0
	exitFailure = 1
	exitUsage   = 2
)

// command is one sub-command.
type command struct {
	summary string
	run     func(ctx context.Context, args []string, out, errOut io.Writer) error
}

var commands = map[string]command{
	"ingest":    {"load export files (or an inbox folder) into the database", runIngest},
	"check":     {"validate export files without loading them (ingest --dry-run)", runCheck},
	"calendar":  {"show working days and the working time between two instants", runCalendar},
	"gen":       {"write synthetic export files for four utilities", runGen},
	"demo":      {"generate demo data and run it all: load, scorecard, workbooks, dashboard", runDemo},
	"metrics":   {"compute every metric for a period (csv, json or a table)", runMetrics},
	"profiles":  {"list the policy profiles, or show one's targets", runProfiles},
	"audit":     {"list the integrity findings of a period's cases", runAudit},
	"overdue":   {"list open cases over or near their time limit", runOverdue},
	"report":    {"write the quarter's Excel workbooks for regulators, utilities, the office and the public", runReport},
	"dashboard": {"write the quarter's static chart pages, which work offline", runDashboard},
	"serve":     {"run the nightly and quarterly jobs on a schedule and serve the results", runServe},
	"run-now":   {"run the nightly or quarterly job now", runRunNow},
	"init":      {"write a commented example config file (utilscore.yaml)", runInit},
	"scorecard": {"score every utility and district for a period under a policy profile", runScorecard},
	"export":    {"write every kind and the calendar as a Parquet lake (kind/utility=/year=/)", runExport},
	"user":      {"add an account that may read the internal builds the service publishes", runUser},
}

// usageError is bad usage: exit code 2.
type usageError struct{ msg string }

func (e usageError) Error() string { return e.msg }

func usagef(format string, a ...any) error { return usageError{fmt.Sprintf(format, a...)} }

// run executes one command line and returns the exit code.
func run(args []string, out, errOut io.Writer) int {
	if len(args) == 0 || args[0] == "help" || args[0] == "-h" || args[0] == "--help" {
		if len(args) > 1 {
			return run([]string{args[1], "--help"}, out, errOut)
		}
		printUsage(out)
		return exitOK
	}
	cmd, ok := commands[args[0]]
	if !ok {
		fmt.Fprintf(errOut, "utilscore: unknown command %q; run 'utilscore help' for the list\n", args[0])
		return exitUsage
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	err := cmd.run(ctx, args[1:], out, errOut)
	var usage usageError
	switch {
	case err == nil:
		return exitOK
	case errors.Is(err, flag.ErrHelp):
		return exitOK
	case errors.As(err, &usage):
		fmt.Fprintf(errOut, "utilscore %s: %s (see 'utilscore %s --help')\n", args[0], oneLine(err), args[0])
		return exitUsage
	case errors.Is(err, errReported):
		return exitFailure
	default:
		fmt.Fprintf(errOut, "utilscore %s: %s\n", args[0], oneLine(err))
		return exitFailure
	}
}

// errReported is returned by a command that has already told the user what failed.
var errReported = errors.New("failure already reported")

func oneLine(err error) string {
	return strings.Join(strings.Fields(err.Error()), " ")
}

func printUsage(w io.Writer) {
	fmt.Fprintln(w, "utilscore turns utilities' case logs into the figures regulators check and the public sees.")
	fmt.Fprintln(w, "\nUsage: utilscore <command> [flags] [arguments]\n\nCommands:")
	names := make([]string, 0, len(commands))
	for n := range commands {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		fmt.Fprintf(w, "  %-10s %s\n", n, commands[n].summary)
	}
	fmt.Fprintln(w, "\nRun 'utilscore <command> --help' for a command's flags.")
}

// newFlags makes a command's flag set that reports errors as usage errors.
func newFlags(name, usage string, errOut io.Writer) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(errOut)
	fs.Usage = func() {
		fmt.Fprintf(errOut, "Usage: utilscore %s %s\n\nFlags:\n", name, usage)
		fs.PrintDefaults()
	}
	return fs
}

// parseFlags parses args; flags may follow the arguments too.
func parseFlags(fs *flag.FlagSet, args []string) ([]string, error) {
	var positional []string
	for {
		if err := fs.Parse(args); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				return nil, err
			}
			return nil, usageError{err.Error()}
		}
		args = fs.Args()
		if len(args) == 0 {
			return positional, nil
		}
		positional = append(positional, args[0])
		args = args[1:]
	}
}

// dbFlags are the flags of every command that opens the database.
type dbFlags struct {
	path, timeZone, calendar string
	lake                     string // a Parquet lake to read instead of the database (read commands)
}

func (d *dbFlags) register(fs *flag.FlagSet) {
	fs.StringVar(&d.path, "db", "utilscore.duckdb", "database file")
	fs.StringVar(&d.timeZone, "tz", store.DefaultTimeZone, "time zone of timestamps without an offset, and of periods")
	fs.StringVar(&d.calendar, "calendar", "", "calendar file (date,is_workday,note) that overrides and extends the built-in holidays")
}

func (d *dbFlags) open(ctx context.Context) (*store.DB, error) {
	if d.lake != "" {
		return d.openLake(ctx)
	}
	return store.Open(ctx, d.path, store.Options{TimeZone: d.timeZone, CalendarFile: d.calendar})
}

// checkAudience accepts the four audiences (and, where allowed, none).
func checkAudience(a string, noneAllowed bool) error {
	switch a {
	case "regulator", "utility", "office", "public":
		return nil
	case "":
		if noneAllowed {
			return nil
		}
	}
	return usagef("--audience must be regulator, utility, office or public")
}

// openPeriodProfile opens the database, reads --period and loads the policy profile.
func (d *dbFlags) openPeriodProfile(ctx context.Context, period, profile string) (*store.DB, metrics.Period, *policy.Profile, error) {
	prof, err := policy.Load(profile)
	if err != nil {
		return nil, metrics.Period{}, nil, err
	}
	db, p, err := d.openPeriod(ctx, period)
	return db, p, prof, err
}

// openPeriod opens the database and reads a required --period in its time zone.
func (d *dbFlags) openPeriod(ctx context.Context, period string) (*store.DB, metrics.Period, error) {
	if period == "" {
		return nil, metrics.Period{}, usagef("--period is required")
	}
	db, err := d.open(ctx)
	if err != nil {
		return nil, metrics.Period{}, err
	}
	p, err := metrics.ParsePeriod(period, db.Location)
	if err != nil {
		db.Close()
		return nil, metrics.Period{}, usageError{err.Error()}
	}
	return db, p, nil
}
