-- Elapsed working time (spec/calendar.md), computed with two look-ups in the calendar
-- instead of a loop over days.
--
-- calendar_index holds the calendar in one row of lists (the count of working days
-- before each day, whether it is one, and the working days in order). A query that
-- needs working time joins that row once (FROM …, calendar_index ci) and hands it to
-- the macros below, so that every working-time column is list indexing and arithmetic
-- on each row. A correlated look-up in the calendar table, or a subquery per call,
-- costs a join per call instead: ten times the time per row, and hundreds of joins to
-- plan in a query of dozens of working-time columns (docs/scale.md). The row's lists
-- must not travel on: a query selects the columns it needs (x.*), never ci's.
CREATE OR REPLACE TABLE calendar_index AS
SELECT min(day) AS first_day,
    -- The last day the calendar knows; the row after it holds only the midnight that
    -- closes the calendar.
    max(day) FILTER (is_workday IS NOT NULL) AS last_day,
    list(workdays_before ORDER BY day) AS workdays_before,
    list(coalesce(is_workday, false) ORDER BY day) AS is_workday,
    list(day ORDER BY day) FILTER (is_workday) AS workdays
FROM calendar;

CREATE OR REPLACE MACRO cal_position(ci, d) AS
    CASE WHEN d >= ci.first_day THEN (d - ci.first_day)::INTEGER + 1 END;
CREATE OR REPLACE MACRO cal_workdays_before(ci, d) AS
    coalesce(ci.workdays_before[cal_position(ci, d)],
             error('the working-day calendar does not know the date ' || d::VARCHAR
                   || '; add its year with a calendar file (date,is_workday,note)'));
CREATE OR REPLACE MACRO cal_is_workday(ci, d) AS ci.is_workday[cal_position(ci, d)];

-- local_time(t), the wall-clock time of the instant t in the session time zone, is
-- defined before this script by the program (store.localTimeMacro), which knows the
-- zone: where the zone keeps one offset over every day of the calendar (Asia/Shanghai
-- since 1991) it adds that offset, integer arithmetic; elsewhere it is the time-zone
-- cast, t::TIMESTAMP, which costs a time-zone look-up for every value.

-- Where an instant t lies on the working-time line, read in the session time zone
-- (Asia/Shanghai unless configured): the whole working days before t's date
-- (workdays_before_at), and the seconds of t's date already elapsed when that date is
-- a working day (working_seconds_at). Days and seconds are kept apart so that a
-- difference of two instants is exact before its one division.
--
-- known_position(ci, t): t's date's place in the calendar's lists; NULL when the
-- calendar does not know t. The lists end with one day past the last known day: the
-- midnight that closes the calendar, and only that instant, can be placed on it.
CREATE OR REPLACE MACRO known_position(ci, t) AS
    CASE WHEN local_time(t)::DATE <= ci.last_day OR local_time(t) = (ci.last_day + 1)::TIMESTAMP
         THEN cal_position(ci, local_time(t)::DATE) END;
CREATE OR REPLACE MACRO workdays_before_at(ci, t) AS
    coalesce(ci.workdays_before[known_position(ci, t)],
             error('the working-day calendar does not know the date ' || local_time(t)::DATE::VARCHAR
                   || '; add its year with a calendar file (date,is_workday,note)'));
CREATE OR REPLACE MACRO working_seconds_at(ci, t) AS
    CASE WHEN ci.is_workday[cal_position(ci, local_time(t)::DATE)]
         THEN epoch(local_time(t)) - epoch(local_time(t)::DATE::TIMESTAMP) ELSE 0 END;

-- seconds_between(a, b): the seconds from instant a to instant b. Not epoch(b - a):
-- subtracting two TIMESTAMPTZ goes through the ICU calendar and costs a microsecond
-- per value, a hundred times this; and in a zone with summer time its interval counts
-- calendar days, where the clock time elapsed is what is meant.
CREATE OR REPLACE MACRO seconds_between(a, b) AS (epoch_us(b) - epoch_us(a)) / 1000000.0;

-- working_days(ci, a, b): the part of [a, b) on working days, in days (24 h of a
-- working day = 1). NULL when either end is NULL; an error, not a guess, when an end
-- lies in a year the calendar does not know.
CREATE OR REPLACE MACRO working_days(ci, a, b) AS
    CASE WHEN a IS NULL OR b IS NULL THEN NULL
         ELSE (workdays_before_at(ci, b) - workdays_before_at(ci, a))
              + (working_seconds_at(ci, b) - working_seconds_at(ci, a)) / 86400.0
    END;

-- Deadlines (spec/calendar.md "Deadlines"): whether one case met an "N 个工作日内"
-- limit is the legal count, not the elapsed time above. Day 0 is the local date of the
-- start and is never counted; the deadline is 24:00 of the N-th working day after it.

