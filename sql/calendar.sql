-- Elapsed working time (spec/calendar.md), computed by arithmetic on the calendar
-- instead of a loop over days or a join per call.
--
-- Every connection is given the calendar as session variables (store.calendarVariables):
-- calendar_first_day (the first known date, in days since 1970-01-01), and the lists
-- calendar_workdays_before (working days before each day), calendar_is_workday and
-- calendar_workdays (the working days in order), each ending with one entry past the last
-- known day for the midnight that closes the calendar. Read with getvariable(), they are
-- constants of the query, so every macro below is list indexing on plain expressions,
-- which DuckDB evaluates a vector at a time; a look-up in the calendar table made each
-- call a join of its own.
--
-- calendar_utc_offset_us is the time zone's offset from UTC in microseconds when it is
-- the same over every day of the calendar (Asia/Shanghai since 1991), NULL otherwise: a
-- fixed offset places an instant on its local day by addition, where the time-zone cast
-- (which the NULL case uses) costs several times the rest of the macro.

-- local_us(t): the local wall-clock time of the instant t, in microseconds since
-- 1970-01-01 00:00 local. A TIMESTAMP (no zone) or a DATE is read as local time.
CREATE OR REPLACE MACRO local_us(t) AS
    CASE WHEN getvariable('calendar_utc_offset_us') IS NULL THEN epoch_us(t::TIMESTAMPTZ::TIMESTAMP)
         ELSE epoch_us(t::TIMESTAMPTZ) + getvariable('calendar_utc_offset_us') END;

-- local_date(t): the local date of the instant t.
CREATE OR REPLACE MACRO local_date(t) AS DATE '1970-01-01' + (local_us(t) // 86400000000)::INTEGER;

-- cal_position(n): the index in the calendar lists of the day numbered n (days since
-- 1970-01-01); NULL before the first known day (a list index below 1 would count from
-- the end) and, from the list itself, after the entry that closes the calendar.
CREATE OR REPLACE MACRO cal_position(n) AS
    CASE WHEN n >= getvariable('calendar_first_day') THEN (n - getvariable('calendar_first_day'))::INTEGER + 1 END;
CREATE OR REPLACE MACRO cal_day_number(d) AS (d - DATE '1970-01-01');
CREATE OR REPLACE MACRO cal_workdays_before(d) AS
    coalesce(getvariable('calendar_workdays_before')[cal_position(cal_day_number(d))],
             error('the working-day calendar does not know the date ' || d::VARCHAR
                   || '; add its year with a calendar file (date,is_workday,note)'));
CREATE OR REPLACE MACRO cal_is_workday(d) AS getvariable('calendar_is_workday')[cal_position(cal_day_number(d))];

-- working_time_at(t): where the instant t lies on the working-time line, read in the
-- session time zone: wt_days(t) the whole working days before t's date, and wt_us(t)
-- the microseconds of t's date already elapsed when that date is a working day. Days
-- and microseconds are kept apart so that a difference of two instants is exact before
-- its one division. wt_days is NULL when t's date is outside the calendar; of the day
-- past the last known one (its is_workday NULL), only the midnight that closes the
-- calendar can be placed.
--
-- Written as one expression each, with no CASE over the unknown dates and no struct:
-- DuckDB evaluates these a vector at a time, and either form made working_days
-- several times slower.
CREATE OR REPLACE MACRO cal_instant_position(t) AS cal_position(local_us(t) // 86400000000);
CREATE OR REPLACE MACRO wt_days(t) AS
    getvariable('calendar_workdays_before')[cal_instant_position(t)]
    + CASE WHEN getvariable('calendar_is_workday')[cal_instant_position(t)] IS NULL
                AND local_us(t) % 86400000000 <> 0 THEN NULL ELSE 0 END;
CREATE OR REPLACE MACRO wt_us(t) AS
    CASE WHEN getvariable('calendar_is_workday')[cal_instant_position(t)] THEN local_us(t) % 86400000000 ELSE 0 END;

-- working_days(a, b): the part of [a, b) on working days, in days (24 h of a working
-- day = 1). NULL when either end is NULL; an error, not a guess, when an end lies in a
-- year the calendar does not know.
CREATE OR REPLACE MACRO working_days(a, b) AS
    coalesce((wt_days(b) - wt_days(a)) + (wt_us(b) - wt_us(a)) / 86400000000.0,
             CASE WHEN a IS NOT NULL AND b IS NOT NULL
                  THEN error('the working-day calendar does not know the date '
                             || CASE WHEN wt_days(a) IS NULL THEN a ELSE b END::TIMESTAMPTZ::DATE::VARCHAR
                             || '; add its year with a calendar file (date,is_workday,note)') END);

-- Deadlines (spec/calendar.md "Deadlines"): whether one case met an "N 个工作日内"
-- limit is the legal count, not the elapsed time above. Day 0 is the local date of the
-- start and is never counted; the deadline is 24:00 of the N-th working day after it.

-- day_of(t, office_close): the local date an instant belongs to. With an office close
-- (a profile's choice, e.g. 17:30) an instant after it belongs to the next day.
CREATE OR REPLACE MACRO day_of(t, office_close) AS
    CASE WHEN office_close IS NOT NULL AND t::TIMESTAMP::TIME > office_close THEN local_date(t) + 1 ELSE local_date(t) END;

-- deadline_day(day0, n): the date of the n-th working day after day0. n = 0 is the
-- same-day rule: day0 itself when it is a working day, else the next working day
-- (民法典 art. 203 moves a last day that falls on a holiday). The working day whose
-- workdays_before is k is the (k+1)-th of the calendar.
CREATE OR REPLACE MACRO deadline_day(day0, n) AS
    coalesce(getvariable('calendar_workdays')[cal_workdays_before(day0)
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
    getvariable('calendar_workdays')[greatest(ceil(cal_workdays_before(local_date(s))
        + CASE WHEN cal_is_workday(local_date(s)) THEN (local_us(s) % 86400000000) / 86400000000.0 ELSE 0 END
        + wd)::INTEGER - 1, 0) + 1];

-- office_days(a, b, hours): elapsed office time between two instants in working days,
-- for fractional limits (0.5 WD). hours lists the office intervals of a working day as
-- [start, end] seconds after midnight (default 09:00–12:00 and 13:00–18:00, so 8 h =
-- 1 WD); time outside them, and days off, do not count.
CREATE OR REPLACE MACRO office_seconds(t, hours) AS
    list_sum(list_transform(hours, h -> greatest(0, least((local_us(t) % 86400000000) / 1000000.0, h[2]) - h[1])));
CREATE OR REPLACE MACRO office_days(a, b, hours) AS
    CASE WHEN a IS NULL OR b IS NULL THEN NULL
         ELSE cal_workdays_before(local_date(b)) - cal_workdays_before(local_date(a))
              + ((CASE WHEN cal_is_workday(local_date(b)) THEN office_seconds(b, hours) ELSE 0 END)
                 - (CASE WHEN cal_is_workday(local_date(a)) THEN office_seconds(a, hours) ELSE 0 END))
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
