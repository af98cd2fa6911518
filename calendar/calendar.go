// Package calendar knows which days are working days (工作日) in mainland China and
// measures elapsed working time between two instants, as spec/calendar.md defines it.
//
// The built-in data covers the years of the State Council's holiday notices that the
// project ships; a user file in the same date,is_workday,note form overrides days and
// adds years. Metrics do not call this package row by row: they join the table that
// Days produces (see sql/calendar.sql). Go code that must place times on the calendar,
// such as the data generator, uses the same data through this package.
package calendar

import (
	_ "embed"
	"fmt"
	"math"
	"sort"
	"strings"
	"time"
)

//go:embed holidays-cn.csv
var builtinCSV string

// noticeYears are the years whose State Council notice is in holidays-cn.csv.
// A year outside them (and outside any user file) is unknown: durations touching it fail.
var noticeYears = []int{2019, 2020, 2021, 2022, 2023, 2024, 2025, 2026}

// Entry is one dated line of a calendar file: a holiday, a make-up working day or a
// local rule.
type Entry struct {
	Date      time.Time // midnight UTC of the civil date
	IsWorkday bool
	Note      string
}

// Day is one day of the calendar table.
type Day struct {
	Date           time.Time // midnight UTC of the civil date
	IsWorkday      bool
	WorkdaysBefore int // working days from the first day of the calendar up to this day
	Note           string
}

// Calendar holds every day of the years it knows, in order.
type Calendar struct {
	first time.Time
	days  []Day
	loc   *time.Location
}

// ErrUnknownYear is wrapped by errors about instants outside the calendar's years.
var ErrUnknownYear = fmt.Errorf("the working-day calendar does not know this year")

// BuiltIn returns the calendar of the shipped years, interpreting instants in loc.
func BuiltIn(loc *time.Location) (*Calendar, error) {
	return New(loc, nil)
}

// New builds the calendar from the built-in data with overrides applied on top:
// an override for a day replaces the built-in entry, and any year an override
// mentions becomes known.
func New(loc *time.Location, overrides []Entry) (*Calendar, error) {
	builtin, err := ParseEntries(strings.NewReader(builtinCSV), "built-in holidays-cn.csv")
	if err != nil {
		return nil, err
	}
	years := map[int]bool{}
	for _, y := range noticeYears {
		years[y] = true
	}
	byDate := map[time.Time]Entry{}
	for _, e := range builtin {
		byDate[e.Date] = e
	}
	for _, e := range overrides {
		byDate[e.Date] = e
		years[e.Date.Year()] = true
	}

	sorted := make([]int, 0, len(years))
	for y := range years {
		sorted = append(sorted, y)
	}
	sort.Ints(sorted)
	for i := 1; i < len(sorted); i++ {
		if sorted[i] != sorted[i-1]+1 {
			return nil, fmt.Errorf("calendar: the known years must follow each other, but %d is missing between %d and %d; add its days to the calendar file", sorted[i-1]+1, sorted[i-1], sorted[i])
		}
	}

	first := time.Date(sorted[0], 1, 1, 0, 0, 0, 0, time.UTC)
	end := time.Date(sorted[len(sorted)-1]+1, 1, 1, 0, 0, 0, 0, time.UTC)
	cal := &Calendar{first: first, loc: loc}
	before := 0
	for d := first; d.Before(end); d = d.AddDate(0, 0, 1) {
		day := Day{Date: d, WorkdaysBefore: before}
		if e, ok := byDate[d]; ok {
			day.IsWorkday, day.Note = e.IsWorkday, e.Note
		} else {
			day.IsWorkday = d.Weekday() != time.Saturday && d.Weekday() != time.Sunday
		}
		if day.IsWorkday {
			before++
		}
		cal.days = append(cal.days, day)
	}
	return cal, nil
}

// Days returns every day of the calendar, in order.
func (c *Calendar) Days() []Day { return c.days }

// Location is the time zone instants are placed in.
func (c *Calendar) Location() *time.Location { return c.loc }

