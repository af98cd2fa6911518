-- Customer-hours whose floating-point sum depends on the order of the terms, 2024Q4.
-- N = 1 power customer every month. B0 holds 2^53 customer-hours, B1–B4 one each:
-- in floating point, added in outage_id order (B0 first) each 1 is lost to rounding
-- (2^53 + 1 rounds to 2^53); as listed here, B1 and B2 add up before B0 and the sum
-- ends at 2^53 + 4, the exact sum.
INSERT INTO customer_base
SELECT 'power', '510302', 'urban', m::DATE, 1, 0, 0
FROM generate_series(DATE '2024-10-01', DATE '2024-12-01', INTERVAL 1 MONTH) t(m);

INSERT INTO outages VALUES
    ('B1', 'power', '510302', 'urban', 'fault', NULL, '2024-10-10 09:00:00+08', '2024-10-10 10:00:00+08', 1, NULL, NULL, NULL, NULL, 0, 0),
    ('B2', 'power', '510302', 'urban', 'fault', NULL, '2024-10-11 09:00:00+08', '2024-10-11 10:00:00+08', 1, NULL, NULL, NULL, NULL, 0, 1),
    ('B0', 'power', '510302', 'urban', 'fault', NULL, '2024-10-12 09:00:00+08', '2024-10-12 10:00:00+08', 9007199254740992, NULL, NULL, NULL, NULL, 0, 2),
    ('B3', 'power', '510302', 'urban', 'fault', NULL, '2024-10-13 09:00:00+08', '2024-10-13 10:00:00+08', 1, NULL, NULL, NULL, NULL, 0, 3),
    ('B4', 'power', '510302', 'urban', 'fault', NULL, '2024-10-14 09:00:00+08', '2024-10-14 10:00:00+08', 1, NULL, NULL, NULL, NULL, 0, 4);
