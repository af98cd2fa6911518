-- Chibi (003), worked by hand: J1 meets every row, J2 misses every row; N1 is not part
-- of a joint application and is never judged. November 2024 has no holiday.
INSERT INTO cases (case_id, utility, joint_id, district, customer_class, procedures, materials, visits, fee_cny, status,
                   applied_at, surveyed_at, approval_submitted_at, approval_granted_at, agreed_connection_at, connected_at,
                   recorded_at, load_id, source_row) VALUES
    -- surveyed Tue (1 WD of 2); permits granted the day they were asked for; agreed Fri 8,
    -- connected Mon 11 (the 1st WD after it)
    ('J1', 'power', 'JA', '510302', 'lv_zero', 1, 0, 0, 0, 'connected', '2024-11-04 09:00:00+08', '2024-11-05 10:00:00+08',
     '2024-11-05 09:00:00+08', '2024-11-05 16:00:00+08', '2024-11-08 00:00:00+08', '2024-11-11 10:00:00+08', '2025-01-06 10:00:00+08', 0, 0),
    -- surveyed Thu 7 (deadline Wed 6); permits granted the next day; connected Tue 12
    -- (deadline Mon 11); 2 procedures, 1 document, 1 visit, 100 yuan
    ('J2', 'water', 'JA', '510302', 'nonres_dn40', 2, 1, 1, 100, 'connected', '2024-11-04 09:00:00+08', '2024-11-07 10:00:00+08',
     '2024-11-05 09:00:00+08', '2024-11-06 09:00:00+08', '2024-11-08 00:00:00+08', '2024-11-12 10:00:00+08', '2025-01-06 10:00:00+08', 0, 0),
    ('N1', 'power', NULL, '510302', 'lv_zero', 5, 5, 5, 500, 'connected', '2024-11-04 09:00:00+08', '2024-11-20 10:00:00+08',
     '2024-11-05 09:00:00+08', '2024-11-20 09:00:00+08', '2024-11-08 00:00:00+08', '2024-11-29 10:00:00+08', '2025-01-06 10:00:00+08', 0, 0);
