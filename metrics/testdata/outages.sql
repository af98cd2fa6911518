-- Outages and customer base for the AIHC worked check of spec/metrics.md and the
-- period rules around it. Columns: outage_id, utility, district, area_type, kind,
-- exempt_reason, start_at, end_at, customers, notified_at, emergency_supply, cause,
-- feeder, load_id, source_row.
INSERT INTO customer_base VALUES
    ('power', '510302', 'urban', '2024-07-01', 100000, 0, 0),
    ('power', '510302', 'urban', '2024-08-01', 100000, 0, 0),
    ('power', '510302', 'urban', '2024-09-01', 100000, 0, 0),
    -- water lacks September: its figures must be no_data
    ('water', '510302', 'urban', '2024-07-01', 50000, 0, 0),
    ('water', '510302', 'urban', '2024-08-01', 50000, 0, 0);

INSERT INTO outages VALUES
    -- 3 h × 1 000 customers, planned, notified 48 h ahead
    ('O1', 'power', '510302', 'urban', 'planned', NULL, '2024-07-10 09:00:00+08', '2024-07-10 12:00:00+08', 1000, '2024-07-08 09:00:00+08', NULL, NULL, NULL, 0, 0),
    -- 0.5 h × 4 000 customers, fault
    ('O2', 'power', '510302', 'urban', 'fault', NULL, '2024-08-20 14:00:00+08', '2024-08-20 14:30:00+08', 4000, NULL, NULL, NULL, NULL, 0, 0),
    -- exempt (forest-fire prevention): left out of every headline figure
    ('O3', 'power', '510302', 'urban', 'exempt', 'forest_fire_prevention', '2024-09-01 08:00:00+08', '2024-09-01 18:00:00+08', 2000, NULL, NULL, NULL, NULL, 0, 0),
    -- started in Q2, ended in Q3: counted whole in Q2, not here
    ('O4', 'power', '510302', 'urban', 'fault', NULL, '2024-06-30 23:00:00+08', '2024-07-01 05:00:00+08', 9000, NULL, NULL, NULL, NULL, 0, 0),
    -- planned, told only 12 h before, lasting 0 minutes (momentary)
    ('O5', 'power', '510302', 'urban', 'planned', NULL, '2024-09-10 00:00:00+08', '2024-09-10 00:00:00+08', 10, '2024-09-09 12:00:00+08', NULL, NULL, NULL, 0, 0),
    -- water: 30 h with emergency supply, 26 h without
    ('W1', 'water', '510302', 'urban', 'fault', NULL, '2024-07-01 00:00:00+08', '2024-07-02 06:00:00+08', 100, NULL, true, NULL, NULL, 0, 0),
    ('W2', 'water', '510302', 'urban', 'fault', NULL, '2024-08-01 00:00:00+08', '2024-08-02 02:00:00+08', 100, NULL, false, NULL, NULL, 0, 0);
