// Package metrics computes the figures of spec/metrics.md from the utilscore database.
// Every figure is a query in sql/metrics; this package chooses the period, runs the
// queries and returns their rows in the shape of the metrics contract (spec/outputs.md).
package metrics

import (
	"fmt"
	"regexp"
	"strconv"
	"time"
)

// Period is a quarter (2024Q3), a year (2024) or a month (2024-07), in a time zone.
type Period struct {
	Label      string
	Start, End time.Time // [Start, End)
	Months     int
	Kind       string // "quarter", "year" or "month"
}

var (
	quarterRe = regexp.MustCompile(`^(\d{4})Q([1-4])$`)
	yearRe    = regexp.MustCompile(`^(\d{4})$`)
	monthRe   = regexp.MustCompile(`^(\d{4})-(0[1-9]|1[0-2])$`)
)

// ParsePeriod reads 2024Q3, 2024 or 2024-07.
func ParsePeriod(s string, loc *time.Location) (Period, error) {
	atoi := func(x string) int { n, _ := strconv.Atoi(x); return n }
	switch {
	case quarterRe.MatchString(s):
		m := quarterRe.FindStringSubmatch(s)
		start := time.Date(atoi(m[1]), time.Month(3*atoi(m[2])-2), 1, 0, 0, 0, 0, loc)
		return Period{Label: s, Start: start, End: start.AddDate(0, 3, 0), Months: 3, Kind: "quarter"}, nil
	case yearRe.MatchString(s):
		start := time.Date(atoi(s), 1, 1, 0, 0, 0, 0, loc)
		return Period{Label: s, Start: start, End: start.AddDate(1, 0, 0), Months: 12, Kind: "year"}, nil
	case monthRe.MatchString(s):
		m := monthRe.FindStringSubmatch(s)
		start := time.Date(atoi(m[1]), time.Month(atoi(m[2])), 1, 0, 0, 0, 0, loc)
		return Period{Label: s, Start: start, End: start.AddDate(0, 1, 0), Months: 1, Kind: "month"}, nil
	}
	return Period{}, fmt.Errorf("period %q: write a quarter (2024Q3), a year (2024) or a month (2024-07)", s)
}

// Previous returns the period n steps before p, of the same kind.
func (p Period) Previous(n int) Period {
	start := p.Start.AddDate(0, -p.Months*n, 0)
	q := Period{Start: start, End: start.AddDate(0, p.Months, 0), Months: p.Months, Kind: p.Kind}
	switch p.Kind {
	case "quarter":
		q.Label = fmt.Sprintf("%dQ%d", start.Year(), (int(start.Month())-1)/3+1)
	case "year":
		q.Label = strconv.Itoa(start.Year())
	default:
		q.Label = start.Format("2006-01")
	}
	return q
}

// Hours is the length of the period in hours (2 208 for a third quarter).
func (p Period) Hours() float64 { return p.End.Sub(p.Start).Hours() }

// cover is the span from the earlier start of p and q to the later end.
func (p Period) cover(q Period) Period {
	if q.Start.Before(p.Start) {
		p.Start = q.Start
	}
	if q.End.After(p.End) {
		p.End = q.End
	}
	return p
}