// FixedOffset reports whether loc keeps one offset from UTC from the instant from to
// the instant to, and that offset in seconds east of UTC. Where it does, a local time
// is an instant plus the offset, which SQL computes without a time-zone look-up per
// value; a change of the zone's name alone counts as a change, which only costs that.
func FixedOffset(loc *time.Location, from, to time.Time) (offset int, fixed bool) {
	at := from.In(loc)
	_, offset = at.Zone()
	_, end := at.ZoneBounds()
	return offset, end.IsZero() || end.After(to)
}

// Years returns the first and last year the calendar knows.
func (c *Calendar) Years() (first, last int) {
	return c.days[0].Date.Year(), c.days[len(c.days)-1].Date.Year()
}

// Day returns the calendar day of a civil date.
func (c *Calendar) Day(date time.Time) (Day, error) {
	d := time.Date(date.Year(), date.Month(), date.Day(), 0, 0, 0, 0, time.UTC)
	i := int(d.Sub(c.first).Hours() / 24)
	if i < 0 || i >= len(c.days) {
		first, last := c.Years()
		return Day{}, fmt.Errorf("%w: %s is outside %d–%d; add the year with a calendar file (date,is_workday,note)", ErrUnknownYear, d.Format("2006-01-02"), first, last)
	}
	return c.days[i], nil
}

// workingTimeAt is the working time, in days, from the calendar's first day to t.
func (c *Calendar) workingTimeAt(t time.Time) (float64, error) {
	local := t.In(c.loc)
	day, err := c.Day(local)
	if err != nil {
		// The midnight that closes the last known day is placed by that day alone.
		prev, perr := c.Day(local.AddDate(0, 0, -1))
		if perr == nil && local.Hour() == 0 && local.Minute() == 0 && local.Second() == 0 && local.Nanosecond() == 0 {
			if prev.IsWorkday {
				return float64(prev.WorkdaysBefore + 1), nil
			}
			return float64(prev.WorkdaysBefore), nil
		}
		return 0, err
	}
	at := float64(day.WorkdaysBefore)
	if day.IsWorkday {
		midnight := time.Date(local.Year(), local.Month(), local.Day(), 0, 0, 0, 0, c.loc)
		at += local.Sub(midnight).Seconds() / 86400
	}
	return at, nil
}

// WorkingDays is the part of [a, b) that falls on working days, in days: 24 hours of a
// working day count 1. It is negative when b is before a.
func (c *Calendar) WorkingDays(a, b time.Time) (float64, error) {
	at, err := c.workingTimeAt(a)
	if err != nil {
		return 0, err
	}
	bt, err := c.workingTimeAt(b)
	if err != nil {
		return 0, err
	}
	return bt - at, nil
}

// AddWorkingDays returns the instant at which wd working days have elapsed since t.
// Time on days off does not count, so the result of adding to an instant on a holiday
// lies on a later working day.
func (c *Calendar) AddWorkingDays(t time.Time, wd float64) (time.Time, error) {
	if wd < 0 {
		return time.Time{}, fmt.Errorf("calendar: cannot add %v working days", wd)
	}
	start, err := c.workingTimeAt(t)
	if err != nil {
		return time.Time{}, err
	}
	target := start + wd
	// The day on which the target falls: the last working day whose start is ≤ target.
	i := sort.Search(len(c.days), func(i int) bool {
		return float64(c.days[i].WorkdaysBefore) > target
	}) - 1
	for i >= 0 && !c.days[i].IsWorkday {
		i--
	}
	if i < 0 || i == len(c.days)-1 && target-float64(c.days[i].WorkdaysBefore) > 1 {
		first, last := c.Years()
		return time.Time{}, fmt.Errorf("%w: adding %v working days to %s leaves %d–%d", ErrUnknownYear, wd, t.Format(time.RFC3339), first, last)
	}
	day := c.days[i]
	offset := time.Duration(math.Round((target - float64(day.WorkdaysBefore)) * 86400 * float64(time.Second)))
	local := time.Date(day.Date.Year(), day.Date.Month(), day.Date.Day(), 0, 0, 0, 0, c.loc).Add(offset)
	if local.Before(t) { // adding zero on a day off stays where it was
		return t, nil
	}
	return local, nil
}
