-- Zigong (001) 二(四): with zigong_outages.sql, one more interruption in December 2024
-- in each area type, so that each misses: urban_core 6 h; urban 7 h, no lower than
-- 2023; town 9 h 58 min; rural 16 h, only 5.9 % lower than 2023's 17 h.
INSERT INTO outages VALUES
    ('UC5', 'power', '510302', 'urban_core', 'fault', NULL, '2024-12-10 10:00:00+08', '2024-12-10 12:00:00+08', 1000, NULL, NULL, NULL, NULL, 0, 0),
    ('U3', 'power', '510303', 'urban', 'fault', NULL, '2024-12-10 10:00:00+08', '2024-12-10 11:00:00+08', 1000, NULL, NULL, NULL, NULL, 0, 0),
    ('T3', 'power', '510311', 'town', 'fault', NULL, '2024-12-10 10:00:00+08', '2024-12-10 11:00:00+08', 1000, NULL, NULL, NULL, NULL, 0, 0),
    ('R3', 'power', '510321', 'rural', 'fault', NULL, '2024-12-10 10:00:00+08', '2024-12-10 12:00:00+08', 1000, NULL, NULL, NULL, NULL, 0, 0),
    ('R0', 'power', '510321', 'rural', 'fault', NULL, '2023-08-10 02:00:00+08', '2023-08-10 19:00:00+08', 1000, NULL, NULL, NULL, NULL, 0, 0);
