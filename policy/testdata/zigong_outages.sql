-- Zigong (001) 二(四), worked by hand for 2024Q4 and 2024: 1 000 power customers every
-- month of 2023–2024 in each area type (urban_core 510302, urban 510303, town 510311,
-- rural 510321), so an area's figure is its customer-hours ÷ 1 000. Columns: outage_id,
-- utility, district, area_type, kind, exempt_reason, start_at, end_at, customers,
-- notified_at, emergency_supply, cause, feeder, load_id, source_row.
INSERT INTO customer_base
SELECT 'power', d, a, m::DATE, 1000, 0, 0
FROM generate_series(DATE '2023-01-01', DATE '2024-12-01', INTERVAL 1 MONTH) t(m),
    (VALUES ('510302', 'urban_core'), ('510303', 'urban'), ('510311', 'town'), ('510321', 'rural')) x(d, a);

INSERT INTO outages VALUES
    -- urban_core: 1 h in each quarter of 2024 = 4 h ≤ 5
    ('UC1', 'power', '510302', 'urban_core', 'fault', NULL, '2024-02-10 10:00:00+08', '2024-02-10 11:00:00+08', 1000, NULL, NULL, NULL, NULL, 0, 0),
    ('UC2', 'power', '510302', 'urban_core', 'fault', NULL, '2024-05-10 10:00:00+08', '2024-05-10 11:00:00+08', 1000, NULL, NULL, NULL, NULL, 0, 0),
    ('UC3', 'power', '510302', 'urban_core', 'fault', NULL, '2024-08-10 10:00:00+08', '2024-08-10 11:00:00+08', 1000, NULL, NULL, NULL, NULL, 0, 0),
    ('UC4', 'power', '510302', 'urban_core', 'fault', NULL, '2024-11-10 10:00:00+08', '2024-11-10 11:00:00+08', 1000, NULL, NULL, NULL, NULL, 0, 0),
    -- urban: 7 h in 2023; 2 h and a 4 h "major event" in 2024, which Zigong does not
    -- accept: 6 h > 5, but 6 / 7 − 1 = −14.3 %, at least 8 % lower
    ('U0', 'power', '510303', 'urban', 'fault', NULL, '2023-05-10 10:00:00+08', '2023-05-10 17:00:00+08', 1000, NULL, NULL, NULL, NULL, 0, 0),
    ('U1', 'power', '510303', 'urban', 'fault', NULL, '2024-08-10 10:00:00+08', '2024-08-10 12:00:00+08', 1000, NULL, NULL, NULL, NULL, 0, 0),
    ('U2', 'power', '510303', 'urban', 'exempt', 'major_event', '2024-11-10 10:00:00+08', '2024-11-10 14:00:00+08', 1000, NULL, NULL, NULL, NULL, 0, 0),
    -- town: 8 h 58 min ≤ 9; the 3-minute interruption is momentary (it would make 9.02)
    ('T1', 'power', '510311', 'town', 'fault', NULL, '2024-05-10 08:00:00+08', '2024-05-10 16:58:00+08', 1000, NULL, NULL, NULL, NULL, 0, 0),
    ('T2', 'power', '510311', 'town', 'fault', NULL, '2024-11-10 10:00:00+08', '2024-11-10 10:03:00+08', 1000, NULL, NULL, NULL, NULL, 0, 0),
    -- rural: 14 h ≤ 15; the 10 h forest-fire prevention stop is exempt
    ('R1', 'power', '510321', 'rural', 'fault', NULL, '2024-02-10 06:00:00+08', '2024-02-10 20:00:00+08', 1000, NULL, NULL, NULL, NULL, 0, 0),
    ('R2', 'power', '510321', 'rural', 'exempt', 'forest_fire_prevention', '2024-03-01 08:00:00+08', '2024-03-01 18:00:00+08', 1000, NULL, NULL, NULL, NULL, 0, 0);
