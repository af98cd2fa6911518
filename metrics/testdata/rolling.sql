-- Rolling 12 months across a year end: N = 100 000 every month from 2023-04 to
-- 2025-03; one outage of 1 000 customer-hours in each quarter from 2024Q2 to 2025Q1
-- (0.01 h per customer each) and of 2 000 in each quarter from 2023Q2 to 2024Q1 (0.02).
INSERT INTO customer_base
SELECT 'power', '510302', 'urban', m::DATE, 100000, 0, 0
FROM generate_series(DATE '2023-04-01', DATE '2025-03-01', INTERVAL 1 MONTH) t(m);

INSERT INTO outages
SELECT 'R' || q::VARCHAR, 'power', '510302', 'urban', 'fault', NULL,
    q + INTERVAL 10 DAY, q + INTERVAL 10 DAY + INTERVAL 1 HOUR,
    CASE WHEN q >= DATE '2024-04-01' THEN 1000 ELSE 2000 END, NULL, NULL, NULL, NULL, 0, 0
FROM generate_series(TIMESTAMPTZ '2023-04-01 00:00:00+08', TIMESTAMPTZ '2025-01-01 00:00:00+08', INTERVAL 3 MONTH) t(q);
