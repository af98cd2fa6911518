-- Kunming (002) 14: with kunming_outages.sql, a planned stop told 12 h ahead, a 26 h
-- stop without emergency supply (told during it), and a "customer side" stop never told.
INSERT INTO outages VALUES
    ('KO4', 'water', '510302', 'urban', 'planned', NULL, '2024-12-05 09:00:00+08', '2024-12-05 12:00:00+08', 100, '2024-12-04 21:00:00+08', NULL, NULL, NULL, 0, 0),
    ('KO5', 'water', '510302', 'urban', 'fault', NULL, '2024-12-06 08:00:00+08', '2024-12-07 10:00:00+08', 100, '2024-12-06 09:00:00+08', false, NULL, NULL, 0, 0),
    ('KO6', 'water', '510302', 'urban', 'exempt', 'customer_side', '2024-12-09 08:00:00+08', '2024-12-09 09:00:00+08', 100, NULL, NULL, NULL, NULL, 0, 0);
