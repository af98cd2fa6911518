-- Open cases at the end of 2024 (1 Jan 2025 00:00), against the limits in the test:
-- power low-voltage 4 WD, telecom individual 72 hours. 25 Dec is a working day in China.
-- The data runs to 2 Jan 2025 10:00 (every row's recorded_at): past the end of 2024.
INSERT INTO cases (case_id, utility, district, customer_class, status, applied_at, connected_at, load_id, source_row) VALUES
    -- Fri 27 Dec 09:00: 0.625 + 1 (30th) + 1 (31st) = 2.625 WD of 4: neither
    ('O1', 'power', '510302', 'lv_zero', 'open', '2024-12-27 09:00:00+08', NULL, 0, 0),
    -- Tue 24 Dec 09:00: 0.625 + 3 (25–27) + 2 (30–31) = 5.625 WD of 4: overdue
    ('O2', 'power', '510302', 'lv_zero', 'open', '2024-12-24 09:00:00+08', NULL, 0, 0),
    -- Thu 26 Dec 09:00: 0.625 + 1 + 2 = 3.625 WD, over 3.2 (80 %): a warning
    ('O3', 'power', '510303', 'lv_nonres', 'open', '2024-12-26 09:00:00+08', NULL, 0, 0),
    -- connected only in 2025, so open at the end of 2024: Fri 20 Dec 09:00 → 7.625 WD: overdue
    ('O4', 'power', '510302', 'lv_zero', 'connected', '2024-12-20 09:00:00+08', '2025-01-02 09:00:00+08', 0, 0),
    -- cancelled: never open
    ('O5', 'power', '510302', 'lv_zero', 'cancelled', '2024-12-02 09:00:00+08', NULL, 0, 0),
    -- telecom, Sun 29 Dec 12:00 → 1 Jan 00:00 = 60 clock hours of 72 (83 %): a warning
    ('O6', 'telecom', '510302', 'individual', 'open', '2024-12-29 12:00:00+08', NULL, 0, 0),
    -- residential power: no limit in the test's targets, so never listed
    ('O7', 'power', '510302', 'residential', 'open', '2024-11-01 09:00:00+08', NULL, 0, 0);
-- O5 was cancelled (its last record) on 3 Dec, before its deadline of 6 Dec.
UPDATE cases SET recorded_at = CASE case_id WHEN 'O5' THEN '2024-12-03 10:00:00+08' ELSE '2025-01-02 10:00:00+08' END;
