-- Kunming (002) 14, water stops of 2024Q4 worked by hand: the planned one told 48 h
-- ahead; the 30 h one with emergency supply, told during the repair; a "major event"
-- (Kunming accepts no exemption: a sudden stop) told during it.
INSERT INTO outages VALUES
    ('KO1', 'water', '510302', 'urban', 'planned', NULL, '2024-11-05 09:00:00+08', '2024-11-05 12:00:00+08', 100, '2024-11-03 09:00:00+08', NULL, NULL, NULL, 0, 0),
    ('KO2', 'water', '510302', 'urban', 'fault', NULL, '2024-11-06 08:00:00+08', '2024-11-07 14:00:00+08', 100, '2024-11-06 09:00:00+08', true, NULL, NULL, 0, 0),
    ('KO3', 'water', '510302', 'urban', 'exempt', 'major_event', '2024-11-08 08:00:00+08', '2024-11-08 10:00:00+08', 100, '2024-11-08 08:30:00+08', NULL, NULL, NULL, 0, 0);
