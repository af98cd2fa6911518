-- Huoqiu (004), worked by hand, November 2024: for each row one joint case meets it
-- and one misses it; N1 (not joint) is never judged.
INSERT INTO cases (case_id, utility, joint_id, district, customer_class, channel, materials, status,
                   applied_at, accepted_at, plan_replied_at, contract_at, connected_at, recorded_at, load_id, source_row) VALUES
    -- online, no document (met); plan and contract the same day (met)
    ('H1', 'power', 'JB', '510302', 'lv_zero', 'online', 0, 'connected', '2024-11-04 09:00:00+08', '2024-11-04 10:00:00+08',
     '2024-11-06 10:00:00+08', '2024-11-06 15:00:00+08', '2024-11-20 10:00:00+08', '2025-01-06 10:00:00+08', 0, 0),
    -- app, 2 documents (missed); contract the day after the plan (missed)
    ('H2', 'water', 'JB', '510302', 'nonres_dn40', 'app', 2, 'connected', '2024-11-04 09:00:00+08', '2024-11-04 10:00:00+08',
     '2024-11-06 10:00:00+08', '2024-11-07 09:00:00+08', '2024-11-20 10:00:00+08', '2025-01-06 10:00:00+08', 0, 0),
    -- window, one form (met); accepted the same day (met); no plan: not judged on it
    ('H3', 'gas', 'JB', '510302', 'nonres_general', 'window', 1, 'connected', '2024-11-04 09:00:00+08', '2024-11-04 15:00:00+08',
     NULL, NULL, '2024-11-20 10:00:00+08', '2025-01-06 10:00:00+08', 0, 0),
    -- joint window, 3 documents (missed); accepted the next day (missed)
    ('H4', 'telecom', 'JB', '510302', 'business', 'joint_window', 3, 'connected', '2024-11-04 09:00:00+08', '2024-11-05 09:00:00+08',
     NULL, NULL, '2024-11-20 10:00:00+08', '2025-01-06 10:00:00+08', 0, 0),
    ('N1', 'power', NULL, '510302', 'lv_zero', 'window', 9, 'connected', '2024-11-04 09:00:00+08', '2024-11-08 09:00:00+08',
     '2024-11-06 10:00:00+08', '2024-11-12 09:00:00+08', '2024-11-20 10:00:00+08', '2025-01-06 10:00:00+08', 0, 0);
