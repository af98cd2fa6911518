-- metric: leakage_rate_gross
-- name_zh: 综合漏损率
-- name_en: Gross leakage rate
-- unit: rate
-- direction: lower
-- statistics: rate
-- definition: （供水总量 − 注册用户用水量）÷ 供水总量，按统计期各月合计（CJJ 92-2016，2018年修订）。统计期任一月缺少水量平衡数据则不计算。
--
-- metric: leakage_rate
-- name_zh: 漏损率
-- name_en: Leakage rate, corrected
-- unit: rate
-- direction: lower
-- statistics: rate
-- definition: 综合漏损率减去四项修正值R1至R4（CJJ 92-2016，2018年修订）。缺少某项修正所需数据时该项修正按0计，并在对应修正值一行标为无数据。一级≤10%，二级≤12%，国家目标≤9%。
--
-- metric: leakage_correction_r1
-- name_zh: 居民抄表到户水量修正值R1
-- name_en: Correction R1, residential metering
-- unit: rate
-- direction: higher
-- statistics: rate
-- definition: R1 = 0.08 × 居民抄表到户水量 ÷ 供水总量；任一月缺少居民抄表到户水量则按0计并标为无数据。
--
-- metric: leakage_correction_r2
-- name_zh: 单位供水量管长修正值R2
-- name_en: Correction R2, pipe length per supply
-- unit: rate
-- direction: higher
-- statistics: rate
-- definition: R2 = 0.99 × (A − 0.0693)，限定在−3%至3%之间；A = 统计期末月DN75及以上管长（千米）÷ 年供水总量（万立方米），不足一年的按月数折算为全年。
--
-- metric: leakage_correction_r3
-- name_zh: 年平均出厂压力修正值R3
-- name_en: Correction R3, average outlet pressure
-- unit: rate
-- direction: higher
-- statistics: rate
-- definition: 按供水量加权的平均出厂压力在(0.35, 0.55] MPa时为0.5%，(0.55, 0.75] MPa时为1%，大于0.75 MPa时为2%，不大于0.35 MPa时为0。
--
-- metric: leakage_correction_r4
-- name_zh: 最大冻土深度修正值R4
-- name_en: Correction R4, frost depth
-- unit: rate
-- direction: higher
-- statistics: rate
-- definition: 最大冻土深度大于1.4米时为1%，否则为0。

WITH period AS (
    SELECT start_at, end_at, months FROM _periods WHERE seq = 0
), months AS (
    SELECT w.*, p.months AS period_months
    FROM water_balance w, period p
    WHERE w.month >= p.start_at::DATE AND w.month < p.end_at::DATE
), per_district AS (
    SELECT utility, district,
        count(*) = any_value(period_months) AS complete, count(*) AS month_rows,
        any_value(period_months) AS period_months,
        sum(exact_term(system_input_m3))::DOUBLE AS qs, sum(exact_term(billed_m3))::DOUBLE AS qa,
        CASE WHEN count(residential_metered_m3) = count(*) THEN sum(exact_term(residential_metered_m3))::DOUBLE END AS residential,
        -- The pipe length of the last month of the period.
        CASE WHEN max(month) = max(month) FILTER (pipe_length_km IS NOT NULL) THEN arg_max(pipe_length_km, month) END AS pipe_km,
        sum(exact_term(avg_pressure_mpa * system_input_m3))::DOUBLE AS pressure_weighted,
        CASE WHEN count(avg_pressure_mpa) = count(*) THEN sum(exact_term(system_input_m3))::DOUBLE END AS pressure_weight,
        CASE WHEN count(frost_depth_m) > 0 THEN max(frost_depth_m) END AS frost_m
    FROM months GROUP BY utility, district
), grouped AS (
    -- The company as a whole adds its districts; any part missing leaves that input missing.
    SELECT utility, district, bool_and(complete) AS complete, any_value(period_months) AS period_months,
        sum(exact_term(qs))::DOUBLE AS qs, sum(exact_term(qa))::DOUBLE AS qa,
        CASE WHEN count(residential) = count(*) THEN sum(exact_term(residential))::DOUBLE END AS residential,
        CASE WHEN count(pipe_km) = count(*) THEN sum(exact_term(pipe_km))::DOUBLE END AS pipe_km,
        -- Rounded so that a pressure of exactly 0.35, 0.55 or 0.75 MPa stays on its
        -- boundary instead of landing a rounding error above it.
        CASE WHEN count(pressure_weight) = count(*) THEN round(sum(exact_term(pressure_weighted))::DOUBLE / sum(exact_term(pressure_weight))::DOUBLE, 6) END AS pressure,
        max(frost_m) AS frost_m,
        sum(month_rows) AS n  -- the monthly balances behind the figure
    FROM per_district
    GROUP BY GROUPING SETS ((utility), (utility, district))
), corrections AS (
    SELECT *,
        CASE WHEN complete THEN (qs - qa) / qs END AS gross,
        0.08 * residential / qs AS r1,
        -- A: km of pipe per 10⁴ m³ supplied in a year.
        least(greatest(0.99 * (pipe_km / (qs * 12 / period_months / 10000) - 0.0693), -0.03), 0.03) AS r2,
        CASE WHEN pressure > 0.75 THEN 0.02 WHEN pressure > 0.55 THEN 0.01 WHEN pressure > 0.35 THEN 0.005
             WHEN pressure IS NOT NULL THEN 0 END AS r3,
        CASE WHEN frost_m > 1.4 THEN 0.01 WHEN frost_m IS NOT NULL THEN 0 END AS r4
    FROM grouped
)
SELECT s.metric_id, utility::VARCHAR, NULL::VARCHAR, district, NULL::VARCHAR, s.statistic, s.value::DOUBLE, s.n, NULL::VARCHAR AS target_id
FROM corrections, unnest([
    {'metric_id': 'leakage_rate_gross', 'statistic': 'rate', 'value': gross, 'n': n},
    {'metric_id': 'leakage_rate', 'statistic': 'rate',
     'value': gross - (coalesce(r1, 0) + coalesce(r2, 0) + coalesce(r3, 0) + coalesce(r4, 0)), 'n': n},
    {'metric_id': 'leakage_correction_r1', 'statistic': 'rate', 'value': r1, 'n': n},
    {'metric_id': 'leakage_correction_r2', 'statistic': 'rate', 'value': r2, 'n': n},
    {'metric_id': 'leakage_correction_r3', 'statistic': 'rate', 'value': r3, 'n': n},
    {'metric_id': 'leakage_correction_r4', 'statistic': 'rate', 'value': r4, 'n': n}
]) AS t(s)
