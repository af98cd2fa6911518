-- What every drill-down of the period reads, made once for every target traced after
-- (each target then reads only its own rows). The period, settings and case targets
-- are those of the metrics (_periods, _settings, _case_targets); _case_judgements is
-- judgements.sql's judgement of the cases against the targets to be traced, each case
-- judged once and exactly as the figure judges it (spec/metrics.md H1).

-- case_value(ci, c, metric, from_stage, to_stage): a connected case's own figure on a
-- per-case metric, as the targets' figures in metrics/connection.sql take it.
CREATE OR REPLACE TEMP MACRO case_value(ci, c, metric, from_stage, to_stage) AS
    CASE metric
        WHEN 'connection_time' THEN greatest(working_days(ci, c.applied_at, c.connected_at) - c.pause_wd, 0)
        WHEN 'connection_time_excl_works' THEN greatest(greatest(working_days(ci, c.applied_at, c.connected_at) - c.pause_wd, 0)
            - coalesce(working_days(ci, c.works_started_at, c.works_completed_at), 0), 0)
        WHEN 'telecom_connection_hours' THEN seconds_between(c.applied_at, c.connected_at) / 3600.0
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

-- The cases a drill-down can list, with their stages, taken once from case_stages
-- (which gathers each case's stage events): those connected in the period and those
-- whose time limit was decided in it.
CREATE OR REPLACE TEMP TABLE _drill_cases AS
WITH period AS (
    SELECT start_at, end_at FROM _periods WHERE seq = 0
), decided AS (
    SELECT DISTINCT j.utility, j.case_id
    FROM _case_judgements j, period
    WHERE j.met IS NOT NULL AND j.decided_at >= period.start_at AND j.decided_at < period.end_at
)
SELECT c.*
FROM case_stages c, period
WHERE (c.status = 'connected' AND c.connected_at >= period.start_at AND c.connected_at < period.end_at)
   OR EXISTS (SELECT 1 FROM decided d WHERE d.utility = c.utility::VARCHAR AND d.case_id = c.case_id);

-- The judgements decided in the period, as the share counts them, with what their list
-- shows of the case (area type, phone) and the parts of its clock (pause, gap): a time
-- limit's records are these rows of its target; the drill-downs read no other
-- judgement (a driller that judged alone drops its judgement after this).
CREATE OR REPLACE TEMP TABLE _drill_judged AS
WITH period AS (
    SELECT start_at, end_at FROM _periods WHERE seq = 0
)
SELECT j.target_id, j.utility, j.case_id, j.metric_id, j.district, j.customer_class, c.district_area_type AS area_type,
    j.start_at, j.end_at, j.cancelled, j.cancelled_at, j.cutoff_at, j.elapsed, j.limit_value, j.met, j.deadline_day,
    clock_pause(c, j.metric_id) AS pause_wd,
    clock_gap_from(c, j.metric_id) AS gap_from, clock_gap_to(c, j.metric_id) AS gap_to,
    c.contact_phone
FROM _case_judgements j
JOIN _drill_cases c ON c.utility::VARCHAR = j.utility AND c.case_id = j.case_id, period
WHERE j.met IS NOT NULL AND j.decided_at >= period.start_at AND j.decided_at < period.end_at;
