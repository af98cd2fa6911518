-- The records behind one target's figure, each judged as the figure judges it, for the
-- drill-down of a missed target: one row per case or ticket the figure counts, with
-- whether it missed. The target is the one row of _drill_target; the period, settings
-- and case targets are those of the metrics (_periods, _settings, _case_targets), and
-- a time limit's cases come from _case_judgements (judgements.sql), so a case is judged
-- exactly once and exactly as the figure judges it (spec/metrics.md H1); their stages
-- come from _drill_cases (drill_cases.sql), kept once for every target.
--
-- value is the record's own figure in the metric's unit (working days for a clock; to
-- the data cut-off for one still open); over, for a record that missed a time limit,
-- how far past its deadline it ended (or stood at the cut-off): by the legal count the
-- whole working days after the deadline day up to the day it ended (超期N个工作日);
-- under the elapsed rule, for a fractional limit or for clock hours, the elapsed time
-- beyond the limit; for any other figure, how far the case's own value exceeds it.

-- case_value(ci, c, metric, from_stage, to_stage): a connected case's own figure on a
-- per-case metric, as the targets' figures in metrics/connection.sql take it.
CREATE OR REPLACE TEMP MACRO case_value(ci, c, metric, from_stage, to_stage) AS
    CASE metric
        WHEN 'connection_time' THEN greatest(working_days(ci, c.applied_at, c.connected_at) - c.pause_wd, 0)
        WHEN 'connection_time_excl_works' THEN greatest(greatest(working_days(ci, c.applied_at, c.connected_at) - c.pause_wd, 0)
            - coalesce(working_days(ci, c.works_started_at, c.works_completed_at), 0), 0)
        WHEN 'telecom_connection_hours' THEN epoch(c.connected_at - c.applied_at) / 3600.0
        WHEN 'plan_reply_time' THEN working_days(ci, coalesce(c.accepted_at, c.applied_at), c.plan_replied_at)
        WHEN 'approval_time' THEN working_days(ci, c.approval_submitted_at, c.approval_granted_at)
        WHEN 'works_time' THEN working_days(ci, coalesce(c.approval_granted_at, c.works_started_at), c.works_completed_at)
        WHEN 'hookup_time' THEN working_days(ci, c.inspected_at, c.connected_at)
        WHEN 'survey_time' THEN working_days(ci, c.applied_at, c.surveyed_at)
        WHEN 'procedures' THEN c.procedures
        WHEN 'materials' THEN c.materials
        WHEN 'visits' THEN c.visits
        WHEN 'zero_fee_share' THEN CASE WHEN c.fee_cny = 0 THEN 1 WHEN c.fee_cny > 0 THEN 0 END
        WHEN 'utility_time' THEN
            CASE WHEN c.inspection_requested_at IS NOT NULL AND coalesce(c.plan_replied_at, c.contract_at) IS NOT NULL
                 THEN greatest(working_days(ci, c.applied_at, c.connected_at)
                               - working_days(ci, coalesce(c.plan_replied_at, c.contract_at), c.inspection_requested_at), 0)
                 ELSE greatest(working_days(ci, c.applied_at, c.connected_at) - c.pause_wd, 0)
            END
        WHEN 'survey_agreement_time' THEN working_days(ci, c.applied_at, c.survey_agreed_at)
        WHEN 'materials_at_acceptance' THEN coalesce(c.materials_at_application, c.materials)
        WHEN 'fee' THEN c.fee_cny
        WHEN 'meter_fee' THEN c.meter_fee_cny
        WHEN 'stage_time' THEN working_days(ci, stage_at(c, from_stage), stage_at(c, to_stage))
    END;

