-- Elapsed working time (spec/calendar.md), computed with two look-ups in the calendar
-- table instead of a loop over days.
--
-- calendar_index holds the calendar as three lists (the count of working days before
-- each day, whether it is one, and the working days in order), so that every deadline
-- below is list indexing on values read once per query, with no join or loop over days.
CREATE OR REPLACE TABLE calendar_index AS
SELECT min(day) AS first_day,
    list(workdays_before ORDER BY day) AS workdays_before,
    list(coalesce(is_workday, false) ORDER BY day) AS is_workday,
    list(day ORDER BY day) FILTER (is_workday) AS workdays
FROM calendar;

CREATE OR REPLACE MACRO cal_position(d) AS
    CASE WHEN d >= (SELECT first_day FROM calendar_index) THEN (d - (SELECT first_day FROM calendar_index))::INTEGER + 1 END;
CREATE OR REPLACE MACRO cal_workdays_before(d) AS
    coalesce((SELECT workdays_before FROM calendar_index)[cal_position(d)],
             error('the working-day calendar does not know the date ' || d::VARCHAR
                   || '; add its year with a calendar file (date,is_workday,note)'));
CREATE OR REPLACE MACRO cal_is_workday(d) AS (SELECT is_workday FROM calendar_index)[cal_position(d)];

-- local_time(t), the wall-clock time of the instant t in the session time zone, is
-- defined before this script by the program (store.localTimeMacro), which knows the
-- zone: where the zone keeps one offset over every day of the calendar (Asia/Shanghai
-- since 1991) it adds that offset, integer arithmetic; elsewhere it is the time-zone
-- cast, t::TIMESTAMP, which costs a time-zone look-up for every value.

-- working_time_at(t): where the instant t lies on the working-time line, read in the
-- session time zone (Asia/Shanghai unless configured): the whole working days before
-- t's date, and the seconds of t's date already elapsed when that date is a working
-- day. Days and seconds are kept apart so that a difference of two instants is exact
-- before its one division. NULL when t's date is outside the calendar.
--
-- The table ends with one row past the last known day (is_workday NULL): the
-- midnight that closes the calendar, and only that instant, can be placed on it.
--
-- A look-up in calendar_index's lists costs a sixth of this correlated one per row,
-- but each list is a subquery of its own, and a query of dozens of working-time
-- columns then plans hundreds of them: a city's report, many small queries, took
-- twice the time. See docs/scale.md.
CREATE OR REPLACE MACRO working_time_at(t) AS (
    SELECT CASE WHEN c.is_workday IS NULL AND local_time(t) <> c.day::TIMESTAMP THEN NULL
                ELSE {'days': c.workdays_before,
                      'seconds': CASE WHEN c.is_workday THEN epoch(local_time(t)) - epoch(c.day::TIMESTAMP) ELSE 0 END}
           END
    FROM calendar c
    WHERE c.day = local_time(t)::DATE
);

-- working_days(a, b): the part of [a, b) on working days, in days (24 h of a working
-- day = 1). NULL when either end is NULL; an error, not a guess, when an end lies in a
-- year the calendar does not know.
CREATE OR REPLACE MACRO working_days(a, b) AS
    CASE WHEN a IS NULL OR b IS NULL THEN NULL
         ELSE (SELECT (wb.days - wa.days) + (wb.seconds - wa.seconds) / 86400.0
               FROM (SELECT coalesce(working_time_at(a),
                         error('the working-day calendar does not know the date ' || local_time(a)::DATE::VARCHAR
                               || '; add its year with a calendar file (date,is_workday,note)')) AS wa,
                            coalesce(working_time_at(b),
                         error('the working-day calendar does not know the date ' || local_time(b)::DATE::VARCHAR
                               || '; add its year with a calendar file (date,is_workday,note)')) AS wb))
    END;

-- Deadlines (spec/calendar.md "Deadlines"): whether one case met an "N 个工作日内"
-- limit is the legal count, not the elapsed time above. Day 0 is the local date of the
-- start and is never counted; the deadline is 24:00 of the N-th working day after it.

