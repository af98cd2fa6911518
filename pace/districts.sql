-- Each district's part in an area type's interruptions, month by month: its
-- customer-hours and its customers, for the districts behind an interruption target
-- at risk. The target's own figure comes from sql/metrics/outages.sql, whose rows hold
-- no district by area type; this splits the same interruptions among the districts,
-- counted as that query counts them: the kinds of _outage_kinds (metrics.md H8),
-- planned and fault. Parameter: the month boundaries, as instants with their offset,
-- the first month's start to the last month's end.
WITH bounds AS (
    SELECT b::TIMESTAMPTZ AS start_at, lead(b::TIMESTAMPTZ) OVER (ORDER BY b::TIMESTAMPTZ) AS end_at,
        row_number() OVER (ORDER BY b::TIMESTAMPTZ) - 1 AS seq
    FROM unnest(?::VARCHAR[]) AS t(b)
), base AS (
    SELECT c.utility::VARCHAR AS utility, c.district, c.area_type::VARCHAR AS area_type, b.seq, sum(c.customers) AS customers
    FROM customer_base c JOIN bounds b ON c.month >= b.start_at::DATE AND c.month < b.end_at::DATE
    GROUP BY ALL
), hours AS (
    -- An interruption counts whole in the month where it started (IEEE 1366).
    SELECT o.utility::VARCHAR AS utility, o.district, o.area_type::VARCHAR AS area_type, b.seq,
        sum(exact_term(o.hours * o.customers))::DOUBLE AS customer_hours
    FROM _outage_kinds o JOIN bounds b ON o.start_at >= b.start_at AND o.start_at < b.end_at
    WHERE o.kind IN ('planned', 'fault')
    GROUP BY ALL
)
SELECT utility, district, area_type, seq, customers, coalesce(h.customer_hours, 0)
FROM base LEFT JOIN hours h USING (utility, district, area_type, seq)
ORDER BY ALL
