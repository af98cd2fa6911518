-- Integrity findings (spec/metrics.md F): working cases outside the system and
-- filling stages in afterwards. One row per finding: utility, case_id, rule, stage,
-- detail. Cases in scope: any whose application, connection or latest record falls in
-- the period (_periods seq 0). The detail names times and stages, never the
-- applicant, phone or address.
CREATE OR REPLACE TEMP VIEW _audit_findings AS
WITH period AS (
    SELECT start_at, end_at FROM _periods WHERE seq = 0
), scoped AS (
    SELECT c.* FROM cases c, period p
    WHERE (c.applied_at >= p.start_at AND c.applied_at < p.end_at)
       OR (c.connected_at >= p.start_at AND c.connected_at < p.end_at)
       OR (c.recorded_at >= p.start_at AND c.recorded_at < p.end_at)
), stage_times AS MATERIALIZED (
    -- One row per stage time given; UNPIVOT leaves out the stages not reached.
    SELECT utility, case_id, replace(stage_column, '_at', '') AS stage,
        list_position(['applied_at', 'accepted_at', 'surveyed_at', 'plan_replied_at', 'contract_at', 'approval_submitted_at',
                       'approval_granted_at', 'works_started_at', 'works_completed_at', 'inspected_at', 'connected_at', 'closed_at'],
                      stage_column) AS ord,
        stage_at
    FROM (UNPIVOT (SELECT utility, case_id, applied_at, accepted_at, surveyed_at, plan_replied_at, contract_at, approval_submitted_at,
                          approval_granted_at, works_started_at, works_completed_at, inspected_at, connected_at, closed_at FROM scoped)
          ON applied_at, accepted_at, surveyed_at, plan_replied_at, contract_at, approval_submitted_at, approval_granted_at,
             works_started_at, works_completed_at, inspected_at, connected_at, closed_at
          INTO NAME stage_column VALUE stage_at)
), ordered AS (
    -- Each stage reached paired with the one reached before it, in the order of the
    -- stages: list arithmetic on each case's row, where a window over the stage times
    -- would sort them all.
    SELECT utility, case_id, unnest(list_filter(
            list_transform(range(2, len(reached) + 1),
                i -> {'stage': reached[i].stage, 'stage_at': reached[i].at, 'prev_stage': reached[i - 1].stage, 'prev_at': reached[i - 1].at}),
            p -> p.stage_at < p.prev_at), recursive := true)
    FROM (
        SELECT utility, case_id, list_filter([
                {'stage': 'applied', 'at': applied_at}, {'stage': 'accepted', 'at': accepted_at},
                {'stage': 'surveyed', 'at': surveyed_at}, {'stage': 'plan_replied', 'at': plan_replied_at},
                {'stage': 'contract', 'at': contract_at}, {'stage': 'approval_submitted', 'at': approval_submitted_at},
                {'stage': 'approval_granted', 'at': approval_granted_at}, {'stage': 'works_started', 'at': works_started_at},
                {'stage': 'works_completed', 'at': works_completed_at}, {'stage': 'inspected', 'at': inspected_at},
                {'stage': 'connected', 'at': connected_at}, {'stage': 'closed', 'at': closed_at}],
            s -> s.at IS NOT NULL) AS reached
        FROM scoped)
), versions AS (
    -- Every version of a case ever loaded, oldest record first.
    SELECT utility, case_id, recorded_at, load_id,
        [applied_at, accepted_at, surveyed_at, plan_replied_at, contract_at, approval_submitted_at, approval_granted_at,
         works_started_at, works_completed_at, inspected_at, connected_at, closed_at] AS times
    FROM (SELECT * EXCLUDE (superseded_by_load) FROM case_history UNION ALL SELECT * FROM cases)
    WHERE (utility, case_id) IN (SELECT (utility, case_id) FROM scoped)
), versioned AS (
    SELECT *, row_number() OVER (PARTITION BY utility, case_id ORDER BY recorded_at NULLS FIRST, load_id) AS version,
        lag(times) OVER (PARTITION BY utility, case_id ORDER BY recorded_at NULLS FIRST, load_id) AS earlier_times
    FROM versions
), stage_names AS (
    SELECT ['applied', 'accepted', 'surveyed', 'plan_replied', 'contract', 'approval_submitted', 'approval_granted',
            'works_started', 'works_completed', 'inspected', 'connected', 'closed'] AS names
)
-- audit_out_of_order: a stage carries an earlier time than the stage before it.
SELECT utility::VARCHAR AS utility, case_id, 'audit_out_of_order' AS rule, stage,
    stage || ' ' || strftime(stage_at, '%Y-%m-%d %H:%M') || ' is before ' || prev_stage || ' ' || strftime(prev_at, '%Y-%m-%d %H:%M') AS detail
FROM ordered
UNION ALL
-- audit_backfilled, events: recorded more than the allowed working days after they occurred.
SELECT e.utility::VARCHAR, e.case_id, 'audit_backfilled', e.stage::VARCHAR,
    'event ' || e.stage::VARCHAR || ' of ' || strftime(e.occurred_at, '%Y-%m-%d %H:%M') || ' recorded '
    || round(working_days(ci, e.occurred_at, e.recorded_at), 1)::VARCHAR || ' working days later'
