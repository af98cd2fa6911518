-- district-wpgt (000): with wpgt.sql, one more case per time row, late on every limit it
-- meets, each decided in 2024Q4; and late gas tickets.
INSERT INTO cases (case_id, utility, customer_class, channel, has_external_works, applied_at, accepted_at, survey_agreed_at, plan_replied_at, contract_at, approval_submitted_at, approval_granted_at, works_started_at, works_completed_at, inspection_requested_at, inspected_at, connected_at, district, status, recorded_at, load_id, source_row) VALUES
    -- water residential: the 4th WD
    ('WR2', 'water', 'residential', 'window', NULL, '2024-11-04 09:00:00+08', NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, '2024-11-08 10:00:00+08', '510302', 'connected', '2025-01-06 10:00:00+08', 0, 0),
    -- water DN40: the 5th WD
    ('WD402', 'water', 'nonres_dn40', 'window', NULL, '2024-11-04 09:00:00+08', NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, '2024-11-11 10:00:00+08', '510302', 'connected', '2025-01-06 10:00:00+08', 0, 0),
    -- water DN100: the 8th WD
    ('WD1002', 'water', 'nonres_dn100', 'window', NULL, '2024-11-04 09:00:00+08', NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, '2024-11-14 10:00:00+08', '510302', 'connected', '2025-01-06 10:00:00+08', 0, 0),
    -- real estate: 14 WD to the works (Fri 22) + 2 after them (Wed 27) = 16 of 15
    ('WRE2', 'water', 'real_estate', 'window', NULL, '2024-11-04 09:00:00+08', NULL, NULL, NULL, NULL, NULL, NULL, '2024-11-22 09:00:00+08', '2024-11-25 09:00:00+08', NULL, NULL, '2024-11-27 10:00:00+08', '510302', 'connected', '2025-01-06 10:00:00+08', 0, 0),
    -- hv, pre-service, no works: plan on the 8th WD; permits 13 WD; inspected Mon 2 Dec, connected
    -- Thu 5, 3 WD; connected on the 23rd WD
    ('PHV2', 'power', 'hv_dual', 'pre_service', false, '2024-11-04 09:00:00+08', '2024-11-04 10:00:00+08', NULL, '2024-11-14 10:00:00+08', NULL, '2024-11-14 11:00:00+08', '2024-12-03 09:00:00+08', NULL, NULL, NULL, '2024-12-02 09:00:00+08', '2024-12-05 10:00:00+08', '510302', 'connected', '2025-01-06 10:00:00+08', 0, 0),
    -- lv_zero, pre-service: plan on the 3rd WD; connected the WD after the inspection, on the 5th WD
    ('PLZ2', 'power', 'lv_zero', 'pre_service', false, '2024-11-04 09:00:00+08', '2024-11-04 09:30:00+08', NULL, '2024-11-07 10:00:00+08', NULL, NULL, NULL, NULL, NULL, NULL, '2024-11-08 09:00:00+08', '2024-11-11 09:00:00+08', '510302', 'connected', '2025-01-06 10:00:00+08', 0, 0),
    -- lv_nonres, works: permits 8 WD of 7; works done Fri 27 Dec, due Thu 26 (30 WD after Thu 14
    -- Nov); excluding works 8 + 1 of 4
    ('PLA2', 'power', 'lv_nonres', 'window', true, '2024-11-04 09:00:00+08', NULL, NULL, NULL, NULL, '2024-11-04 10:00:00+08', '2024-11-14 09:00:00+08', '2024-11-14 10:00:00+08', '2024-12-27 10:00:00+08', NULL, NULL, '2024-12-30 10:00:00+08', '510302', 'connected', '2025-01-06 10:00:00+08', 0, 0),
    -- gas, online: survey agreed 3 WD; plan 6th WD; works 10 WD; inspection 6 WD; gas on 4 WD;
    -- excluding works 7 + 10 of 14
    ('GAS2', 'gas', 'residential', 'online', NULL, '2024-11-04 09:00:00+08', NULL, '2024-11-07 10:00:00+08', '2024-11-12 10:00:00+08', '2024-11-12 11:00:00+08', NULL, NULL, '2024-11-13 09:00:00+08', '2024-11-26 10:00:00+08', '2024-11-26 11:00:00+08', '2024-12-04 10:00:00+08', '2024-12-10 10:00:00+08', '510302', 'connected', '2025-01-06 10:00:00+08', 0, 0),
    -- telecom: 73 hours
    ('TEL2', 'telecom', 'business', 'window', NULL, '2024-11-04 09:00:00+08', NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, '2024-11-07 10:00:00+08', '510302', 'connected', '2025-01-06 10:00:00+08', 0, 0);

INSERT INTO tickets (ticket_id, utility, district, kind, received_at, responded_at, closed_at, load_id, source_row) VALUES
    -- repair closed on the 4th WD
    ('T4', 'gas', '510302', 'repair', '2024-11-04 09:00:00+08', NULL, '2024-11-08 09:00:00+08', 0, 0),
    -- complaint closed on the 8th WD
    ('T5', 'gas', '510302', 'complaint', '2024-11-04 09:00:00+08', NULL, '2024-11-14 09:00:00+08', 0, 0),
    -- enquiry answered the next day
    ('T6', 'gas', '510302', 'enquiry', '2024-11-04 09:00:00+08', '2024-11-05 09:00:00+08', '2024-11-05 09:00:00+08', 0, 0);
