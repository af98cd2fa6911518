-- Views shared by the metrics and the integrity audit.

-- exact_term(x): a DOUBLE term of a published sum or mean (working days, hours,
-- customer-hours, cubic metres) as a fixed-point number of 18 decimals, so that the
-- sum is taken in 128-bit integers: exact, and the same whatever order DuckDB's
-- threads and joins meet the rows, without sorting them. Rounding a term at 1e-18 is
-- far below any published digit; a term or a sum of 10^20 or more is refused
-- (no figure comes near: a city's yearly water input is about 10^9 m3).
CREATE OR REPLACE MACRO exact_term(x) AS x::DECIMAL(38, 18);

-- case_stages: every case with its stage times, where a stage missing from the case
-- row is taken from the stage events (spec/inputs.md, kind 2), and its customer pause
-- in working days: the case row's suspended_days when it gives one, else the sum of
-- the logged pauses, each 'suspended' event paired with the next 'resumed' one. A
-- pause never resumed is not counted: its end is unknown.
CREATE OR REPLACE VIEW case_stages AS
WITH events AS (
    SELECT utility, case_id,
        min(occurred_at) FILTER (stage = 'accepted')           AS accepted_at,
        min(occurred_at) FILTER (stage = 'surveyed')           AS surveyed_at,
        min(occurred_at) FILTER (stage = 'plan_replied')       AS plan_replied_at,
        min(occurred_at) FILTER (stage = 'contract')           AS contract_at,
        min(occurred_at) FILTER (stage = 'approval_submitted') AS approval_submitted_at,
        min(occurred_at) FILTER (stage = 'approval_granted')   AS approval_granted_at,
        min(occurred_at) FILTER (stage = 'works_started')      AS works_started_at,
        min(occurred_at) FILTER (stage = 'works_completed')    AS works_completed_at,
        min(occurred_at) FILTER (stage = 'inspected')          AS inspected_at,
        min(occurred_at) FILTER (stage = 'connected')          AS connected_at,
        min(occurred_at) FILTER (stage = 'closed')             AS closed_at
    FROM case_events
    GROUP BY utility, case_id
), pause_events AS (
    SELECT utility, case_id, stage, occurred_at,
        lead(stage) OVER w AS next_stage, lead(occurred_at) OVER w AS next_at
    FROM case_events
    WHERE stage IN ('suspended', 'resumed')
    WINDOW w AS (PARTITION BY utility, case_id ORDER BY occurred_at)
), logged_pauses AS (
    SELECT utility, case_id, sum(working_days(ci, occurred_at, next_at)) AS pause_wd
    FROM pause_events, calendar_index ci
    WHERE stage = 'suspended' AND next_stage = 'resumed'
    GROUP BY utility, case_id
)
SELECT c.* REPLACE (
        coalesce(c.accepted_at, e.accepted_at)                     AS accepted_at,
        coalesce(c.surveyed_at, e.surveyed_at)                     AS surveyed_at,
        coalesce(c.plan_replied_at, e.plan_replied_at)             AS plan_replied_at,
        coalesce(c.contract_at, e.contract_at)                     AS contract_at,
        coalesce(c.approval_submitted_at, e.approval_submitted_at) AS approval_submitted_at,
        coalesce(c.approval_granted_at, e.approval_granted_at)     AS approval_granted_at,
        coalesce(c.works_started_at, e.works_started_at)           AS works_started_at,
        coalesce(c.works_completed_at, e.works_completed_at)       AS works_completed_at,
        coalesce(c.inspected_at, e.inspected_at)                   AS inspected_at,
        coalesce(c.connected_at, e.connected_at)                   AS connected_at,
        coalesce(c.closed_at, e.closed_at)                         AS closed_at),
    coalesce(c.suspended_days, p.pause_wd, 0) AS pause_wd,
    -- The area type of the case's district (metrics.md H10), else the case's own.
    coalesce(d.area_type, c.area_type)::VARCHAR AS district_area_type
FROM cases c
LEFT JOIN events e USING (utility, case_id)
LEFT JOIN logged_pauses p USING (utility, case_id)
LEFT JOIN (SELECT district, any_value(area_type) AS area_type FROM districts GROUP BY district) d ON d.district = c.district;

-- target_covers(t, c): whether a policy target t (a row of the temporary
-- _case_targets: utility, classes, low_risk, external_works, business_types, joint,
-- online, channels, capacity range, enterprise sizes, area types; NULL = any) covers
-- case c (a row of case_stages).
-- One definition for the targets' own figures and for the open-case limits.
CREATE OR REPLACE MACRO target_covers(t, c) AS
        (t.utility IS NULL OR c.utility::VARCHAR = t.utility)
    AND (t.classes IS NULL OR list_contains(t.classes, c.customer_class::VARCHAR))
    AND (t.low_risk IS NULL OR c.is_low_risk = t.low_risk)
    AND (t.external_works IS NULL OR c.has_external_works = t.external_works)
    AND (t.business_types IS NULL OR list_contains(t.business_types, c.business_type::VARCHAR))
    AND (t.joint IS NULL OR (c.joint_id IS NOT NULL) = t.joint)
    AND (t.online IS NULL OR coalesce(c.channel IN ('online', 'app', 'joint_window', 'pre_service'), false) = t.online)
    AND (t.channels IS NULL OR list_contains(t.channels, c.channel::VARCHAR))
    AND (t.max_capacity IS NULL OR c.capacity <= t.max_capacity)
    -- Eligibility filters of spec v2 (metrics.md H10). A capacity in kVA is read as kW.
    AND (t.min_capacity IS NULL OR c.capacity >= t.min_capacity)
    AND (t.enterprise_sizes IS NULL OR list_contains(t.enterprise_sizes, c.enterprise_size::VARCHAR))
    AND (t.area_types IS NULL OR list_contains(t.area_types, c.district_area_type));

-- stage_at(c, stage): the time of a named stage of case c (any *_at column of
-- inputs.md, named without _at), for targets that name their clock (metrics.md H4).
CREATE OR REPLACE MACRO stage_at(c, stage) AS
    CASE stage
        WHEN 'applied'              THEN c.applied_at
        WHEN 'accepted'             THEN c.accepted_at
        WHEN 'survey_agreed'        THEN c.survey_agreed_at
        WHEN 'survey_scheduled_for' THEN c.survey_scheduled_for
        WHEN 'surveyed'             THEN c.surveyed_at
        WHEN 'plan_replied'         THEN c.plan_replied_at
        WHEN 'contract'             THEN c.contract_at
        WHEN 'approval_submitted'   THEN c.approval_submitted_at
        WHEN 'approval_granted'     THEN c.approval_granted_at
        WHEN 'works_started'        THEN c.works_started_at
        WHEN 'works_completed'      THEN c.works_completed_at
        WHEN 'inspection_requested' THEN c.inspection_requested_at
        WHEN 'inspected'            THEN c.inspected_at
        WHEN 'agreed_connection'    THEN c.agreed_connection_at
        WHEN 'connected'            THEN c.connected_at
        WHEN 'closed'               THEN c.closed_at
    END;

-- The clocks of a whole case, from its application to its connection: the open cases
-- past their deadline are counted (A9) and listed (超期工单) on these.
CREATE OR REPLACE MACRO is_whole_case_clock(metric) AS
    list_contains(['connection_time', 'connection_time_excl_works', 'telecom_connection_hours'], metric);

-- The per-case time metrics: each case is judged once against their limits (H1).
CREATE OR REPLACE MACRO is_clock(metric) AS
    list_contains(['connection_time', 'connection_time_excl_works', 'utility_time', 'telecom_connection_hours',
                   'plan_reply_time', 'approval_time', 'works_time', 'hookup_time', 'survey_time',
                   'survey_agreement_time', 'stage_time'], metric);

-- The clock of a per-case time metric: where it starts and where it ends, in the
-- stages of case_stages (spec/metrics.md A, H4, H5, H7). One definition for the
-- judgement of each case against its limit and the open-case list. A stage_time
-- target names its own stages.
CREATE OR REPLACE MACRO clock_start(c, metric, from_stage) AS
    CASE WHEN from_stage IS NOT NULL THEN stage_at(c, from_stage)
         ELSE CASE metric
            WHEN 'plan_reply_time' THEN coalesce(c.accepted_at, c.applied_at)
            WHEN 'approval_time'   THEN c.approval_submitted_at
            WHEN 'works_time'      THEN coalesce(c.approval_granted_at, c.works_started_at)
            WHEN 'hookup_time'     THEN c.inspected_at
            ELSE c.applied_at
         END
    END;
CREATE OR REPLACE MACRO clock_end(c, metric, to_stage) AS
    CASE WHEN to_stage IS NOT NULL THEN stage_at(c, to_stage)
         ELSE CASE metric
            WHEN 'plan_reply_time'       THEN c.plan_replied_at
            WHEN 'approval_time'         THEN c.approval_granted_at
            WHEN 'works_time'            THEN c.works_completed_at
            WHEN 'survey_time'           THEN c.surveyed_at
            WHEN 'survey_agreement_time' THEN c.survey_agreed_at
            ELSE c.connected_at
         END
    END;
-- The customer's own time inside a clock, not counted: the external works of an
-- "excluding works" limit; for 合计办电时间 (H5) the time from the plan (else the
-- contract) to the customer's request for the completion inspection.
CREATE OR REPLACE MACRO clock_gap_from(c, metric) AS
    CASE metric
        WHEN 'connection_time_excl_works' THEN c.works_started_at
        WHEN 'utility_time' THEN CASE WHEN c.inspection_requested_at IS NOT NULL THEN coalesce(c.plan_replied_at, c.contract_at) END
    END;
CREATE OR REPLACE MACRO clock_gap_to(c, metric) AS
    CASE metric
        WHEN 'connection_time_excl_works' THEN c.works_completed_at
        WHEN 'utility_time' THEN CASE WHEN coalesce(c.plan_replied_at, c.contract_at) IS NOT NULL THEN c.inspection_requested_at END
    END;
-- Only the whole-case clocks take customer pauses off; with the customer's own time
-- logged as a gap, 合计办电时间 does not take them off again (H5).
CREATE OR REPLACE MACRO clock_pause(c, metric) AS
    CASE WHEN metric IN ('connection_time', 'connection_time_excl_works') THEN c.pause_wd
         WHEN metric = 'utility_time' AND (c.inspection_requested_at IS NULL OR coalesce(c.plan_replied_at, c.contract_at) IS NULL) THEN c.pause_wd
         ELSE 0
    END;

-- A connected case's own value of each per-case metric (spec/metrics.md A) that is
-- more than a column of the case, ci being calendar_index: one macro each, which the
-- figures call directly and case_value below by a target's metric. (Calling
-- case_value with a constant name instead binds every branch of it for every column:
-- seconds of planning a query.)
CREATE OR REPLACE MACRO connection_time_of(ci, c) AS
    greatest(working_days(ci, c.applied_at, c.connected_at) - c.pause_wd, 0);
