-- Power lv_nonres cases connected in 2024Q4, for the eligibility filters of metrics.md
-- H10 and the overlaps of H9. 510302 is urban, 510311 a town.
INSERT INTO districts (district, name, parent, area_type, load_id, source_row) VALUES
    ('510302', '自流井区', NULL, 'urban', 0, 0),
    ('510311', '沿滩区', NULL, 'town', 0, 0);
INSERT INTO cases (case_id, utility, district, customer_class, enterprise_size, capacity, channel, procedures,
                   status, applied_at, connected_at, recorded_at, load_id, source_row) VALUES
    ('E1', 'power', '510302', 'lv_nonres', 'micro',  100, 'online',      2,    'connected', '2024-11-04 09:00:00+08', '2024-11-05 09:00:00+08', '2024-12-31 09:00:00+08', 0, 0),
    ('E2', 'power', '510311', 'lv_nonres', 'small',  150, 'window',      3,    'connected', '2024-11-04 09:00:00+08', '2024-11-05 09:00:00+08', '2024-12-31 09:00:00+08', 0, 0),
    ('E3', 'power', '510302', 'lv_nonres', 'medium', 200, 'pre_service', 1,    'connected', '2024-11-04 09:00:00+08', '2024-11-05 09:00:00+08', '2024-12-31 09:00:00+08', 0, 0),
    ('E4', 'power', '510311', 'lv_nonres', 'large',  120, 'pre_service', 4,    'connected', '2024-11-04 09:00:00+08', '2024-11-05 09:00:00+08', '2024-12-31 09:00:00+08', 0, 0),
    -- no size and no procedures logged: eligible where size does not matter, and then
    -- never within (a missing value never raises a share)
    ('E5', 'power', '510302', 'lv_nonres', NULL,      90, 'online',      NULL, 'connected', '2024-11-04 09:00:00+08', '2024-11-05 09:00:00+08', '2024-12-31 09:00:00+08', 0, 0);
