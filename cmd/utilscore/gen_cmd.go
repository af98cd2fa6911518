package main

import (
	"context"
	"fmt"
	"io"
	"path/filepath"
	"text/tabwriter"
	"time"

	"github.com/utilscore/utilscore/calendar"
	"github.com/utilscore/utilscore/store"
	"github.com/utilscore/utilscore/synth"
)

const genUsage = `[flags]

Writes synthetic exports for four utilities (power, water, gas, telecom) over two
years: cases in CSV, GBK CSV with Chinese headers, JSON Lines and .xlsx; stage events,
outages (Parquet), customer base, tickets, ratings and water balance. The same seed
gives the same files.`

func runGen(ctx context.Context, args []string, out, errOut io.Writer) error {
	fs := newFlags("gen", genUsage, errOut)
	cfg, err := genFlags(fs)
	if err != nil {
		return err
	}
	outDir := fs.String("out", "demo-data", "folder to write the files into")
	if _, err := parseFlags(fs, args); err != nil {
		return err
	}
	c, err := cfg()
	if err != nil {
		return err
	}
	c.Dir = *outDir
	files, err := synth.Generate(c)
	if err != nil {
		return err
	}
	printFiles(out, c.Dir, files)
	return nil
}

// genFlags registers the generator's flags; the returned function builds the config.
func genFlags(fs interface {
	Uint64(string, uint64, string) *uint64
	Int(string, int, string) *int
	Float64(string, float64, string) *float64
	String(string, string, string) *string
}) (func() (synth.Config, error), error) {
	seed := fs.Uint64("seed", 1, "random seed; the same seed gives the same files")
	cases := fs.Int("cases", 3000, "connection applications to generate (other kinds scale with it)")
	faults := fs.Float64("faults", 0.01, "share of rows given a fault a loader or audit must catch")
	from := fs.String("from", "2023-01-01", "first day of the span")
	to := fs.String("to", "2024-12-31", "last day of the span")
	return func() (synth.Config, error) {
		loc, _ := time.LoadLocation(store.DefaultTimeZone)
		cal, err := calendar.BuiltIn(loc)
		if err != nil {
			return synth.Config{}, err
		}
		c := synth.DefaultConfig(cal)
		c.Seed, c.Cases, c.FaultRate = *seed, *cases, *faults
		f, err := time.ParseInLocation("2006-01-02", *from, loc)
		if err != nil {
			return c, usagef("--from %q is not a date like 2023-01-01", *from)
		}
		t, err := time.ParseInLocation("2006-01-02", *to, loc)
		if err != nil {
			return c, usagef("--to %q is not a date like 2024-12-31", *to)
		}
		c.From, c.To = f, t.AddDate(0, 0, 1)
		if *cases <= 0 {
			return c, usagef("--cases must be positive")
		}
		return c, nil
	}, nil
}

func printFiles(w io.Writer, dir string, files []synth.File) {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintf(tw, "file\tkind\trows\n")
	for _, f := range files {
		fmt.Fprintf(tw, "%s\t%s\t%d\n", filepath.Join(dir, f.Name), f.Kind, f.Rows)
	}
	tw.Flush()
}
