-- Cases for the connection metrics in 2024Q4, with durations worked out by hand on the
-- 2024 calendar (1–7 Oct off; Sun 29 Sep and Sat 12 Oct make-up working days).
INSERT INTO cases (case_id, utility, joint_id, district, customer_class, capacity, channel, procedures,
                   fee_cny, status, applied_at, surveyed_at, connected_at, suspended_days, load_id, source_row) VALUES
    -- water residential: connection times 1, 2, 3, 0.25 and 3 WD
    -- applied in Q3, connected in Q4: 30 Sep 12:00 → 8 Oct 12:00 = 0.5 + 0.5 = 1 WD
    ('A1', 'water', NULL, '510302', 'residential', 20, 'online', 2, 0, 'connected', '2024-09-30 12:00:00+08', '2024-10-08 09:00:00+08', '2024-10-08 12:00:00+08', NULL, 0, 0),
    -- Fri 11 Oct 12:00 → Mon 14 Oct 12:00 over the make-up Saturday = 0.5 + 1 + 0.5 = 2 WD
    ('A2', 'water', NULL, '510302', 'residential', 20, 'window', 3, 0, 'connected', '2024-10-11 12:00:00+08', NULL, '2024-10-14 12:00:00+08', NULL, 0, 0),
    -- Mon 14 Oct 09:00 → Fri 18 Oct 09:00 = 4 WD, less a 1-day customer pause = 3 WD
    ('A3', 'water', NULL, '510302', 'residential', 20, 'app', 1, 0, 'connected', '2024-10-14 09:00:00+08', NULL, '2024-10-18 09:00:00+08', 1, 0, 0),
    -- Mon 21 Oct 09:00 → 15:00 = 0.25 WD
    ('A4', 'water', NULL, '510303', 'residential', 20, NULL, 2, 0, 'connected', '2024-10-21 09:00:00+08', NULL, '2024-10-21 15:00:00+08', NULL, 0, 0),
    -- Mon 4 Nov 09:00 → Fri 8 Nov 09:00 = 4 WD, less the pause logged as events (1 WD) = 3 WD
    ('A5', 'water', NULL, '510303', 'residential', 20, 'online', 2, 0, 'connected', '2024-11-04 09:00:00+08', NULL, '2024-11-08 09:00:00+08', NULL, 0, 0),
    -- open and cancelled cases never count, even with a connection time
    ('A6', 'water', NULL, '510302', 'residential', 20, 'online', 2, 0, 'open', '2024-10-01 09:00:00+08', NULL, NULL, NULL, 0, 0),
    ('A7', 'water', NULL, '510302', 'residential', 20, 'online', 2, 0, 'cancelled', '2024-10-08 09:00:00+08', NULL, '2024-10-09 09:00:00+08', NULL, 0, 0),
    -- connected in Q3: not in Q4
    ('A8', 'water', NULL, '510302', 'residential', 20, 'online', 2, 0, 'connected', '2024-09-02 09:00:00+08', NULL, '2024-09-03 09:00:00+08', NULL, 0, 0),
    -- water nonres_dn40: 1 and 2 WD, an even count; one at zero fee, one not
    ('B1', 'water', NULL, '510302', 'nonres_dn40', 40, 'online', 1, 0, 'connected', '2024-10-08 09:00:00+08', NULL, '2024-10-09 09:00:00+08', NULL, 0, 0),
    ('B2', 'water', NULL, '510302', 'nonres_dn40', 40, 'window', 1, 500, 'connected', '2024-10-08 09:00:00+08', NULL, '2024-10-10 09:00:00+08', NULL, 0, 0),
    -- telecom: 1 Oct 10:00 → 3 Oct 10:00 is 48 clock hours, holidays or not
    ('T1', 'telecom', NULL, '510302', 'business', 500, 'online', 1, 0, 'connected', '2024-10-01 10:00:00+08', NULL, '2024-10-03 10:00:00+08', NULL, 0, 0),
    -- a joint application: power 8 Oct 09:00 → 10 Oct 09:00, gas 8 Oct 09:00 → 15 Oct 09:00;
    -- the whole: 8 Oct 09:00 → 15 Oct 09:00 = 0.625 + 3 + 1 (Sat 12) + 1 + 0.375 = 6 WD
    ('J1P', 'power', 'J1', '510302', 'lv_zero', 100, 'joint_window', 1, 0, 'connected', '2024-10-08 09:00:00+08', NULL, '2024-10-10 09:00:00+08', NULL, 0, 0),
    ('J1G', 'gas', 'J1', '510302', 'nonres_general', 20, 'joint_window', 1, 0, 'connected', '2024-10-08 09:00:00+08', NULL, '2024-10-15 09:00:00+08', NULL, 0, 0);

