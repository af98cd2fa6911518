-- One case per integrity rule, in 2024Q4, with the finding each must give.
INSERT INTO loads VALUES (1, 'cases.csv', 'x', 'cases', 'csv', 'utf-8', 'zh-cn', 9, 9, 0, 0, NULL,
    '2024-12-20 00:00:00+08', '2024-12-20 00:00:00+08');
INSERT INTO cases (case_id, utility, district, customer_class, status, applied_at, surveyed_at, plan_replied_at,
                   inspected_at, connected_at, closed_at, has_external_works, applicant, address, recorded_at, load_id, source_row) VALUES
    -- clean: no finding
    ('OK', 'power', '510302', 'residential', 'connected', '2024-10-08 09:00:00+08', '2024-10-08 15:00:00+08', NULL,
     NULL, '2024-10-09 09:00:00+08', NULL, false, '甲', 'a', '2024-10-09 10:00:00+08', 1, 1),
    -- out of order: plan replied before the survey
    ('ORDER', 'power', '510302', 'residential', 'connected', '2024-10-08 09:00:00+08', '2024-10-10 09:00:00+08', '2024-10-09 09:00:00+08',
     NULL, '2024-10-11 09:00:00+08', NULL, false, '乙', 'b', '2024-10-11 10:00:00+08', 1, 2),
    -- back-filled: recorded 4 working days after its latest stage (14 Oct → 18 Oct)
    ('LATE', 'power', '510302', 'residential', 'connected', '2024-10-10 09:00:00+08', NULL, NULL,
     NULL, '2024-10-14 09:00:00+08', NULL, false, '丙', 'c', '2024-10-18 09:00:00+08', 1, 3),
    -- cancelled, then the same applicant and address again 10 days later
    ('GONE', 'power', '510302', 'residential', 'cancelled', '2024-10-14 09:00:00+08', NULL, NULL,
     NULL, NULL, '2024-10-15 09:00:00+08', false, '丁', 'd', '2024-10-15 10:00:00+08', 1, 4),
    ('AGAIN', 'power', '510302', 'residential', 'open', '2024-10-24 09:00:00+08', NULL, NULL,
     NULL, NULL, NULL, false, '丁', 'd', '2024-10-24 10:00:00+08', 1, 5),
    -- a closing time after the file was loaded (20 Dec)
    ('FUTURE', 'power', '510302', 'residential', 'connected', '2024-12-02 09:00:00+08', NULL, NULL,
     NULL, '2024-12-03 09:00:00+08', '2024-12-27 09:00:00+08', false, '戊', 'e', '2024-12-03 10:00:00+08', 1, 6),
    -- high voltage, connected, without plan reply and inspection; with external works but no works stages
    ('HOLES', 'power', '510302', 'hv_single', 'connected', '2024-11-04 09:00:00+08', NULL, NULL,
     NULL, '2024-11-29 09:00:00+08', NULL, true, '己', 'f', '2024-11-29 10:00:00+08', 1, 7),
    -- the case row and the events disagree on the survey
    ('CLASH', 'power', '510302', 'residential', 'connected', '2024-11-04 09:00:00+08', '2024-11-04 15:00:00+08', NULL,
     NULL, '2024-11-05 09:00:00+08', NULL, false, '庚', 'g', '2024-11-05 10:00:00+08', 1, 8);
INSERT INTO case_events (case_id, utility, stage, occurred_at, recorded_at, load_id, source_row) VALUES
    ('CLASH', 'power', 'surveyed', '2024-11-04 11:00:00+08', '2024-11-04 11:00:00+08', 1, 1),
    -- an event recorded 5 working days after it occurred (11 Nov → 18 Nov)
    ('OK', 'power', 'accepted', '2024-11-11 09:00:00+08', '2024-11-18 09:00:00+08', 1, 2);
