-- district-wpgt (000), its time rows each met by one case, worked by hand for 2024Q4:
-- November 2024 has no holiday; Mon 4 Nov + N WD = 5, 6, 7, 8, 11, 12, 13… Nov. Data to 6 Jan 2025.
INSERT INTO cases (case_id, utility, customer_class, channel, has_external_works, applied_at, accepted_at, survey_agreed_at, plan_replied_at, contract_at, approval_submitted_at, approval_granted_at, works_started_at, works_completed_at, inspection_requested_at, inspected_at, connected_at, district, status, recorded_at, load_id, source_row) VALUES
    -- water residential: connected on the 3rd WD after Mon 4 Nov
    ('WR', 'water', 'residential', 'window', NULL, '2024-11-04 09:00:00+08', NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, '2024-11-07 10:00:00+08', '510302', 'connected', '2025-01-06 10:00:00+08', 0, 0),
    -- water DN40: the 4th WD
    ('WD40', 'water', 'nonres_dn40', 'window', NULL, '2024-11-04 09:00:00+08', NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, '2024-11-08 10:00:00+08', '510302', 'connected', '2025-01-06 10:00:00+08', 0, 0),
    -- water DN100: the 7th WD (Wed 13)
    ('WD100', 'water', 'nonres_dn100', 'window', NULL, '2024-11-04 09:00:00+08', NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, '2024-11-13 10:00:00+08', '510302', 'connected', '2025-01-06 10:00:00+08', 0, 0),
    -- real estate, works 5–25 Nov left out: 1 WD (Tue 5) + 1 WD (Tue 26) of 15
    ('WRE', 'water', 'real_estate', 'window', NULL, '2024-11-04 09:00:00+08', NULL, NULL, NULL, NULL, NULL, NULL, '2024-11-05 09:00:00+08', '2024-11-25 09:00:00+08', NULL, NULL, '2024-11-26 10:00:00+08', '510302', 'connected', '2025-01-06 10:00:00+08', 0, 0),
    -- hv, pre-service, works: plan on the 7th WD; permits 1 WD; works 10 WD after the permits;
    -- hook-up Fri 29 → Tue 3 Dec, 2 WD; excluding works 9 + 2 of 20
    ('PHV', 'power', 'hv_single', 'pre_service', true, '2024-11-04 09:00:00+08', '2024-11-04 10:00:00+08', NULL, '2024-11-13 10:00:00+08', NULL, '2024-11-14 09:00:00+08', '2024-11-15 09:00:00+08', '2024-11-15 10:00:00+08', '2024-11-29 10:00:00+08', NULL, '2024-11-29 14:00:00+08', '2024-12-03 10:00:00+08', '510302', 'connected', '2025-01-06 10:00:00+08', 0, 0),
    -- lv_zero, pre-service, no works: plan on the 2nd WD; inspected and connected on Fri 8, the 4th WD
    ('PLZ', 'power', 'lv_zero', 'pre_service', false, '2024-11-04 09:00:00+08', '2024-11-04 09:30:00+08', NULL, '2024-11-06 10:00:00+08', NULL, NULL, NULL, NULL, NULL, NULL, '2024-11-08 09:00:00+08', '2024-11-08 15:00:00+08', '510302', 'connected', '2025-01-06 10:00:00+08', 0, 0),
    -- lv_nonres, works: permits 1 WD of 7; works 9 WD of 30; excluding works 1 + 1 of 4
    ('PLA', 'power', 'lv_nonres', 'window', true, '2024-11-04 09:00:00+08', NULL, NULL, NULL, NULL, '2024-11-04 10:00:00+08', '2024-11-05 09:00:00+08', '2024-11-05 10:00:00+08', '2024-11-15 10:00:00+08', NULL, NULL, '2024-11-18 10:00:00+08', '510302', 'connected', '2025-01-06 10:00:00+08', 0, 0),
    -- gas, online: survey agreed 1 WD; plan 5th WD; works 9 WD after the contract; inspection 5 WD
    -- after the request; gas on 3 WD after it; excluding works 6 + 8 of 14
    ('GAS', 'gas', 'residential', 'online', NULL, '2024-11-04 09:00:00+08', NULL, '2024-11-05 10:00:00+08', '2024-11-11 10:00:00+08', '2024-11-11 11:00:00+08', NULL, NULL, '2024-11-12 09:00:00+08', '2024-11-22 10:00:00+08', '2024-11-22 11:00:00+08', '2024-11-29 10:00:00+08', '2024-12-04 10:00:00+08', '510302', 'connected', '2025-01-06 10:00:00+08', 0, 0),
    -- telecom: 48 hours
    ('TEL', 'telecom', 'individual', 'window', NULL, '2024-11-04 09:00:00+08', NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, '2024-11-06 09:00:00+08', '510302', 'connected', '2025-01-06 10:00:00+08', 0, 0);

INSERT INTO tickets (ticket_id, utility, district, kind, received_at, responded_at, closed_at, load_id, source_row) VALUES
    -- repair closed on the 2nd WD
    ('T1', 'gas', '510302', 'repair', '2024-11-04 09:00:00+08', NULL, '2024-11-06 09:00:00+08', 0, 0),
    -- complaint closed on the 6th WD
    ('T2', 'gas', '510302', 'complaint', '2024-11-04 09:00:00+08', NULL, '2024-11-12 09:00:00+08', 0, 0),
    -- enquiry answered the same day
    ('T3', 'gas', '510302', 'enquiry', '2024-11-04 09:00:00+08', '2024-11-04 15:00:00+08', '2024-11-04 15:00:00+08', 0, 0);
