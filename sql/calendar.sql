-- Elapsed working time (spec/calendar.md), computed with two look-ups in the calendar
-- table instead of a loop over days.
--
-- working_time_at(t): working days from the calendar's first day to the instant t,
-- read in the session time zone (Asia/Shanghai unless configured): the working days
-- before t's date, plus the elapsed fraction of t's date when that date is a working day.
-- NULL when t's date is outside the calendar.
CREATE OR REPLACE MACRO working_time_at(t) AS (
    SELECT c.workdays_before
         + CASE WHEN c.is_workday
                THEN (epoch(t::TIMESTAMP) - epoch(c.day::TIMESTAMP)) / 86400.0
                ELSE 0 END
    FROM calendar c
    WHERE c.day = t::DATE
);

-- working_days(a, b): the part of [a, b) on working days, in days (24 h of a working
-- day = 1). NULL when either end is NULL; an error, not a guess, when an end lies in a
-- year the calendar does not know.
CREATE OR REPLACE MACRO working_days(a, b) AS
    CASE WHEN a IS NULL OR b IS NULL THEN NULL
         ELSE coalesce(working_time_at(b),
                       error('the working-day calendar does not know the date ' || b::DATE::VARCHAR
                             || '; add its year with a calendar file (date,is_workday,note)'))
            - coalesce(working_time_at(a),
                       error('the working-day calendar does not know the date ' || a::DATE::VARCHAR
                             || '; add its year with a calendar file (date,is_workday,note)'))
    END;
