-- Views shared by the metrics and the integrity audit.

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
    SELECT utility, case_id, sum(working_days(occurred_at, next_at)) AS pause_wd
    FROM pause_events
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
    coalesce(c.suspended_days, p.pause_wd, 0) AS pause_wd
FROM cases c
LEFT JOIN events e USING (utility, case_id)
LEFT JOIN logged_pauses p USING (utility, case_id);

-- target_covers(t, c): whether a policy target t (a row of the temporary
-- _case_targets: utility, classes, low_risk, external_works, business_types, joint,
-- online, channels, max_capacity; NULL = any) covers case c (a row of case_stages).
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
    AND (t.max_capacity IS NULL OR c.capacity <= t.max_capacity);
