-- What every drill-down of the period reads, made once for every target traced after
-- (each target then reads only its own rows). The period, settings and case targets
-- are those of the metrics (_periods, _settings, _case_targets); _case_judgements is
-- judgements.sql's judgement of the cases against the targets to be traced, each case
-- judged once and exactly as the figure judges it (spec/metrics.md H1).

-- The cases a drill-down can list, with their stages, taken once from case_stages
-- (which gathers each case's stage events): those connected in the period and those
-- whose time limit was decided in it.
CREATE OR REPLACE TEMP TABLE _drill_cases AS
WITH period AS (
    SELECT start_at, end_at FROM _periods WHERE seq = 0
), listed AS (
    -- The keys first, then the cases by key: a filter with OR EXISTS on the cases
    -- themselves carried every column of every case through the test.
    SELECT DISTINCT j.utility, j.case_id
    FROM _case_judgements j, period
    WHERE j.met IS NOT NULL AND j.decided_at >= period.start_at AND j.decided_at < period.end_at
    UNION
    SELECT c.utility::VARCHAR, c.case_id
    FROM case_stages c, period
    WHERE c.status = 'connected' AND c.connected_at >= period.start_at AND c.connected_at < period.end_at
)
SELECT c.*
FROM case_stages c
JOIN listed l ON l.utility = c.utility::VARCHAR AND l.case_id = c.case_id;

-- The judgements decided in the period, as the share counts them, with what their list
-- shows of the case (area type, phone) and the parts of its clock (pause, gap): a time
-- limit's records are these rows of its target; the drill-downs read no other
-- judgement (a driller that judged alone drops its judgement after this).
CREATE OR REPLACE TEMP TABLE _drill_judged AS
WITH period AS (
    SELECT start_at, end_at FROM _periods WHERE seq = 0
)
SELECT j.target_id, j.utility, j.case_id, j.metric_id, j.district, j.customer_class, c.district_area_type AS area_type,
    j.start_at, j.end_at, j.cancelled, j.cancelled_at, j.cutoff_at, j.elapsed, j.limit_value, j.in_hours, j.met, j.deadline_day,
    clock_pause(c, j.metric_id) AS pause_wd,
    clock_gap_from(c, j.metric_id) AS gap_from, clock_gap_to(c, j.metric_id) AS gap_to,
    c.contact_phone
FROM _case_judgements j
JOIN _drill_cases c ON c.utility::VARCHAR = j.utility AND c.case_id = j.case_id, period
WHERE j.met IS NOT NULL AND j.decided_at >= period.start_at AND j.decided_at < period.end_at;
