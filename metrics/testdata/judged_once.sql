-- Power lv_zero cases against a 4 WD limit, each judged once (spec/metrics.md H1). The
-- data runs to Mon 6 Jan 2025 10:00 (recorded_at). Deadlines by the legal count:
INSERT INTO cases (case_id, utility, district, customer_class, status, applied_at, connected_at, closed_at, recorded_at, load_id, source_row) VALUES
    -- Mon 23 Sep → deadline Fri 27 Sep; connected 8 Oct: missed, decided in Q3 only
    ('P1', 'power', '510302', 'lv_zero', 'connected', '2024-09-23 09:00:00+08', '2024-10-08 10:00:00+08', NULL, '2025-01-06 10:00:00+08', 0, 0),
    -- Mon 23 Sep, connected Thu 26 Sep: met in Q3
    ('P2', 'power', '510302', 'lv_zero', 'connected', '2024-09-23 09:00:00+08', '2024-09-26 09:00:00+08', NULL, '2025-01-06 10:00:00+08', 0, 0),
    -- Wed 25 Dec → deadline Tue 31 Dec; still open at the cut-off: missed in Q4
    ('P3', 'power', '510303', 'lv_zero', 'open', '2024-12-25 09:00:00+08', NULL, NULL, '2025-01-06 10:00:00+08', 0, 0),
    -- Mon 30 Sep → deadline Fri 11 Oct (1–7 Oct off); cancelled 15 Oct, after it: missed in Q4
    ('P4', 'power', '510302', 'lv_zero', 'cancelled', '2024-09-30 10:00:00+08', NULL, '2024-10-15 09:00:00+08', '2025-01-06 10:00:00+08', 0, 0),
    -- Thu 26 Dec, cancelled the next day, before its deadline: never judged
    ('P5', 'power', '510302', 'lv_zero', 'cancelled', '2024-12-26 09:00:00+08', NULL, '2024-12-27 09:00:00+08', '2025-01-06 10:00:00+08', 0, 0),
    -- Mon 30 Dec → deadline Mon 6 Jan (1 Jan off), still open: not decided yet
    ('P6', 'power', '510302', 'lv_zero', 'open', '2024-12-30 09:00:00+08', NULL, NULL, '2025-01-06 10:00:00+08', 0, 0),
    -- Mon 14 Oct 10:00 → deadline Fri 18 Oct; connected Fri 23:00: met (4.54 WD elapsed)
    ('P7', 'power', '510302', 'lv_zero', 'connected', '2024-10-14 10:00:00+08', '2024-10-18 23:00:00+08', NULL, '2025-01-06 10:00:00+08', 0, 0);