-- day_of(t, office_close): the local date an instant belongs to. With an office close
-- (a profile's choice, e.g. 17:30) an instant after it belongs to the next day.
CREATE OR REPLACE MACRO day_of(t, office_close) AS
    CASE WHEN office_close IS NOT NULL AND local_time(t)::TIME > office_close THEN local_time(t)::DATE + 1 ELSE local_time(t)::DATE END;

-- deadline_day(ci, day0, n): the date of the n-th working day after day0. n = 0 is the
-- same-day rule: day0 itself when it is a working day, else the next working day
-- (民法典 art. 203 moves a last day that falls on a holiday). The working day whose
-- workdays_before is k is the (k+1)-th of the calendar.
CREATE OR REPLACE MACRO deadline_day(ci, day0, n) AS
    coalesce(ci.workdays[cal_workdays_before(ci, day0)
                 + CASE WHEN n = 0 THEN 0 ELSE cal_is_workday(ci, day0)::INTEGER + n - 1 END + 1],
             error('the working-day calendar does not reach the deadline of ' || n::VARCHAR
                   || ' working days after ' || day0::VARCHAR || '; add the next year with a calendar file'));

-- legal_deadline(ci, s, n, pause_wd, office_close): the last date on which an interval
-- started at s still meets a limit of n working days; customer pauses move it by whole
-- working days (rounded up).
CREATE OR REPLACE MACRO legal_deadline(ci, s, n, pause_wd, office_close) AS
    CASE WHEN s IS NULL OR n IS NULL THEN NULL
         ELSE deadline_day(ci, day_of(s, office_close), (n + ceil(greatest(coalesce(pause_wd, 0), 0)))::INTEGER)
    END;

-- days_counted(ci, a, b): the working days after date a up to and including date b, where
-- a b on a day off counts as the next working day (metrics.md H5, a clock with a gap:
-- each part is counted this way and the parts are added).
CREATE OR REPLACE MACRO days_counted(ci, a, b) AS
    (cal_workdays_before(ci, b) + 1) - (cal_workdays_before(ci, a) + cal_is_workday(ci, a)::INTEGER);

-- by_elapsed(n, rule): whether a limit of n working days is counted by elapsed time
-- (its deadline by elapsed_deadline_day, its overrun in elapsed working days): a
-- fractional limit (0.5 WD), or any limit under the profile's rule 'elapsed'; else
-- the legal count of whole days.
CREATE OR REPLACE MACRO by_elapsed(n, rule) AS n <> floor(n) OR rule = 'elapsed';

-- elapsed_deadline_day(ci, s, wd): the date on which wd working days of elapsed time since
-- s run out (the profile's 'elapsed' rule, and fractional limits): the working day
-- within which the working-time line reaches the position of s plus wd.
CREATE OR REPLACE MACRO elapsed_deadline_day(ci, s, wd) AS
    ci.workdays[greatest(ceil(cal_workdays_before(ci, local_time(s)::DATE)
        + CASE WHEN cal_is_workday(ci, local_time(s)::DATE) THEN (epoch(local_time(s)) - epoch(local_time(s)::DATE::TIMESTAMP)) / 86400.0 ELSE 0 END
        + wd)::INTEGER - 1, 0) + 1];

-- office_days(ci, a, b, hours): elapsed office time between two instants in working days,
-- for fractional limits (0.5 WD). hours lists the office intervals of a working day as
-- [start, end] seconds after midnight (default 09:00–12:00 and 13:00–18:00, so 8 h =
-- 1 WD); time outside them, and days off, do not count.
CREATE OR REPLACE MACRO office_seconds(t, hours) AS
    list_sum(list_transform(hours, h -> greatest(0, least(epoch(local_time(t)) - epoch(local_time(t)::DATE::TIMESTAMP), h[2]) - h[1])));
CREATE OR REPLACE MACRO office_days(ci, a, b, hours) AS
    CASE WHEN a IS NULL OR b IS NULL THEN NULL
         ELSE cal_workdays_before(ci, local_time(b)::DATE) - cal_workdays_before(ci, local_time(a)::DATE)
              + ((CASE WHEN cal_is_workday(ci, local_time(b)::DATE) THEN office_seconds(b, hours) ELSE 0 END)
                 - (CASE WHEN cal_is_workday(ci, local_time(a)::DATE) THEN office_seconds(a, hours) ELSE 0 END))
                / list_sum(list_transform(hours, h -> h[2] - h[1]))
    END;

-- within_limit(ci, s, e, n, pause_wd, elapsed_wd, rule, office_close, hours): whether an
-- interval [s, e] met a limit of n working days. A fractional limit is judged on
-- office time; the profile's rule 'elapsed' compares the elapsed working time
-- (elapsed_wd, pauses already taken off); the default 'legal' compares dates. NULL
-- while the interval has no end.
CREATE OR REPLACE MACRO within_limit(ci, s, e, n, pause_wd, elapsed_wd, rule, office_close, hours) AS
    CASE WHEN s IS NULL OR e IS NULL OR n IS NULL THEN NULL
         WHEN n <> floor(n) THEN office_days(ci, s, e, hours) - coalesce(pause_wd, 0) <= n + 1e-9
         WHEN rule = 'elapsed' THEN elapsed_wd <= n + 1e-9
         ELSE day_of(e, office_close) <= legal_deadline(ci, s, n, pause_wd, office_close)
    END;
