// Command casescsv writes the generator's cases as one CSV of N rows, the input both
// sides of the peer benchmark read.
//
//	go run ./bench/peer/casescsv OUT.csv N
package main

import (
	"fmt"
	"os"
	"strconv"
	"time"

	"github.com/utilscore/utilscore/calendar"
	"github.com/utilscore/utilscore/store"
	"github.com/utilscore/utilscore/synth"
)

func main() {
	if len(os.Args) != 3 {
		fmt.Fprintln(os.Stderr, "usage: casescsv OUT.csv ROWS")
		os.Exit(2)
	}
	n, err := strconv.Atoi(os.Args[2])
	if err != nil || n <= 0 {
		fmt.Fprintf(os.Stderr, "casescsv: %q is not a positive number of rows\n", os.Args[2])
		os.Exit(2)
	}
	loc, err := time.LoadLocation(store.DefaultTimeZone)
	if err != nil {
		fmt.Fprintln(os.Stderr, "casescsv:", err)
		os.Exit(1)
	}
	cal, err := calendar.BuiltIn(loc)
	if err != nil {
		fmt.Fprintln(os.Stderr, "casescsv:", err)
		os.Exit(1)
	}
	if err := synth.CasesCSV(synth.DefaultConfig(cal), os.Args[1], n); err != nil {
		fmt.Fprintln(os.Stderr, "casescsv:", err)
		os.Exit(1)
	}
}
