-- The distribution of connection times (spec/metrics.md A, connection_time) of the
-- cases connected in the period (_periods seq 0): per utility, the number of cases
-- in each bin of one working day, [0, 1), [1, 2) … [29, 30), and 30 or more.
SELECT c.utility::VARCHAR AS utility,
    least(floor(greatest(working_days(ci, c.applied_at, c.connected_at) - c.pause_wd, 0)), 30)::INTEGER AS bin,
    count(*) AS cases
FROM case_stages c, (SELECT start_at, end_at FROM _periods WHERE seq = 0) p, calendar_index ci
WHERE c.status = 'connected' AND c.connected_at >= p.start_at AND c.connected_at < p.end_at
GROUP BY ALL
ORDER BY utility, bin