CREATE OR REPLACE TEMP TABLE _drill AS
WITH period AS (
    SELECT start_at, end_at FROM _periods WHERE seq = 0
), settings AS (
    SELECT * FROM _settings
), d AS (
    SELECT * FROM _drill_target
), areas AS (
    SELECT district, any_value(area_type)::VARCHAR AS area_type FROM districts GROUP BY district
), clock_measured AS (
    -- A time limit: the cases judged in the period, as the share counts them.
    SELECT j.utility, j.case_id AS record_id, 'case' AS record_kind, j.district, j.customer_class,
        c.district_area_type AS area_type, j.start_at,
        j.end_at, CASE WHEN j.end_at IS NULL AND j.cancelled THEN j.cancelled_at END AS cancelled_at,
        CASE WHEN j.end_at IS NOT NULL THEN j.elapsed
             WHEN j.metric_id = 'telecom_connection_hours'
                 THEN epoch(coalesce(j.cancelled_at, j.cutoff_at) - j.start_at) / 3600.0
             ELSE greatest(working_days(ci, j.start_at, coalesce(j.cancelled_at, j.cutoff_at)) - clock_pause(c, j.metric_id), 0)
        END AS value,
        j.limit_value, NOT j.met AS missed, j.deadline_day,
        j.metric_id = 'telecom_connection_hours' OR j.limit_value <> floor(j.limit_value) OR s.deadline_rule = 'elapsed' AS by_elapsed,
        coalesce(j.end_at, j.cancelled_at, j.cutoff_at) AS stopped_at, s.office_close,
        clock_pause(c, j.metric_id) AS pause_wd,
        clock_gap_from(c, j.metric_id) AS gap_from, clock_gap_to(c, j.metric_id) AS gap_to,
        c.contact_phone
    FROM _case_judgements j
    JOIN d ON d.target_id = j.target_id
    JOIN _drill_cases c ON c.utility::VARCHAR = j.utility AND c.case_id = j.case_id, period, settings s, calendar_index ci
    WHERE d.source = 'clock' AND j.met IS NOT NULL AND j.decided_at >= period.start_at AND j.decided_at < period.end_at
), clock_cases AS (
    SELECT utility, record_id, record_kind, district, customer_class, area_type, start_at, end_at, cancelled_at,
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
), connected_cases AS (
    -- Any other figure on cases: those connected in the period that the target
    -- covers, less those a narrower target takes (H9), with their own value.
    SELECT c.utility::VARCHAR AS utility, c.case_id AS record_id, 'case' AS record_kind, c.district,
        c.customer_class::VARCHAR AS customer_class, c.district_area_type AS area_type,
        c.applied_at AS start_at, c.connected_at AS end_at, NULL::TIMESTAMPTZ AS cancelled_at,
        case_value(ci, c, t.metric_id, t.from_stage, t.to_stage) AS value,
        -- A median's or a mean's cases are held to the target's threshold.
        CASE WHEN d.statistic = 'share_within' THEN t.limit_value
             WHEN d.statistic IN ('median', 'mean', 'p90', 'max') THEN d.threshold END AS limit_value,
        d.statistic, d.comparison, d.threshold, c.contact_phone
    FROM _drill_cases c
    JOIN _case_targets t ON target_covers(t, c)
    JOIN d ON d.target_id = t.target_id, period, calendar_index ci
    WHERE d.source = 'case' AND c.status = 'connected' AND c.connected_at >= period.start_at AND c.connected_at < period.end_at
      AND NOT EXISTS (SELECT 1 FROM _excluded_cases e WHERE e.target_id = t.target_id AND e.utility = c.utility AND e.case_id = c.case_id)
), ticket_cohort AS (
    -- A ticket rate: the tickets received in the period (metrics.md D), as tickets.sql
    -- judges them.
    SELECT k.utility::VARCHAR AS utility, k.ticket_id AS record_id, k.kind::VARCHAR AS record_kind, k.district,
        k.received_at, k.satisfied, k.contact_phone, c.cutoff_at, d.metric_id,
        CASE k.kind WHEN 'enquiry' THEN coalesce(k.responded_at, k.closed_at) ELSE k.closed_at END AS ended_at,
        CASE k.kind WHEN 'complaint' THEN s.complaint_wd WHEN 'repair' THEN s.repair_wd ELSE 0 END AS limit_wd,
        s.deadline_rule, s.office_close, s.office_hours
    FROM tickets k
    JOIN (SELECT utility, cutoff_at FROM data_cutoff WHERE kind = 'tickets') c ON c.utility = k.utility::VARCHAR, period, settings s, d
    WHERE d.source = 'ticket' AND k.received_at >= period.start_at AND k.received_at < period.end_at
      AND (d.utility IS NULL OR k.utility::VARCHAR = d.utility)
      AND k.kind::VARCHAR = CASE WHEN d.metric_id LIKE 'complaint%' THEN 'complaint'
                                 WHEN d.metric_id LIKE 'repair%' THEN 'repair' ELSE 'enquiry' END
), ticket_deadlines AS (
    SELECT k.*,
        within_limit(ci, received_at, ended_at, limit_wd, 0, working_days(ci, received_at, ended_at), deadline_rule, office_close, office_hours) AS in_time,
        CASE WHEN limit_wd <> floor(limit_wd) OR deadline_rule = 'elapsed' THEN elapsed_deadline_day(ci, received_at, limit_wd)
             ELSE legal_deadline(ci, received_at, limit_wd, 0, office_close) END AS deadline_day
    FROM ticket_cohort k, calendar_index ci
), tickets_judged AS (
    SELECT t.utility, t.record_id, t.record_kind, t.district, NULL::VARCHAR AS customer_class, a.area_type,
        t.received_at AS start_at, t.ended_at AS end_at, NULL::TIMESTAMPTZ AS cancelled_at,
        working_days(ci, t.received_at, coalesce(t.ended_at, t.cutoff_at)) AS value, t.limit_wd AS limit_value,
        CASE t.metric_id
            WHEN 'complaint_satisfied_rate' THEN NOT coalesce(t.satisfied, false)
            WHEN 'complaint_closure_rate' THEN t.ended_at IS NULL
            ELSE NOT coalesce(t.in_time, false)
        END AS missed,
        t.deadline_day, t.limit_wd <> floor(t.limit_wd) OR t.deadline_rule = 'elapsed' AS by_elapsed,
        day_of(coalesce(t.ended_at, t.cutoff_at), t.office_close) AS stop_day, t.contact_phone
    FROM ticket_deadlines t
    LEFT JOIN areas a ON a.district = t.district
    CROSS JOIN calendar_index ci
    -- Open and not yet due is pending, left out of the rates (H2); a satisfaction
    -- rate counts the closed ones only.
    WHERE CASE WHEN t.metric_id = 'complaint_satisfied_rate' THEN t.ended_at IS NOT NULL
               ELSE t.ended_at IS NOT NULL OR t.cutoff_at >= (t.deadline_day + 1)::TIMESTAMPTZ END
), judged AS (
    SELECT * FROM clock_cases
    UNION ALL
    SELECT utility, record_id, record_kind, district, customer_class, area_type, start_at, end_at, cancelled_at,
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
    SELECT utility, record_id, record_kind, district, customer_class, area_type, start_at, end_at, cancelled_at,
        value, limit_value, missed,
        CASE WHEN NOT missed OR deadline_day IS NULL THEN NULL
             WHEN by_elapsed THEN greatest(value - limit_value, 0)
             ELSE greatest(days_counted(ci, deadline_day, stop_day), 0)
        END AS over,
        contact_phone
    FROM tickets_judged, calendar_index ci
)
SELECT * FROM judged;
