-- Each district's part in an area type's interruptions, month by month: its
-- customer-hours and its customers, for the districts behind an interruption target
-- at risk. The target's own figure comes from sql/metrics/outages.sql, whose rows hold
-- no district by area type; this splits the same interruptions among the districts,
-- counted as that query counts them (metrics.md H8): an exemption only when the
-- profile accepts its reason, momentary interruptions left out. Parameters: the month
-- boundaries, as instants with their offset, the first month's start to the last
-- month's end; then the outage settings (metrics.OutageSettings).
WITH settings AS (
    SELECT ?::VARCHAR[] AS exempt_reasons, ?::VARCHAR[] AS exempt_utilities,
        ?::DOUBLE AS momentary_minutes, coalesce(?::VARCHAR[], []) AS momentary_utilities
), bounds AS (
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
        sum(epoch(o.end_at - o.start_at) / 3600.0 * o.customers) AS customer_hours
    FROM outages o JOIN bounds b ON o.start_at >= b.start_at AND o.start_at < b.end_at, settings s
    WHERE NOT (o.kind = 'exempt' AND NOT (s.exempt_reasons IS NOT NULL
                  AND (s.exempt_utilities IS NULL OR list_contains(s.exempt_utilities, o.utility::VARCHAR))
                  AND NOT coalesce(list_contains(s.exempt_reasons, o.exempt_reason), false)))
      AND NOT (list_contains(s.momentary_utilities, o.utility::VARCHAR) AND epoch(o.end_at - o.start_at) <= s.momentary_minutes * 60)
    GROUP BY ALL
)
SELECT utility, district, area_type, seq, customers, coalesce(h.customer_hours, 0)
FROM base LEFT JOIN hours h USING (utility, district, area_type, seq)
ORDER BY ALL
