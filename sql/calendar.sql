-- Elapsed working time (spec/calendar.md), computed with two look-ups in the calendar
-- table instead of a loop over days.
--
-- working_time_at(t): where the instant t lies on the working-time line, read in the
-- session time zone (Asia/Shanghai unless configured): the whole working days before
-- t's date, and the seconds of t's date already elapsed when that date is a working
-- day. Days and seconds are kept apart so that a difference of two instants is exact
-- before its one division. NULL when t's date is outside the calendar.
--
-- The table ends with one row past the last known day (is_workday NULL): the
-- midnight that closes the calendar, and only that instant, can be placed on it.
CREATE OR REPLACE MACRO working_time_at(t) AS (
    SELECT CASE WHEN c.is_workday IS NULL AND t::TIMESTAMP <> c.day::TIMESTAMP THEN NULL
                ELSE {'days': c.workdays_before,
                      'seconds': CASE WHEN c.is_workday THEN epoch(t::TIMESTAMP) - epoch(c.day::TIMESTAMP) ELSE 0 END}
           END
    FROM calendar c
    WHERE c.day = t::DATE
);

-- working_days(a, b): the part of [a, b) on working days, in days (24 h of a working
-- day = 1). NULL when either end is NULL; an error, not a guess, when an end lies in a
-- year the calendar does not know.
CREATE OR REPLACE MACRO working_days(a, b) AS
    CASE WHEN a IS NULL OR b IS NULL THEN NULL
         ELSE (SELECT (wb.days - wa.days) + (wb.seconds - wa.seconds) / 86400.0
               FROM (SELECT coalesce(working_time_at(a),
                         error('the working-day calendar does not know the date ' || a::DATE::VARCHAR
                               || '; add its year with a calendar file (date,is_workday,note)')) AS wa,
                            coalesce(working_time_at(b),
                         error('the working-day calendar does not know the date ' || b::DATE::VARCHAR
                               || '; add its year with a calendar file (date,is_workday,note)')) AS wb))
    END;
