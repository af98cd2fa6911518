-- One power lv_zero case against a 4 WD limit, with half a working day of customer
-- pause, still open at the data cut-off (Mon 30 Dec 2024 10:00, its recorded_at).
-- Applied Mon 23 Dec 09:00. By the legal count the pause moves the deadline by a whole
-- day: 4 + 1 WD, Mon 30 Dec, not yet past at the cut-off, so the case is undecided.
-- By the elapsed rule the deadline is where 4.5 WD of elapsed working time run out:
-- Fri 27 Dec (23 Dec is the 1st working day, 0.375 WD in; 4.875 reaches the 5th),
-- past at the cut-off, so the case missed, decided in 2024Q4.
INSERT INTO cases (case_id, utility, district, customer_class, status, applied_at, suspended_days, recorded_at, load_id, source_row) VALUES
    ('E1', 'power', '510302', 'lv_zero', 'open', '2024-12-23 09:00:00+08', 0.5, '2024-12-30 10:00:00+08', 0, 0);
