-- Zigong (001), worked by hand for 2024Q4 (November 2024 has no holiday; Sun 29 Sep and
-- Sat 12 Oct were make-up working days, 1–7 Oct off). The data runs to 6 Jan 2025.
INSERT INTO districts (district, name, parent, area_type, load_id, source_row) VALUES ('510302', '自流井区', NULL, 'urban', 0, 0);
INSERT INTO cases (case_id, utility, district, customer_class, enterprise_size, capacity, procedures, materials,
                   materials_at_application, visits, fee_cny, status, applied_at, plan_replied_at, approval_submitted_at,
                   approval_granted_at, inspection_requested_at, connected_at, recorded_at, load_id, source_row) VALUES
    -- lv_nonres micro: 合计办电时间 with its gap = 1 (Mon 4 → Tue 5) + 2 (Thu 7 → Mon 11) = 3 of 6;
    -- permits Mon 4 → Fri 8, the 4th WD; 2 procedures, 1 document at acceptance, no fee
    ('Z1', 'power', '510302', 'lv_nonres', 'micro', 100, 2, 2, 1, 0, 0, 'connected', '2024-11-04 09:00:00+08', '2024-11-05 09:00:00+08',
     '2024-11-04 10:00:00+08', '2024-11-08 10:00:00+08', '2024-11-07 09:00:00+08', '2024-11-11 10:00:00+08', '2025-01-06 10:00:00+08', 0, 0),
    -- lv_nonres small: 0 (Mon 4 → Mon 4) + 7 (Wed 13 → Fri 22) = 7 of 6; permits granted Mon 11
    -- (due Fri 8); 3 procedures, 3 documents, 200 yuan
    ('Z2', 'power', '510302', 'lv_nonres', 'small', 150, 3, 3, 3, 0, 200, 'connected', '2024-11-04 09:00:00+08', '2024-11-04 15:00:00+08',
     '2024-11-04 10:00:00+08', '2024-11-11 10:00:00+08', '2024-11-13 09:00:00+08', '2024-11-22 10:00:00+08', '2025-01-06 10:00:00+08', 0, 0),
    -- hv_single without an inspection request: the whole time, Mon 4 → Mon 25 (due Tue 26)
    ('Z3', 'power', '510302', 'hv_single', 'large', 800, 4, 3, NULL, 1, 5000, 'connected', '2024-11-04 09:00:00+08', NULL,
     NULL, NULL, NULL, '2024-11-25 10:00:00+08', '2025-01-06 10:00:00+08', 0, 0),
    -- hv_single connected Thu 28 (due Tue 26); 5 procedures, 4 documents
    ('Z4', 'power', '510302', 'hv_single', 'large', 800, 5, 4, 4, 1, 5000, 'connected', '2024-11-04 09:00:00+08', NULL,
     NULL, NULL, NULL, '2024-11-28 10:00:00+08', '2025-01-06 10:00:00+08', 0, 0),
    -- hv_dual Fri 1 → Fri 29, well within 30 WD
    ('Z5', 'power', '510302', 'hv_dual', 'large', 2000, 4, 2, 2, 1, 9000, 'connected', '2024-11-01 09:00:00+08', NULL,
     NULL, NULL, NULL, '2024-11-29 10:00:00+08', '2025-01-06 10:00:00+08', 0, 0),
    -- hv_dual open since Mon 23 Sep: its 30th WD is Thu 7 Nov, so it is missed in Q4
    ('Z6', 'power', '510302', 'hv_dual', 'large', 2000, NULL, NULL, NULL, NULL, NULL, 'open', '2024-09-23 09:00:00+08', NULL,
     NULL, NULL, NULL, NULL, '2025-01-06 10:00:00+08', 0, 0),
    -- residential: 1 WD and 5 WD, mean 3; visits 0 and 1
    ('Z7', 'power', '510302', 'residential', NULL, 8, 1, 0, 0, 0, 0, 'connected', '2024-11-04 09:00:00+08', NULL,
     NULL, NULL, NULL, '2024-11-05 09:00:00+08', '2025-01-06 10:00:00+08', 0, 0),
    ('Z8', 'power', '510302', 'residential', NULL, 8, 2, 2, 2, 1, 0, 'connected', '2024-11-04 09:00:00+08', NULL,
     NULL, NULL, NULL, '2024-11-11 09:00:00+08', '2025-01-06 10:00:00+08', 0, 0),
    -- lv_zero: Mon 4 → Tue 12 (due Wed 13); Mon 4 → Fri 15, late, 2 visits, 300 yuan
    ('Z9', 'power', '510302', 'lv_zero', 'micro', 50, 2, 1, 1, 0, 0, 'connected', '2024-11-04 09:00:00+08', NULL,
     NULL, NULL, NULL, '2024-11-12 09:00:00+08', '2025-01-06 10:00:00+08', 0, 0),
    ('Z10', 'power', '510302', 'lv_zero', 'micro', 50, 1, 2, 2, 2, 300, 'connected', '2024-11-04 09:00:00+08', NULL,
     NULL, NULL, NULL, '2024-11-15 09:00:00+08', '2025-01-06 10:00:00+08', 0, 0);