FROM case_events e, period p, calendar_index ci
WHERE e.occurred_at >= p.start_at AND e.occurred_at < p.end_at
  -- Clock time is never shorter than working time: only a gap longer than the window
  -- in clock time needs the calendar.
  AND seconds_between(e.occurred_at, e.recorded_at) > (SELECT backfill_wd FROM _settings) * 86400
  AND working_days(ci, e.occurred_at, e.recorded_at) > (SELECT backfill_wd FROM _settings)
UNION ALL
-- audit_backfilled, case rows: the first version is written after its latest stage; a
-- later version adds a stage that happened before it was recorded. Candidates are found
-- on clock time first, then judged on working time.
SELECT utility::VARCHAR, case_id, 'audit_backfilled', stage,
    stage || ' of ' || strftime(stage_at, '%Y-%m-%d %H:%M') || ' first recorded '
    || round(working_days(ci, stage_at, recorded_at), 1)::VARCHAR || ' working days later'
FROM (
    SELECT v.utility, v.case_id, n.names[i] AS stage, v.times[i] AS stage_at, v.recorded_at
    FROM versioned v, stage_names n, generate_series(1, 12) AS g(i)
    WHERE v.recorded_at IS NOT NULL AND v.times[i] IS NOT NULL
      AND CASE WHEN v.version = 1 THEN v.times[i] = list_max(v.times) ELSE v.earlier_times[i] IS NULL END
      AND seconds_between(v.times[i], v.recorded_at) > (SELECT backfill_wd FROM _settings) * 86400
) candidates, calendar_index ci
WHERE working_days(ci, stage_at, recorded_at) > (SELECT backfill_wd FROM _settings)
UNION ALL
-- audit_reapplied: a cancelled or withdrawn case, then a new one of the same utility,
-- applicant and address within 30 days: the clock restarted (重走流程).
SELECT n.utility::VARCHAR, n.case_id, 'audit_reapplied', 'applied',
    'applied ' || strftime(n.applied_at, '%Y-%m-%d') || ', ' || (n.applied_at::DATE - o.applied_at::DATE)::VARCHAR
    || ' days after case ' || o.case_id || ' of the same applicant and address, since ' || o.status::VARCHAR
FROM scoped n JOIN cases o
  ON o.utility = n.utility AND o.applicant = n.applicant AND o.address = n.address AND o.case_id <> n.case_id
 AND o.status IN ('cancelled', 'withdrawn')
 AND n.applied_at > o.applied_at
 AND n.applied_at <= coalesce(o.closed_at, o.recorded_at, o.applied_at) + INTERVAL 30 DAY
UNION ALL
-- audit_future: a time later than the moment its file was loaded.
SELECT s.utility::VARCHAR, s.case_id, 'audit_future', s.stage,
    s.stage || ' ' || strftime(s.stage_at, '%Y-%m-%d %H:%M') || ' is after the load of ' || l.file_name || ' at ' || strftime(l.finished_at, '%Y-%m-%d %H:%M')
FROM stage_times s JOIN scoped c USING (utility, case_id) JOIN loads l ON l.load_id = c.load_id
WHERE s.stage_at > l.finished_at
UNION ALL
-- audit_missing_stage: a connected case without its connection time, or without a
-- stage its kind of case requires.
-- The missing stages are a list on each case's row, unnested: a lateral join here cost
-- a join of the cases with themselves on every column the rule reads.
SELECT utility::VARCHAR, case_id, 'audit_missing_stage', stage, 'connected case without ' || stage || '_at'
FROM (
    SELECT utility, case_id, unnest(list_filter([
        CASE WHEN connected_at IS NULL THEN 'connected' END,
        CASE WHEN has_external_works AND works_completed_at IS NULL THEN 'works_completed' END,
        CASE WHEN has_external_works AND approval_granted_at IS NULL THEN 'approval_granted' END,
        CASE WHEN customer_class IN ('hv_single', 'hv_dual') AND plan_replied_at IS NULL THEN 'plan_replied' END,
        CASE WHEN customer_class IN ('hv_single', 'hv_dual') AND inspected_at IS NULL THEN 'inspected' END
    ], s -> s IS NOT NULL)) AS stage
    FROM scoped
    WHERE status = 'connected')
UNION ALL
-- audit_event_conflict: a stage time given both in the case row and as an event, and
-- they disagree (spec/inputs.md, kind 2).
SELECT s.utility::VARCHAR, s.case_id, 'audit_event_conflict', s.stage,
    s.stage || ' is ' || strftime(s.stage_at, '%Y-%m-%d %H:%M') || ' in the case row but '
    || strftime(e.occurred_at, '%Y-%m-%d %H:%M') || ' in the events'
FROM stage_times s
JOIN (SELECT utility, case_id, stage::VARCHAR AS stage, min(occurred_at) AS occurred_at FROM case_events GROUP BY ALL) e
  ON e.utility = s.utility AND e.case_id = s.case_id AND e.stage = s.stage
WHERE e.occurred_at <> s.stage_at;