CREATE OR REPLACE MACRO connection_time_excl_works_of(ci, c) AS
    greatest(connection_time_of(ci, c) - coalesce(working_days(ci, c.works_started_at, c.works_completed_at), 0), 0);
CREATE OR REPLACE MACRO telecom_connection_hours_of(c) AS
    seconds_between(c.applied_at, c.connected_at) / 3600.0;
CREATE OR REPLACE MACRO plan_reply_time_of(ci, c) AS
    working_days(ci, coalesce(c.accepted_at, c.applied_at), c.plan_replied_at);
CREATE OR REPLACE MACRO approval_time_of(ci, c) AS
    working_days(ci, c.approval_submitted_at, c.approval_granted_at);
CREATE OR REPLACE MACRO works_time_of(ci, c) AS
    working_days(ci, coalesce(c.approval_granted_at, c.works_started_at), c.works_completed_at);
CREATE OR REPLACE MACRO hookup_time_of(ci, c) AS
    working_days(ci, c.inspected_at, c.connected_at);
CREATE OR REPLACE MACRO survey_time_of(ci, c) AS
    working_days(ci, c.applied_at, c.surveyed_at);
-- 合计办电时间 (H5): the customer's own works, from the plan (else the contract) to the
-- request for the completion inspection, taken off; without that request, the whole
-- time less customer pauses.
CREATE OR REPLACE MACRO utility_time_of(ci, c) AS
    CASE WHEN c.inspection_requested_at IS NOT NULL AND coalesce(c.plan_replied_at, c.contract_at) IS NOT NULL
         THEN greatest(working_days(ci, c.applied_at, c.connected_at)
                       - working_days(ci, coalesce(c.plan_replied_at, c.contract_at), c.inspection_requested_at), 0)
         ELSE connection_time_of(ci, c)
    END;
