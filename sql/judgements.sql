-- The judgement is kept for a whole run (metrics/judged.go): {{excluded}} and {{judged}}
-- stand for the names of its two tables, which the caller gives and reads through the
-- views _excluded_cases and _case_judgements.

-- The cases a target leaves to a narrower target on the same metric (metrics.md H9),
-- found once: a join of the few target pairs with the cases, not a subquery per case.
-- Targets are paired with the utilities and customer classes they may cover by an
-- equality (a hash join) before the rest of their filter is tested: with the filter
-- alone, every case met every target in a nested loop; paired by utility alone, each
-- case met every target of its utility (on the benchmark's million cases, 6.5 million
-- pairs for 2.2 million judgements; by class, 4.6 million).
CREATE OR REPLACE TEMP MACRO targets_by_class() AS TABLE
SELECT t.*, u.utility AS covered_utility, k.customer_class AS covered_class
FROM _case_targets t,
    (SELECT unnest(enum_range(NULL::utility_code)) AS utility) u,
    (SELECT unnest(enum_range(NULL::customer_class_code)) AS customer_class) k
WHERE (t.utility IS NULL OR t.utility = u.utility::VARCHAR)
  AND (t.classes IS NULL OR list_contains(t.classes, k.customer_class::VARCHAR));

CREATE TABLE {{excluded}} AS
SELECT t.target_id, c.utility, c.case_id
FROM _case_targets t
JOIN targets_by_class() x ON list_contains(t.excludes, x.target_id)
JOIN case_stages c ON x.covered_utility = c.utility AND x.covered_class = c.customer_class AND target_covers(x, c);

