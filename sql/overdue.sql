-- Cases measured against their time limit (spec/metrics.md A9): those open at the end
-- of the period in _periods (seq 0), measured to that moment, and those connected in
-- the period, measured to their connection (finished = true). A case is open when it
-- was applied for before that moment, is neither cancelled nor withdrawn, and was not
-- connected by then. Its limit
-- is the strictest per-case time limit of the profile's targets that cover it
-- (_case_targets with share_within on a time metric); with no profile there is none.
-- Elapsed time is measured as the target's metric measures it: working days less
-- customer pauses (and external works, for an "excluding works" limit), or clock hours
-- for telecom's 72-hour rule.

-- _listable_cases are the cases to measure, each with the moment it is measured to
-- (at_end); a long list measures them in ranges of case_id (caselist.go). One select,
-- not a union of the two kinds: a union of c.* read every column of every case even
-- where only the keys were asked for.
CREATE OR REPLACE TEMP VIEW _listable_cases AS
WITH staged AS (
    SELECT c.*, a.end_at AS as_of_end,
        coalesce(c.status = 'connected' AND c.connected_at >= a.start_at AND c.connected_at < a.end_at, false) AS finished
    FROM case_stages c, (SELECT start_at, end_at FROM _periods WHERE seq = 0) a
)
SELECT * EXCLUDE (as_of_end, finished), CASE WHEN finished THEN connected_at ELSE as_of_end END AS at_end, finished
FROM staged
WHERE finished
   OR (applied_at < as_of_end
       AND status NOT IN ('cancelled', 'withdrawn')
       AND (connected_at IS NULL OR connected_at >= as_of_end));

CREATE OR REPLACE TEMP VIEW _measured_cases AS
WITH measured AS (
    SELECT c.utility, c.case_id, c.customer_class, c.district, c.applied_at, c.finished,
        c.applicant, c.contact_phone,  -- for the internal case lists; the public never sees them
        t.target_id, t.metric_id, t.limit_value,
        CASE WHEN t.in_hours THEN seconds_between(c.applied_at, c.at_end) / 3600.0
            WHEN t.metric_id = 'connection_time_excl_works' THEN greatest(working_days(ci, c.applied_at, c.at_end) - c.pause_wd
                - coalesce(working_days(ci, c.works_started_at, least(coalesce(c.works_completed_at, c.at_end), c.at_end)), 0), 0)
            ELSE greatest(working_days(ci, c.applied_at, c.at_end) - c.pause_wd, 0)
        END AS elapsed
    FROM _listable_cases c
    JOIN _case_targets t
      ON t.statistic = 'share_within'
     AND is_whole_case_clock(t.metric_id)
     AND target_covers(t, c)
    CROSS JOIN calendar_index ci
)
-- The strictest limit, as a share of it used up.
SELECT utility::VARCHAR AS utility, case_id, customer_class::VARCHAR AS customer_class, district, applied_at, finished,
    applicant, contact_phone,
    arg_max(target_id, elapsed / nullif(limit_value, 0)) AS target_id,
    arg_max(metric_id, elapsed / nullif(limit_value, 0)) AS metric_id,
    arg_max(elapsed, elapsed / nullif(limit_value, 0)) AS elapsed,
    arg_max(limit_value, elapsed / nullif(limit_value, 0)) AS limit_value,
    max(elapsed / nullif(limit_value, 0)) AS used
FROM measured
GROUP BY ALL;

CREATE OR REPLACE TEMP VIEW _open_cases AS SELECT * EXCLUDE (finished) FROM _measured_cases WHERE NOT finished;
