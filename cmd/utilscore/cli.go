package main

import (
	"cmp"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"slices"
	"sort"
	"strings"
	"syscall"
	"time"

	"github.com/utilscore/utilscore/metrics"
	"github.com/utilscore/utilscore/policy"
	"github.com/utilscore/utilscore/reports"
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
	"pace":      {"follow the year's targets: year to date, projection to the year's end, what is at risk", runPace},
	"report":    {"write the quarter's Excel workbooks for regulators, utilities, the office and the public", runReport},
	"dashboard": {"write the quarter's static chart pages, which work offline", runDashboard},
	"serve":     {"run the nightly and quarterly jobs on a schedule and serve the results", runServe},
	"run-now":   {"run the nightly or quarterly job now", runRunNow},
	"init":      {"write a commented example config file (utilscore.yaml)", runInit},
	"scorecard": {"score every utility and district for a period under a policy profile", runScorecard},
	"explain":   {"trace a missed target to the districts, classes and cases behind it", runExplain},
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

// wrap adds what was being done to a non-nil *errp, in one deferred line.
func wrap(errp *error, format string, args ...any) {
	if *errp != nil {
		*errp = fmt.Errorf("%s: %w", fmt.Sprintf(format, args...), *errp)
	}
}

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
	memoryLimit              string
	command                  string // whose flags they are, for messages
	lake                     string // a Parquet lake to read instead of the database (read commands)
}

func (d *dbFlags) register(fs *flag.FlagSet) {
	d.command = fs.Name()
	fs.StringVar(&d.path, "db", "utilscore.duckdb", "database file")
	fs.StringVar(&d.timeZone, "tz", store.DefaultTimeZone, "time zone of timestamps without an offset, and of periods")
	fs.StringVar(&d.calendar, "calendar", "", "calendar file (date,is_workday,note) that overrides and extends the built-in holidays")
	fs.StringVar(&d.memoryLimit, "memory-limit", "", "at most this much memory for DuckDB (1GB); beyond it, work spills to disk. Empty: 80% of the machine's")
}

func (d *dbFlags) options() store.Options {
	return store.Options{TimeZone: d.timeZone, CalendarFile: d.calendar, MemoryLimit: d.memoryLimit}
}

// open opens the database for writing, creating it if needed.
func (d *dbFlags) open(ctx context.Context) (*store.DB, error) {
	return store.Open(ctx, d.path, d.options())
}

// openForReading opens an existing database read-only, or the snapshot of one in use
// by the service.
func (d *dbFlags) openForReading(ctx context.Context) (*store.DB, error) {
	if d.lake != "" {
		return d.openLake(ctx)
	}
	return store.OpenForReading(ctx, d.path, d.options())
}

// sayAsOf tells on errOut, in one line, when the snapshot a command reads was made;
// it is said once the command has found something to answer, so that a refusal
// stays one line.
func (d *dbFlags) sayAsOf(errOut io.Writer, db *store.DB) {
	if db.Snapshot != "" {
		fmt.Fprintf(errOut, "utilscore %s: as of %s: %s is in use by another process, so this reads its snapshot %s\n",
			d.command, db.AsOf.Format("2006-01-02 15:04:05 -07:00"), d.path, db.Snapshot)
	}
}

// source names what db reads, for messages: the file, or its snapshot.
func source(db *store.DB) string {
	if db.Snapshot != "" {
		return fmt.Sprintf("the snapshot of %s as of %s", db.Path, db.AsOf.Format("2006-01-02 15:04:05 -07:00"))
	}
	return db.Path
}

// checkAudience accepts the four audiences (and, where allowed, none).
func checkAudience(a string, noneAllowed bool) error {
	if slices.Contains(reports.Audiences, a) || (a == "" && noneAllowed) {
		return nil
	}
	return fmt.Errorf("unknown audience %q: use %s", a, strings.Join(reports.Audiences, ", "))
}

// checkUtility accepts a utility the schema knows, or none.
func checkUtility(ctx context.Context, db *store.DB, utility string) error {
	if utility == "" {
		return nil
	}
	known, err := db.Utilities(ctx)
	if err != nil {
		return err
	}
	if !slices.Contains(known, utility) {
		return fmt.Errorf("unknown utility %q: use %s", utility, strings.Join(known, ", "))
	}
	return nil
}

// need is the data a read command computes from: a period (or day) holding none of
// it is refused rather than answered with empty figures.
type need struct {
	count func(store.Records) int64
	what  string
}

var (
	anyRecords  = need{store.Records.Total, "cases, outages, tickets, ratings or water balance"}
	caseRecords = need{func(r store.Records) int64 { return r.Cases }, "cases applied for or finished"}
)

// requireData refuses [start, end) (named by when) when it holds none of the records
// n counts, of the utility if one is given.
func requireData(ctx context.Context, db *store.DB, start, end time.Time, when, utility string, n need) error {
	r, err := db.RecordsIn(ctx, start, end, utility)
	if err != nil {
		return err
	}
	if n.count(r) > 0 {
		return nil
	}
	if utility != "" {
		utility += " "
	}
	return fmt.Errorf("no data %s in %s: no %s%s fall in it", when, source(db), utility, n.what)
}

// scope is what a read command is asked about: a required period, and optionally
// one utility or district; need is the data it computes from.
type scope struct {
	period, utility, district string
	need                      need
}

// openPeriodProfile opens the database for a scope, as openPeriod does, and loads the
// policy profile.
func (d *dbFlags) openPeriodProfile(ctx context.Context, errOut io.Writer, s scope, profile string) (*store.DB, metrics.Period, *policy.Profile, error) {
	prof, err := policy.Load(profile)
	if err != nil {
		return nil, metrics.Period{}, nil, err
	}
	db, p, err := d.openPeriod(ctx, errOut, s)
	return db, p, prof, err
}

// openPeriod opens the database for reading and reads the period in its time zone.
// It refuses an unknown utility or district, and a period (of that utility) without
// the data the command needs.
func (d *dbFlags) openPeriod(ctx context.Context, errOut io.Writer, s scope) (*store.DB, metrics.Period, error) {
	if s.period == "" {
		return nil, metrics.Period{}, usagef("--period is required")
	}
	loc, err := time.LoadLocation(cmp.Or(d.timeZone, store.DefaultTimeZone))
	if err != nil {
		return nil, metrics.Period{}, usagef("--tz %q is not a time zone (e.g. Asia/Shanghai)", d.timeZone)
	}
	p, err := metrics.ParsePeriod(s.period, loc)
	if err != nil {
		return nil, metrics.Period{}, usageError{err.Error()}
	}
	db, err := d.openForReading(ctx)
	if err != nil {
		return nil, metrics.Period{}, err
	}
	if err := s.check(ctx, db, p); err != nil {
		db.Close()
		return nil, metrics.Period{}, err
	}
	d.sayAsOf(errOut, db)
	return db, p, nil
}

func (s scope) check(ctx context.Context, db *store.DB, p metrics.Period) error {
	if err := checkUtility(ctx, db, s.utility); err != nil {
		return err
	}
	if s.district != "" {
		known, err := db.KnownDistrict(ctx, s.district)
		if err != nil {
			return err
		}
		if !known {
			return fmt.Errorf("unknown district %q: neither the districts list nor any record in %s names it", s.district, source(db))
		}
	}
	return requireData(ctx, db, p.Start, p.End, "for "+p.Label, s.utility, s.need)
}
