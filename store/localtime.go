package store

import (
	"fmt"
	"time"

	"github.com/utilscore/utilscore/calendar"
	sqlfiles "github.com/utilscore/utilscore/sql"
)

// calendarMacros is the script that defines the working-time macros for cal:
// local_time first, then sql/calendar.sql, which is written in terms of it.
func calendarMacros(cal *calendar.Calendar) string {
	return localTimeMacro(cal) + sqlfiles.Calendar
}

// localTimeMargin is how far before the calendar's first day and after its last the
// zone must keep its offset for local_time to add it: an instant outside the span
// then still falls on a date the calendar does not know, whatever its true offset,
// and the working-time macros refuse it as they refuse any unknown date.
const localTimeMargin = 2 * 24 * time.Hour

// localTimeMacro defines local_time(t), the wall-clock time of the instant t in the
// calendar's time zone. DuckDB's time-zone cast looks the zone up for every value,
// and the working-time macros take it several times per instant; where the zone
// keeps one offset over the calendar's span (Asia/Shanghai since 1991), adding that
// offset is the same answer in integer arithmetic, ten times cheaper. The macro names
// t once: a macro argument is copied wherever it appears, and the arguments of the
// working-time macros are often large expressions themselves.
func localTimeMacro(cal *calendar.Calendar) string {
	if offset, fixed := fixedOffset(cal); fixed {
		return fmt.Sprintf("CREATE OR REPLACE MACRO local_time(t) AS make_timestamp(epoch_us(t::TIMESTAMPTZ) + %d);\n",
			int64(offset)*1_000_000)
	}
	return "CREATE OR REPLACE MACRO local_time(t) AS t::TIMESTAMPTZ::TIMESTAMP;\n"
}

// fixedOffset returns the zone's offset from UTC in seconds, and whether it holds
// from localTimeMargin before the calendar's first midnight to localTimeMargin after
// the midnight that closes it.
func fixedOffset(cal *calendar.Calendar) (offset int, fixed bool) {
	from, to := span(cal)
	return calendar.FixedOffset(cal.Location(), from.Add(-localTimeMargin), to.Add(localTimeMargin))
}

// span returns the instants of the calendar's first midnight and of the midnight
// after its last day.
func span(cal *calendar.Calendar) (from, to time.Time) {
	days := cal.Days()
	first, last := days[0].Date, days[len(days)-1].Date.AddDate(0, 0, 1)
	loc := cal.Location()
	return time.Date(first.Year(), first.Month(), first.Day(), 0, 0, 0, 0, loc),
		time.Date(last.Year(), last.Month(), last.Day(), 0, 0, 0, 0, loc)
}