CREATE OR REPLACE MACRO survey_agreement_time_of(ci, c) AS
    working_days(ci, c.applied_at, c.survey_agreed_at);
CREATE OR REPLACE MACRO materials_at_acceptance_of(c) AS
    coalesce(c.materials_at_application, c.materials);
-- 1 when the customer paid nothing, 0 when something; no fee recorded, no value.
CREATE OR REPLACE MACRO zero_fee_share_of(c) AS
    CASE WHEN c.fee_cny = 0 THEN 1 WHEN c.fee_cny > 0 THEN 0 END;
-- A target that names its clock (H4): from one named stage to another.
CREATE OR REPLACE MACRO stage_time_of(ci, c, from_stage, to_stage) AS
    working_days(ci, stage_at(c, from_stage), stage_at(c, to_stage));

-- case_value(ci, c, metric, from_stage, to_stage): a connected case's own value of a
-- per-case metric, as a target on that metric reads it: its figure and its records in
-- the drill-downs. The figures by group call the macros above column by column
-- (TestFiguresAreMeansOfCaseValue holds the two together).
CREATE OR REPLACE MACRO case_value(ci, c, metric, from_stage, to_stage) AS
    CASE metric
        WHEN 'connection_time' THEN connection_time_of(ci, c)
        WHEN 'connection_time_excl_works' THEN connection_time_excl_works_of(ci, c)
        WHEN 'telecom_connection_hours' THEN telecom_connection_hours_of(c)
        WHEN 'plan_reply_time' THEN plan_reply_time_of(ci, c)
        WHEN 'approval_time' THEN approval_time_of(ci, c)
        WHEN 'works_time' THEN works_time_of(ci, c)
        WHEN 'hookup_time' THEN hookup_time_of(ci, c)
        WHEN 'survey_time' THEN survey_time_of(ci, c)
        WHEN 'procedures' THEN c.procedures
        WHEN 'materials' THEN c.materials
        WHEN 'visits' THEN c.visits
        WHEN 'zero_fee_share' THEN zero_fee_share_of(c)
        WHEN 'utility_time' THEN utility_time_of(ci, c)
        WHEN 'survey_agreement_time' THEN survey_agreement_time_of(ci, c)
        WHEN 'materials_at_acceptance' THEN materials_at_acceptance_of(c)
        WHEN 'fee' THEN c.fee_cny
        WHEN 'meter_fee' THEN c.meter_fee_cny
        WHEN 'stage_time' THEN stage_time_of(ci, c, from_stage, to_stage)
    END;