INSERT INTO case_events (case_id, utility, stage, occurred_at, load_id, source_row) VALUES
    ('A5', 'water', 'suspended', '2024-11-05 09:00:00+08', 0, 0),
    ('A5', 'water', 'resumed', '2024-11-06 09:00:00+08', 0, 0);

-- Ratings in Q4: 5, 4, 3, 2, 1 on water cases. The 2 is put right 3 WD later, the 1
-- 7 WD later: both rectified, one on time. A1 and A2 are rated: coverage 2 of the 5
-- water residential cases connected in Q4.
INSERT INTO evaluations (evaluation_id, utility, district, subject, subject_id, rated_at, rating, rectified_at, load_id, source_row) VALUES
    ('E1', 'water', '510302', 'case', 'A1', '2024-10-09 10:00:00+08', 5, NULL, 0, 0),
    ('E2', 'water', '510302', 'case', 'A2', '2024-10-15 10:00:00+08', 4, NULL, 0, 0),
    ('E3', 'water', '510302', 'case', 'B1', '2024-10-10 10:00:00+08', 3, NULL, 0, 0),
    ('E4', 'water', '510302', 'case', 'B2', '2024-10-14 10:00:00+08', 2, '2024-10-17 10:00:00+08', 0, 0),
    ('E5', 'water', '510302', 'ticket', 'K1', '2024-10-14 10:00:00+08', 1, '2024-10-23 10:00:00+08', 0, 0);

-- Tickets received in Q4. Complaints: K1 closed in 2 WD (8 Oct 09:00 → 10 Oct 09:00),
-- satisfied; K2 closed only in 2025, after the period; K3 closed in 10 WD (9 Oct 09:00 →
-- 22 Oct 09:00 = 0.625 + 2 + 1 (Sat 12) + 5 + 1 + 0.375), not satisfied.
INSERT INTO tickets (ticket_id, utility, district, kind, received_at, responded_at, closed_at, satisfied, load_id, source_row) VALUES
    ('K1', 'water', '510302', 'complaint', '2024-10-08 09:00:00+08', NULL, '2024-10-10 09:00:00+08', true, 0, 0),
    ('K2', 'water', '510302', 'complaint', '2024-12-30 09:00:00+08', NULL, '2025-01-03 09:00:00+08', true, 0, 0),
    ('K3', 'water', '510302', 'complaint', '2024-10-09 09:00:00+08', NULL, '2024-10-22 09:00:00+08', false, 0, 0),
    -- K4: Tue 31 Dec, still open when the data ends (3 Jan); due Fri 10 Jan: pending
    ('K4', 'water', '510302', 'complaint', '2024-12-31 09:00:00+08', NULL, NULL, NULL, 0, 0),
    -- repairs: 2 WD (on time) and 4 WD (late)
    ('R1', 'water', '510302', 'repair', '2024-10-14 09:00:00+08', NULL, '2024-10-16 09:00:00+08', NULL, 0, 0),
    ('R2', 'water', '510302', 'repair', '2024-10-14 09:00:00+08', NULL, '2024-10-18 09:00:00+08', NULL, 0, 0),
    -- enquiries: answered at 23:00 the same day, and 02:00 the next day
    ('Q1', 'water', '510302', 'enquiry', '2024-10-14 09:00:00+08', '2024-10-14 23:00:00+08', NULL, NULL, 0, 0),
    ('Q2', 'water', '510302', 'enquiry', '2024-10-14 20:00:00+08', '2024-10-15 02:00:00+08', NULL, NULL, 0, 0);

-- A gas residential case with every stage, November 2024 (no holidays):
-- applied Mon 4 09:00 → connected Fri 15 09:00 = 9 WD; works Mon 11 09:00 → Wed 13 09:00
-- = 2 WD, so 7 WD without them; plan: accepted Mon 4 15:00 → Wed 6 15:00 = 2 WD;
-- approval Thu 7 09:00 → Fri 8 09:00 = 1 WD; works from the approval: Fri 8 09:00 →
-- Wed 13 09:00 = 0.625 + 2 + 0.375 = 3 WD; inspected Thu 14 09:00 → connected = 1 WD.
INSERT INTO cases (case_id, utility, district, customer_class, status, materials, visits, applied_at, accepted_at,
                   plan_replied_at, approval_submitted_at, approval_granted_at, works_started_at, works_completed_at,
                   inspected_at, connected_at, load_id, source_row) VALUES
    ('S1', 'gas', '510304', 'residential', 'connected', 2, 1, '2024-11-04 09:00:00+08', '2024-11-04 15:00:00+08',
     '2024-11-06 15:00:00+08', '2024-11-07 09:00:00+08', '2024-11-08 09:00:00+08', '2024-11-11 09:00:00+08',
     '2024-11-13 09:00:00+08', '2024-11-14 09:00:00+08', '2024-11-15 09:00:00+08', 0, 0);