-- Cases judged once (spec/metrics.md H1): one row per case and share_within time
-- target covering it, with its deadline and, once decided, met or missed and the
-- instant it was decided: its end when it ended by the deadline; else the start of
-- its deadline's last day, whether it ended later, is still open past the deadline at
-- the data cut-off, or finished without the stage that stops its clock (H4). A case
-- cancelled or withdrawn before its deadline is never judged; an open one not yet past
-- it is undecided (met is NULL): it belongs to the open-case list.
CREATE TABLE {{judged}} AS
WITH settings AS (
    SELECT * FROM _settings
), cutoff AS (
    SELECT utility, cutoff_at FROM data_cutoff WHERE kind = 'cases'
), clocked AS (
    SELECT c.utility::VARCHAR AS utility, c.case_id, c.customer_class::VARCHAR AS customer_class, c.district,
        c.applied_at,
        t.target_id, t.metric_id, t.limit_value,
        clock_start(c, t.metric_id, t.from_stage) AS start_at,
        -- A cancelled or withdrawn case's clock never ended, whatever its stages say.
        CASE WHEN c.status NOT IN ('cancelled', 'withdrawn') THEN clock_end(c, t.metric_id, t.to_stage) END AS end_at,
        -- A customer who asked for a later date is not late before it (H4, agreed).
        CASE WHEN t.agreed IS NOT NULL THEN stage_at(c, t.agreed) END AS agreed_at,
        clock_pause(c, t.metric_id) AS pause_wd,
        -- The customer's own external works, a gap in an "excluding works" clock.
        clock_gap_from(c, t.metric_id) AS gap_from,
        clock_gap_to(c, t.metric_id) AS gap_to,
        c.status IN ('cancelled', 'withdrawn') AS cancelled,
        -- When it was cancelled; unknown, it cannot be shown to lie after the deadline.
        CASE WHEN c.status IN ('cancelled', 'withdrawn') THEN coalesce(c.closed_at, c.recorded_at) END AS cancelled_at,
        c.status = 'connected' AS finished,
        k.cutoff_at,
        t.in_hours
    FROM case_stages c
    JOIN targets_by_class() t
      ON t.covered_utility = c.utility AND t.covered_class = c.customer_class
     AND t.statistic = 'share_within'
     AND is_clock(t.metric_id)
     AND target_covers(t, c)
    -- A case a narrower target on the same metric covers is judged there (H9).
    ANTI JOIN {{excluded}} e ON e.target_id = t.target_id AND e.utility = c.utility AND e.case_id = c.case_id
    JOIN cutoff k ON k.utility = c.utility::VARCHAR
), spans AS (
    -- Each working-time span in a column of its own, combined below: measured faster
    -- than the same calls inside the CASE that chooses between them.
    SELECT clocked.*,
        working_days(ci, gap_from, gap_to) AS gap_span_wd,
        working_days(ci, start_at, end_at) AS span_wd
    FROM clocked, calendar_index ci
    WHERE start_at IS NOT NULL  -- no start stage: not judged (H4)
), measured AS (
    SELECT * EXCLUDE (gap_span_wd, span_wd),
        coalesce(gap_span_wd, 0) AS gap_wd,
        CASE WHEN in_hours THEN seconds_between(start_at, end_at) / 3600.0
             ELSE greatest(span_wd - pause_wd - coalesce(gap_span_wd, 0), 0)
        END AS elapsed
    FROM spans
), limited AS (
    SELECT m.*, s.deadline_rule, s.office_close, s.office_hours,
        CASE WHEN in_hours THEN (start_at + to_seconds(limit_value * 3600))::DATE
             WHEN by_elapsed(limit_value, s.deadline_rule) THEN elapsed_deadline_day(ci, start_at, limit_value + pause_wd + gap_wd)
             ELSE legal_deadline(ci, start_at, limit_value + ceil(gap_wd), pause_wd, s.office_close)
        END AS limit_day
    FROM measured m, settings s, calendar_index ci
), deadlined AS (
    SELECT l.*,
        greatest(limit_day, agreed_at::DATE) AS deadline_day,
        CASE WHEN end_at IS NULL THEN NULL
             WHEN agreed_at IS NOT NULL AND day_of(end_at, office_close) <= agreed_at::DATE THEN true
             WHEN in_hours THEN elapsed <= limit_value + 1e-9
             -- A clock with a gap, legal rule: each part counted in whole days (H5).
             WHEN gap_from IS NOT NULL AND gap_to IS NOT NULL AND NOT by_elapsed(limit_value, deadline_rule)
                 THEN days_counted(ci, day_of(start_at, office_close), day_of(gap_from, office_close))
                      + days_counted(ci, day_of(gap_to, office_close), day_of(end_at, office_close))
                      <= limit_value + ceil(greatest(pause_wd, 0))
             ELSE within_limit(ci, start_at, end_at, limit_value, pause_wd, elapsed, deadline_rule, office_close, office_hours)
        END AS ended_within
    FROM limited l, calendar_index ci
), decided AS (
SELECT utility, case_id, customer_class, district, applied_at,
    target_id, metric_id, limit_value, in_hours, start_at, end_at, elapsed, deadline_day, cutoff_at, finished,
    cancelled, cancelled_at,
    CASE WHEN ended_within THEN true
         WHEN end_at IS NOT NULL THEN false
         WHEN cancelled THEN CASE WHEN cancelled_at >= (deadline_day + 1)::TIMESTAMPTZ THEN false END
         WHEN finished OR (deadline_day + 1)::TIMESTAMPTZ <= cutoff_at THEN false
    END AS met,
    CASE WHEN ended_within THEN end_at
         WHEN end_at IS NOT NULL THEN deadline_day::TIMESTAMPTZ
         WHEN cancelled THEN CASE WHEN cancelled_at >= (deadline_day + 1)::TIMESTAMPTZ THEN deadline_day::TIMESTAMPTZ END
         WHEN finished OR (deadline_day + 1)::TIMESTAMPTZ <= cutoff_at THEN deadline_day::TIMESTAMPTZ
    END AS decided_at
FROM deadlined
)
-- Kept: what the periods of _judge_window can read (no bounds: every period). A row is
-- read where it was decided, and by the open-case counts when it may be open at a
-- period's end: applied before it and not ended before it or the cut-off
-- (connection.sql's open_at then tests the exact moment). Every case is still judged;
-- only the rows written are fewer.
SELECT d.*
FROM decided d, _judge_window w
WHERE w.start_at IS NULL
   OR (d.decided_at >= w.start_at AND d.decided_at < w.end_at)
   OR (d.applied_at < w.end_at AND (d.end_at IS NULL OR d.end_at >= least(w.start_at, d.cutoff_at)));
