-- Kunming (002), worked by hand for 2024Q4, November 2024 (no holiday). Data to 6 Jan 2025.
INSERT INTO cases (case_id, utility, district, customer_class, business_type, channel, is_low_risk, has_external_works,
                   procedures, materials, materials_at_application, visits, fee_cny, status, applied_at,
                   approval_submitted_at, approval_granted_at, connected_at, closed_at, recorded_at, load_id, source_row) VALUES
    -- pre-service, no works: connected the day applied for; 1 procedure, nothing handed in, no visit, no fee
    ('K1', 'water', '510302', 'nonres_dn40', 'new', 'pre_service', false, false, 1, 0, 0, 0, 0, 'connected',
     '2024-11-04 09:00:00+08', NULL, NULL, '2024-11-04 16:00:00+08', NULL, '2025-01-06 10:00:00+08', 0, 0),
    -- pre-service, no works: connected Fri 8 (3 WD due Thu 7); 2 procedures, 1 document, 1 visit, 100 yuan
    ('K2', 'water', '510302', 'nonres_dn40', 'expansion', 'pre_service', false, false, 2, 1, 1, 1, 100, 'connected',
     '2024-11-04 09:00:00+08', NULL, NULL, '2024-11-08 09:00:00+08', NULL, '2025-01-06 10:00:00+08', 0, 0),
    -- external works: connected Mon 11 (5th WD); permits Tue 5 → Tue 12 (5th WD); 2 procedures
    ('K3', 'water', '510302', 'nonres_dn100', 'new', 'window', false, true, 2, 0, 0, 0, 3000, 'connected',
     '2024-11-04 09:00:00+08', '2024-11-05 09:00:00+08', '2024-11-12 09:00:00+08', '2024-11-11 09:00:00+08', NULL, '2025-01-06 10:00:00+08', 0, 0),
    -- external works: connected Tue 12 (due Mon 11); permits granted Wed 13 (due Tue 12); 3 procedures
    ('K4', 'water', '510302', 'nonres_large', 'new', 'window', false, true, 3, 0, 0, 0, 3000, 'connected',
     '2024-11-04 09:00:00+08', '2024-11-05 09:00:00+08', '2024-11-13 09:00:00+08', '2024-11-12 09:00:00+08', NULL, '2025-01-06 10:00:00+08', 0, 0),
    -- low-risk "11000": K5 meets every part, K6 misses every part (connected Wed 6, due Tue 5)
    ('K5', 'water', '510302', 'residential', 'new', 'online', true, false, 1, 0, NULL, 0, 0, 'connected',
     '2024-11-04 09:00:00+08', NULL, NULL, '2024-11-04 15:00:00+08', NULL, '2025-01-06 10:00:00+08', 0, 0),
    ('K6', 'water', '510302', 'residential', 'new', 'online', true, false, 2, 1, NULL, 1, 50, 'connected',
     '2024-11-04 09:00:00+08', NULL, NULL, '2024-11-06 09:00:00+08', NULL, '2025-01-06 10:00:00+08', 0, 0),
    -- transfers: closed the day applied for, and the next day
    ('K7', 'water', '510302', 'residential', 'transfer', 'online', false, false, 1, 0, 0, 0, 0, 'connected',
     '2024-11-04 09:00:00+08', NULL, NULL, NULL, '2024-11-04 17:00:00+08', '2025-01-06 10:00:00+08', 0, 0),
    ('K8', 'water', '510302', 'residential', 'transfer', 'online', false, false, 1, 0, 0, 0, 0, 'connected',
     '2024-11-04 09:00:00+08', NULL, NULL, NULL, '2024-11-05 10:00:00+08', '2025-01-06 10:00:00+08', 0, 0);
