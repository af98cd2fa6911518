-- Kunming (002) 16: with kunming_ratings.sql, two more connected cases never rated
-- (4 of 7), a poor rating never rectified, and one rectified 8 WD after it.
INSERT INTO cases (case_id, utility, district, customer_class, channel, status, applied_at, connected_at, recorded_at, load_id, source_row)
SELECT 'R' || i, 'water', '510302', 'residential', 'online', 'connected', '2024-11-04 09:00:00+08', '2024-11-05 09:00:00+08',
    '2025-01-06 10:00:00+08', 0, 0
FROM range(6, 8) t(i);

INSERT INTO evaluations VALUES
    ('E5', 'water', '510302', 'case', 'R1', '2024-11-12 10:00:00+08', 1, NULL, NULL, NULL, 0, 0),
    -- Tue 12 Nov 10:00 → Fri 22 Nov 10:00: 8 WD
    ('E6', 'water', '510302', 'case', 'R2', '2024-11-12 10:00:00+08', 2, NULL, NULL, '2024-11-22 10:00:00+08', 0, 0);
