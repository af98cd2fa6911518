-- Kunming (002) 16, ratings of 2024Q4 worked by hand: five water cases connected in
-- November, four rated (80 %); the one poor rating (2) rectified 4 WD after it.
INSERT INTO cases (case_id, utility, district, customer_class, channel, status, applied_at, connected_at, recorded_at, load_id, source_row)
SELECT 'R' || i, 'water', '510302', 'residential', 'online', 'connected', '2024-11-04 09:00:00+08', '2024-11-05 09:00:00+08',
    '2025-01-06 10:00:00+08', 0, 0
FROM range(1, 6) t(i);

INSERT INTO evaluations VALUES
    ('E1', 'water', '510302', 'case', 'R1', '2024-11-06 10:00:00+08', 5, NULL, NULL, NULL, 0, 0),
    ('E2', 'water', '510302', 'case', 'R2', '2024-11-06 10:00:00+08', 4, NULL, NULL, NULL, 0, 0),
    ('E3', 'water', '510302', 'case', 'R3', '2024-11-06 10:00:00+08', 3, NULL, NULL, NULL, 0, 0),
    -- Mon 11 Nov 10:00 → Fri 15 Nov 10:00: 4 WD
    ('E4', 'water', '510302', 'case', 'R4', '2024-11-11 10:00:00+08', 2, NULL, NULL, '2024-11-15 10:00:00+08', 0, 0);
