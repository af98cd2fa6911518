-- The records behind the figures of missed targets, each judged as the figure judges
-- it, for their drill-down: one row per target and case or ticket the figure counts,
-- with whether it missed. The targets are the rows of _drill_target, each under its
-- target_no, all traced in this one statement (a statement per target planned the
-- same long query again for each, most of its time); the period, settings
-- and case targets are those of the metrics (_periods, _settings, _case_targets); a
-- time limit's cases are its judgements decided in the period (_drill_judged), so a
-- case is judged exactly once and exactly as the figure judges it (spec/metrics.md H1);
-- the stages of any other case come from _drill_cases. Both are made once for every
-- target (drill_cases.sql).
--
-- value is the record's own figure in the metric's unit (working days for a clock; to
-- the data cut-off for one still open); over, for a record that missed a time limit,
-- how far past its deadline it ended (or stood at the cut-off): by the legal count the
-- whole working days after the deadline day up to the day it ended (超期N个工作日);
-- under the elapsed rule, for a fractional limit or for clock hours, the elapsed time
-- beyond the limit; for any other figure, how far the case's own value exceeds it.
--
-- The targets' records are gathered (MATERIALIZED) before the calendar is joined: the
-- calendar's one row carries long lists, and a plan that joined it below the records'
-- joins copied those lists into every row of a hash table, ten times slower.
CREATE OR REPLACE TEMP TABLE _drill AS
WITH period AS (
    SELECT start_at, end_at FROM _periods WHERE seq = 0
), settings AS (
    SELECT * FROM _settings
), d AS (
    SELECT * FROM _drill_target
), areas AS (
    SELECT district, any_value(area_type)::VARCHAR AS area_type FROM districts GROUP BY district
), clock_rows AS MATERIALIZED (
    -- A time limit: its cases judged in the period, as the share counts them.
    SELECT d.target_no, j.*
    FROM _drill_judged j
    JOIN d ON d.target_id = j.target_id
    WHERE d.source = 'clock'
), clock_measured AS (
    SELECT j.target_no, j.utility, j.case_id AS record_id, 'case' AS record_kind, j.district, j.customer_class,
        j.area_type, j.start_at,
        j.end_at, CASE WHEN j.end_at IS NULL AND j.cancelled THEN j.cancelled_at END AS cancelled_at,
        CASE WHEN j.end_at IS NOT NULL THEN j.elapsed
             WHEN j.in_hours
                 THEN seconds_between(j.start_at, coalesce(j.cancelled_at, j.cutoff_at)) / 3600.0
             ELSE greatest(working_days(ci, j.start_at, coalesce(j.cancelled_at, j.cutoff_at)) - j.pause_wd, 0)
        END AS value,
        j.limit_value, NOT j.met AS missed, j.deadline_day,
        j.in_hours OR by_elapsed(j.limit_value, s.deadline_rule) AS by_elapsed,
        coalesce(j.end_at, j.cancelled_at, j.cutoff_at) AS stopped_at, s.office_close,
        j.pause_wd, j.gap_from, j.gap_to, j.contact_phone
    FROM clock_rows j, settings s, calendar_index ci
), clock_cases AS (
    SELECT target_no, utility, record_id, record_kind, district, customer_class, area_type, start_at, end_at, cancelled_at,
        value, limit_value, missed,
        CASE WHEN NOT missed OR value IS NULL THEN NULL
             WHEN by_elapsed THEN greatest(value - limit_value, 0)
             -- The legal count in whole working days, as the case was judged: a clock
             -- with a gap counts its two parts (H5), any other the days after its deadline.
             WHEN gap_from IS NOT NULL AND gap_to IS NOT NULL AND end_at IS NOT NULL
                 THEN greatest(days_counted(ci, day_of(start_at, office_close), day_of(gap_from, office_close))
                      + days_counted(ci, day_of(gap_to, office_close), day_of(end_at, office_close))
                      - (limit_value + ceil(greatest(pause_wd, 0))), 0)
             ELSE greatest(days_counted(ci, deadline_day, day_of(stopped_at, office_close)), 0)
        END AS over,
        contact_phone
    FROM clock_measured, calendar_index ci
), case_target AS MATERIALIZED (
    -- Any other figure on cases: the target's filter, found before the cases meet it.
    SELECT t.*, d.target_no, d.statistic AS d_statistic, d.comparison AS d_comparison, d.threshold AS d_threshold
    FROM _case_targets t
    JOIN d ON d.target_id = t.target_id
    WHERE d.source = 'case'
), covered AS MATERIALIZED (
    -- The cases connected in the period that the target covers, less those a narrower
    -- target takes (H9).
    SELECT c.*, t.target_no, t.target_id AS t_target_id, t.metric_id AS t_metric_id, t.from_stage AS t_from_stage,
        t.to_stage AS t_to_stage, t.limit_value AS t_limit_value, t.d_statistic, t.d_comparison, t.d_threshold
    FROM case_target t
    JOIN _drill_cases c ON target_covers(t, c), period
    WHERE c.status = 'connected' AND c.connected_at >= period.start_at AND c.connected_at < period.end_at
      AND NOT EXISTS (SELECT 1 FROM _excluded_cases e WHERE e.target_id = t.target_id AND e.utility = c.utility AND e.case_id = c.case_id)
), connected_cases AS (
    -- Each with its own value.
    SELECT c.target_no, c.utility::VARCHAR AS utility, c.case_id AS record_id, 'case' AS record_kind, c.district,
        c.customer_class::VARCHAR AS customer_class, c.district_area_type AS area_type,
        c.applied_at AS start_at, c.connected_at AS end_at, NULL::TIMESTAMPTZ AS cancelled_at,
        case_value(ci, c, c.t_metric_id, c.t_from_stage, c.t_to_stage) AS value,
        -- A median's or a mean's cases are held to the target's threshold.
        CASE WHEN c.d_statistic = 'share_within' THEN c.t_limit_value
             WHEN c.d_statistic IN ('median', 'mean', 'p90', 'max') THEN c.d_threshold END AS limit_value,
        c.d_statistic AS statistic, c.d_comparison AS comparison, c.d_threshold AS threshold, c.contact_phone
    FROM covered c, calendar_index ci
), ticket_cohort AS MATERIALIZED (
    -- A ticket rate: the tickets received in the period (metrics.md D), as tickets.sql
    -- judges them.
    SELECT d.target_no, k.utility::VARCHAR AS utility, k.ticket_id AS record_id, k.kind::VARCHAR AS record_kind, k.district,
        k.received_at, k.satisfied, k.contact_phone, c.cutoff_at, d.metric_id,
        ticket_end(k.kind, k.responded_at, k.closed_at) AS ended_at,
        ticket_limit_wd(k.kind, s.complaint_wd, s.repair_wd) AS limit_wd,
        s.deadline_rule, s.office_close, s.office_hours
    FROM tickets k
    JOIN (SELECT utility, cutoff_at FROM data_cutoff WHERE kind = 'tickets') c ON c.utility = k.utility::VARCHAR, period, settings s, d
    WHERE d.source = 'ticket' AND k.received_at >= period.start_at AND k.received_at < period.end_at
      AND (d.utility IS NULL OR k.utility::VARCHAR = d.utility)
      AND k.kind::VARCHAR = CASE WHEN d.metric_id LIKE 'complaint%' THEN 'complaint'
                                 WHEN d.metric_id LIKE 'repair%' THEN 'repair' ELSE 'enquiry' END
), ticket_deadlines AS (
    SELECT k.*,
        ticket_in_time(ci, received_at, ended_at, limit_wd, deadline_rule, office_close, office_hours) AS in_time,
        ticket_deadline(ci, received_at, limit_wd, deadline_rule, office_close) AS deadline_day
    FROM ticket_cohort k, calendar_index ci
), tickets_judged AS (
    SELECT t.target_no, t.utility, t.record_id, t.record_kind, t.district, NULL::VARCHAR AS customer_class, a.area_type,
        t.received_at AS start_at, t.ended_at AS end_at, NULL::TIMESTAMPTZ AS cancelled_at,
        working_days(ci, t.received_at, coalesce(t.ended_at, t.cutoff_at)) AS value, t.limit_wd AS limit_value,
        CASE t.metric_id
            WHEN 'complaint_satisfied_rate' THEN NOT coalesce(t.satisfied, false)
            WHEN 'complaint_closure_rate' THEN t.ended_at IS NULL
            ELSE NOT coalesce(t.in_time, false)
        END AS missed,
        t.deadline_day, by_elapsed(t.limit_wd, t.deadline_rule) AS by_elapsed,
        day_of(coalesce(t.ended_at, t.cutoff_at), t.office_close) AS stop_day, t.contact_phone
    FROM ticket_deadlines t
    LEFT JOIN areas a ON a.district = t.district
    CROSS JOIN calendar_index ci
    -- Open and not yet due is pending, left out of the rates (H2); a satisfaction
    -- rate counts the closed ones only.
    WHERE CASE WHEN t.metric_id = 'complaint_satisfied_rate' THEN t.ended_at IS NOT NULL
               ELSE NOT ticket_pending(t.ended_at, t.cutoff_at, t.deadline_day) END
), judged AS (
    SELECT * FROM clock_cases
    UNION ALL
    SELECT target_no, utility, record_id, record_kind, district, customer_class, area_type, start_at, end_at, cancelled_at,
        value, limit_value, missed,
        CASE WHEN missed AND value IS NOT NULL AND limit_value IS NOT NULL THEN greatest(value - limit_value, 0) END AS over,
        contact_phone
    FROM (
        SELECT *,
            CASE WHEN statistic = 'share_within' THEN value IS NULL OR value > limit_value + 1e-9
                 WHEN statistic = 'rate' THEN value IS NULL OR value <> 1
                 -- A median or a mean: the cases on the wrong side of the threshold.
                 WHEN comparison = '<=' THEN value > threshold + 1e-9
                 ELSE value < threshold - 1e-9
            END AS missed
        FROM connected_cases)
    UNION ALL
    SELECT target_no, utility, record_id, record_kind, district, customer_class, area_type, start_at, end_at, cancelled_at,
        value, limit_value, missed,
        CASE WHEN NOT missed OR deadline_day IS NULL THEN NULL
             WHEN by_elapsed THEN greatest(value - limit_value, 0)
             ELSE greatest(days_counted(ci, deadline_day, stop_day), 0)
        END AS over,
        contact_phone
    FROM tickets_judged, calendar_index ci
)
SELECT * FROM judged;