-- A ticket's judgement (spec/metrics.md D, H2), one definition for its figures
-- (metrics/tickets.sql) and its drill-downs (drill.sql): when it ended (an enquiry by
-- its answer, else its closure), its limit in working days by kind, the last day it
-- may end (by elapsed time for a fractional limit or under the elapsed rule, else by
-- the legal count), whether it ended within the limit, and whether it is still
-- pending: open and not yet past that day at the data cut-off.
CREATE OR REPLACE MACRO ticket_end(kind, responded_at, closed_at) AS
    CASE kind WHEN 'enquiry' THEN coalesce(responded_at, closed_at) ELSE closed_at END;
CREATE OR REPLACE MACRO ticket_limit_wd(kind, complaint_wd, repair_wd) AS
    CASE kind WHEN 'complaint' THEN complaint_wd WHEN 'repair' THEN repair_wd ELSE 0 END;
CREATE OR REPLACE MACRO ticket_deadline(ci, received_at, limit_wd, rule, office_close) AS
    CASE WHEN by_elapsed(limit_wd, rule) THEN elapsed_deadline_day(ci, received_at, limit_wd)
         ELSE legal_deadline(ci, received_at, limit_wd, 0, office_close) END;
CREATE OR REPLACE MACRO ticket_in_time(ci, received_at, ended_at, limit_wd, rule, office_close, office_hours) AS
    within_limit(ci, received_at, ended_at, limit_wd, 0, working_days(ci, received_at, ended_at), rule, office_close, office_hours);
CREATE OR REPLACE MACRO ticket_pending(ended_at, cutoff_at, deadline_day) AS
    ended_at IS NULL AND cutoff_at < (deadline_day + 1)::TIMESTAMPTZ;

-- data_cutoff: where each utility's data of each input kind ends (spec/metrics.md H3,
-- H12): the latest recorded_at of its cases, else the latest stage they carry; for a
-- kind without recorded_at, the latest time its records carry. Never the wall clock or
-- a load time, so a figure recomputed later comes out the same. Reports print it as
-- 数据截至.
CREATE OR REPLACE VIEW data_cutoff AS
SELECT utility::VARCHAR AS utility, 'cases' AS kind,
    coalesce(max(recorded_at), max(greatest(applied_at, connected_at, closed_at))) AS cutoff_at
FROM cases GROUP BY utility
UNION ALL
SELECT utility::VARCHAR, 'tickets', max(greatest(received_at, responded_at, closed_at)) FROM tickets GROUP BY utility
UNION ALL
SELECT utility::VARCHAR, 'outages', max(greatest(start_at, end_at, notified_at)) FROM outages GROUP BY utility
UNION ALL
SELECT utility::VARCHAR, 'evaluations', max(greatest(rated_at, rectified_at)) FROM evaluations GROUP BY utility;
