-- The cases a drill-down of the period can list, with their stages, taken once from
-- case_stages (which gathers each case's stage events) for every target traced after:
-- those connected in the period and those whose time limit was decided in it.
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
