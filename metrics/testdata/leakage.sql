-- The leakage worked check of spec/metrics.md over 2024, spread evenly over twelve
-- months: Qs = 10 000 × 10⁴ m³, Qa = 8 500 × 10⁴ m³, residential metered
-- 3 000 × 10⁴ m³, pipe 900 km, pressure 0.40 MPa, frost 0.5 m (district 510302).
-- District 510303 is the same with 2 000 km of pipe (A = 0.2, R2 clamped to 3 %).
-- Districts 510304–510309 test the pressure and frost boundaries, and 510310 lacks
-- the residential volume. Columns: utility, district, month, system_input_m3,
-- billed_m3, residential_metered_m3, pipe_length_km, avg_pressure_mpa, frost_depth_m.
INSERT INTO water_balance
SELECT 'water', d.district, m::DATE, 1e8 / 12, 8.5e7 / 12, d.residential / 12, d.pipe, d.pressure, d.frost, 0, 0
FROM generate_series(DATE '2024-01-01', DATE '2024-12-01', INTERVAL 1 MONTH) t(m),
     (VALUES ('510302', 3e7, 900, 0.40, 0.5),
             ('510303', 3e7, 2000, 0.40, 0.5),
             ('510304', 3e7, 900, 0.35, 0.5),
             ('510305', 3e7, 900, 0.55, 0.5),
             ('510306', 3e7, 900, 0.75, 0.5),
             ('510307', 3e7, 900, 0.7501, 0.5),
             ('510308', 3e7, 900, 0.40, 1.4),
             ('510309', 3e7, 900, 0.40, 1.41),
             ('510310', NULL, 900, 0.40, 0.5)) d(district, residential, pipe, pressure, frost);