-- day_of(t, office_close): the local date an instant belongs to. With an office close
-- (a profile's choice, e.g. 17:30) an instant after it belongs to the next day.
CREATE OR REPLACE MACRO day_of(t, office_close) AS
    CASE WHEN office_close IS NOT NULL AND local_time(t)::TIME > office_close THEN local_time(t)::DATE + 1 ELSE local_time(t)::DATE END;

-- deadline_day(day0, n): the date of the n-th working day after day0. n = 0 is the
-- same-day rule: day0 itself when it is a working day, else the next working day
-- (民法典 art. 203 moves a last day that falls on a holiday). The working day whose
-- workdays_before is k is the (k+1)-th of the calendar.
CREATE OR REPLACE MACRO deadline_day(day0, n) AS
    coalesce((SELECT workdays FROM calendar_index)[cal_workdays_before(day0)
                 + CASE WHEN n = 0 THEN 0 ELSE cal_is_workday(day0)::INTEGER + n - 1 END + 1],
             error('the working-day calendar does not reach the deadline of ' || n::VARCHAR
                   || ' working days after ' || day0::VARCHAR || '; add the next year with a calendar file'));

-- legal_deadline(s, n, pause_wd, office_close): the last date on which an interval
-- started at s still meets a limit of n working days; customer pauses move it by whole
-- working days (rounded up).
CREATE OR REPLACE MACRO legal_deadline(s, n, pause_wd, office_close) AS
    CASE WHEN s IS NULL OR n IS NULL THEN NULL
         ELSE deadline_day(day_of(s, office_close), (n + ceil(greatest(coalesce(pause_wd, 0), 0)))::INTEGER)
    END;

-- days_counted(a, b): the working days after date a up to and including date b, where
-- a b on a day off counts as the next working day (metrics.md H5, a clock with a gap:
-- each part is counted this way and the parts are added).
CREATE OR REPLACE MACRO days_counted(a, b) AS
    (cal_workdays_before(b) + 1) - (cal_workdays_before(a) + cal_is_workday(a)::INTEGER);

-- elapsed_deadline_day(s, wd): the date on which wd working days of elapsed time since
-- s run out (the profile's 'elapsed' rule, and fractional limits): the working day
-- within which the working-time line reaches the position of s plus wd.
CREATE OR REPLACE MACRO elapsed_deadline_day(s, wd) AS
    (SELECT workdays FROM calendar_index)[greatest(ceil(cal_workdays_before(local_time(s)::DATE)
        + CASE WHEN cal_is_workday(local_time(s)::DATE) THEN (epoch(local_time(s)) - epoch(local_time(s)::DATE::TIMESTAMP)) / 86400.0 ELSE 0 END
        + wd)::INTEGER - 1, 0) + 1];

-- office_days(a, b, hours): elapsed office time between two instants in working days,
-- for fractional limits (0.5 WD). hours lists the office intervals of a working day as
-- [start, end] seconds after midnight (default 09:00–12:00 and 13:00–18:00, so 8 h =
-- 1 WD); time outside them, and days off, do not count.
CREATE OR REPLACE MACRO office_seconds(t, hours) AS
    list_sum(list_transform(hours, h -> greatest(0, least(epoch(local_time(t)) - epoch(local_time(t)::DATE::TIMESTAMP), h[2]) - h[1])));
CREATE OR REPLACE MACRO office_days(a, b, hours) AS
    CASE WHEN a IS NULL OR b IS NULL THEN NULL
         ELSE cal_workdays_before(local_time(b)::DATE) - cal_workdays_before(local_time(a)::DATE)
              + ((CASE WHEN cal_is_workday(local_time(b)::DATE) THEN office_seconds(b, hours) ELSE 0 END)
                 - (CASE WHEN cal_is_workday(local_time(a)::DATE) THEN office_seconds(a, hours) ELSE 0 END))
                / list_sum(list_transform(hours, h -> h[2] - h[1]))
    END;

-- within_limit(s, e, n, pause_wd, elapsed_wd, rule, office_close, hours): whether an
-- interval [s, e] met a limit of n working days. A fractional limit is judged on
-- office time; the profile's rule 'elapsed' compares the elapsed working time
-- (elapsed_wd, pauses already taken off); the default 'legal' compares dates. NULL
-- while the interval has no end.
CREATE OR REPLACE MACRO within_limit(s, e, n, pause_wd, elapsed_wd, rule, office_close, hours) AS
    CASE WHEN s IS NULL OR e IS NULL OR n IS NULL THEN NULL
         WHEN n <> floor(n) THEN office_days(s, e, hours) - coalesce(pause_wd, 0) <= n + 1e-9
         WHEN rule = 'elapsed' THEN elapsed_wd <= n + 1e-9
         ELSE day_of(e, office_close) <= legal_deadline(s, n, pause_wd, office_close)
    END;
