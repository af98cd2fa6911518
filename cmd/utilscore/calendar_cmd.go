package main

import (
	"context"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/utilscore/utilscore/store"
)

const calendarUsage = `[--from DATE --to DATE] [START END]

Lists the days from --from to --to with whether each is a working day, and prints the
working time between two instants START and END (e.g. "2024-09-30 12:00"), in working
days, computed by the same SQL the metrics use. Instants without an offset are read
in --tz.`

func runCalendar(ctx context.Context, args []string, out, errOut io.Writer) error {
	fs := newFlags("calendar", calendarUsage, errOut)
	tz := fs.String("tz", store.DefaultTimeZone, "time zone of instants without an offset")
	calFile := fs.String("calendar", "", "calendar file (date,is_workday,note) that overrides and extends the built-in holidays")
	from := fs.String("from", "", "first day to list (2024-10-01)")
	to := fs.String("to", "", "last day to list (default: --from)")
	pos, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 0 && len(pos) != 2 {
		return usagef("give two instants, START and END, or none")
	}
	if *from == "" && len(pos) == 0 {
		return usagef("give --from (and --to) to list days, or START END for the working time between them")
	}
	db, err := store.Open(ctx, ":memory:", store.Options{TimeZone: *tz, CalendarFile: *calFile})
	if err != nil {
		return err
	}
	defer db.Close()
	if *from != "" {
		if *to == "" {
			*to = *from
		}
		if err := listDays(ctx, db, *from, *to, out); err != nil {
			return err
		}
	}
	if len(pos) == 2 {
		var wd float64
		var start, end string
		err := db.QueryRowContext(ctx, `
			WITH t AS (SELECT try_cast(? AS TIMESTAMPTZ) AS a, try_cast(? AS TIMESTAMPTZ) AS b)
			SELECT working_days(ci, a, b), strftime(a, '%Y-%m-%d %H:%M %Z'), strftime(b, '%Y-%m-%d %H:%M %Z') FROM t, calendar_index ci`,
			pos[0], pos[1]).Scan(&wd, &start, &end)
		if err != nil {
			if strings.Contains(err.Error(), "NULL") {
				return usagef("START and END must be instants like \"2024-09-30 12:00\"")
			}
			return err
		}
		fmt.Fprintf(out, "%s → %s: %s working days\n", start, end, formatWD(wd))
	}
	return nil
}

func listDays(ctx context.Context, db *store.DB, from, to string, out io.Writer) error {
	f, err := time.Parse("2006-01-02", from)
	if err != nil {
		return usagef("--from %q is not a date like 2024-10-01", from)
	}
	t, err := time.Parse("2006-01-02", to)
	if err != nil {
		return usagef("--to %q is not a date like 2024-10-14", to)
	}
	for _, d := range []time.Time{f, t} {
		if _, err := db.Calendar.Day(d); err != nil {
			return err
		}
	}
	rows, err := db.QueryContext(ctx, `SELECT day::VARCHAR, dayname(day), is_workday, coalesce(note, '')
		FROM calendar WHERE day BETWEEN ?::DATE AND ?::DATE ORDER BY day`, from, to)
	if err != nil {
		return err
	}
	defer rows.Close()
	workdays := 0
	for rows.Next() {
		var day, weekday, note string
		var work bool
		if err := rows.Scan(&day, &weekday, &work, &note); err != nil {
			return err
		}
		kind := "day off"
		if work {
			kind = "working day"
			workdays++
		}
		fmt.Fprintf(out, "%s  %-9s  %-11s  %s\n", day, weekday, kind, note)
	}
	fmt.Fprintf(out, "%d working days from %s to %s\n", workdays, from, to)
	return rows.Err()
}

// formatWD prints working days without float noise (0.75, not 0.7500000001).
func formatWD(wd float64) string {
	s := fmt.Sprintf("%.6f", wd)
	s = strings.TrimRight(strings.TrimRight(s, "0"), ".")
	if s == "-0" {
		s = "0"
	}
	return s
}
