-- Exemptions by reason and momentary interruptions (spec/metrics.md H8), 2024Q4.
-- N = 10 000 power and 1 000 water customers every month. Columns: outage_id, utility,
-- district, area_type, kind, exempt_reason, start_at, end_at, customers, notified_at,
-- emergency_supply, cause, feeder, load_id, source_row.
INSERT INTO customer_base
SELECT u, '510302', 'urban', m::DATE, CASE u WHEN 'power' THEN 10000 ELSE 1000 END, 0, 0
FROM generate_series(DATE '2024-10-01', DATE '2024-12-01', INTERVAL 1 MONTH) t(m), (VALUES ('power'), ('water')) u(u);

INSERT INTO outages VALUES
    -- planned, 2 h × 100, told 48 h ahead: 200 customer-hours
    ('A1', 'power', '510302', 'urban', 'planned', NULL, '2024-10-10 09:00:00+08', '2024-10-10 11:00:00+08', 100, '2024-10-08 09:00:00+08', NULL, NULL, NULL, 0, 0),
    -- fault, 1 h × 200, told during the repair: 200
    ('A2', 'power', '510302', 'urban', 'fault', NULL, '2024-10-11 09:00:00+08', '2024-10-11 10:00:00+08', 200, '2024-10-11 09:20:00+08', NULL, NULL, NULL, 0, 0),
    -- forest-fire prevention, 5 h × 50: 250
    ('A3', 'power', '510302', 'urban', 'exempt', 'forest_fire_prevention', '2024-11-01 08:00:00+08', '2024-11-01 13:00:00+08', 50, NULL, NULL, NULL, NULL, 0, 0),
    -- a major event, 3 h × 100, no notice: 300
    ('A4', 'power', '510302', 'urban', 'exempt', 'major_event', '2024-11-02 08:00:00+08', '2024-11-02 11:00:00+08', 100, NULL, NULL, NULL, NULL, 0, 0),
    -- fault of exactly 3 minutes × 1 000: momentary
    ('A5', 'power', '510302', 'urban', 'fault', NULL, '2024-11-03 08:00:00+08', '2024-11-03 08:03:00+08', 1000, NULL, NULL, NULL, NULL, 0, 0),
    -- fault of 6 minutes × 10, never told: 1
    ('A6', 'power', '510302', 'urban', 'fault', NULL, '2024-12-01 08:00:00+08', '2024-12-01 08:06:00+08', 10, NULL, NULL, NULL, NULL, 0, 0),
    -- a major event of 2 minutes × 100: 10/3
    ('A7', 'power', '510302', 'urban', 'exempt', 'major_event', '2024-12-02 08:00:00+08', '2024-12-02 08:02:00+08', 100, NULL, NULL, NULL, NULL, 0, 0),
    -- before the quarter: not counted here
    ('A8', 'power', '510302', 'urban', 'exempt', 'customer_side', '2024-09-30 23:00:00+08', '2024-10-01 01:00:00+08', 100, NULL, NULL, NULL, NULL, 0, 0),
    -- water: a fault of 2 minutes × 50 (5/3) and a major event of 1 h × 10 (10)
    ('W1', 'water', '510302', 'urban', 'fault', NULL, '2024-10-05 08:00:00+08', '2024-10-05 08:02:00+08', 50, NULL, NULL, NULL, NULL, 0, 0),
    ('W2', 'water', '510302', 'urban', 'exempt', 'major_event', '2024-10-06 08:00:00+08', '2024-10-06 09:00:00+08', 10, NULL, NULL, NULL, NULL, 0, 0);
