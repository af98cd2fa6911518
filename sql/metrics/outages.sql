-- metric: outage_hours_per_customer
-- name_zh: 户均停电（停水、停气）时间
-- name_en: Interruption hours per customer (AIHC-1, SAIDI)
-- unit: h
-- direction: lower
-- statistics: sum, rolling_12m
-- definition: 统计期内开始的停运，Σ(停运小时 × 停运户数) ÷ 服务户数N；N为统计期各月服务户数的平均值，任一月缺数据则不计算（无数据）。免于统计的停运只在政策配置认可其原因时不计入（如自贡只认可森林防火等安全避险停运），不认可的按计划停运计入；3分钟及以下的短时停电（供电，DL/T 836）不计入，单独计次。滚动12个月合计：季度为截至本季的连续四个季度之和（各季用各自的N），年度即全年值；年度目标按此判断。
--
-- metric: outage_hours_per_customer_planned
-- name_zh: 户均计划停运时间
-- name_en: Planned interruption hours per customer
-- unit: h
-- direction: lower
-- statistics: sum
-- definition: 同户均停运时间，只计计划停运。
--
-- metric: outage_hours_per_customer_fault
-- name_zh: 户均故障停运时间
-- name_en: Fault interruption hours per customer
-- unit: h
-- direction: lower
-- statistics: sum
-- definition: 同户均停运时间，只计故障（突发）停运。
--
-- metric: outage_hours_per_customer_exempt
-- name_zh: 户均免于统计停运时间
-- name_en: Exempt interruption hours per customer (shown on their own)
-- unit: h
-- direction: lower
-- statistics: sum
-- definition: 政策配置认可其原因的免于统计停运（如森林防火主动停运），单独列示，不计入各项指标；原因不被认可的不在此列。
--
-- metric: outages_per_customer
-- name_zh: 户均停运次数
-- name_en: Interruptions per customer (AITC-1, SAIFI)
-- unit: count
-- direction: lower
-- statistics: sum
-- definition: Σ停运户数 ÷ 服务户数N，认可的免于统计停运和短时停电不计入。
--
-- metric: supply_reliability
-- name_zh: 供电（供水、供气）可靠率
-- name_en: Supply reliability (RS-1, ASAI)
-- unit: rate
-- direction: higher
-- statistics: rate
-- definition: 1 − 户均停运时间 ÷ 统计期小时数（如第三季度2208小时）。
--
-- metric: outage_hours_yoy
-- name_zh: 户均停运时间同比变化
-- name_en: Interruption hours per customer, change on the year
-- unit: rate
-- direction: lower
-- statistics: rate
-- definition: 本期滚动12个月户均停运时间 ÷ 上年同期滚动12个月值 − 1（年度为全年值之比）；自贡目标：同比下降8%以上亦视为达标。
--
-- metric: planned_stop_count
-- name_zh: 计划停运次数
-- name_en: Planned stops
-- unit: count
-- direction: lower
-- statistics: count
-- definition: 统计期内开始的计划停运次数（供水信息公开项），含原因不被认可的免于统计停运，不含短时停电。
--
-- metric: sudden_stop_count
-- name_zh: 突发停运次数
-- name_en: Sudden stops
-- unit: count
-- direction: lower
-- statistics: count
-- definition: 统计期内开始的故障（突发）停运次数（供水信息公开项），不含短时停电。
--
-- metric: planned_notice_24h_rate
-- name_zh: 计划停运提前24小时告知率
-- name_en: Planned stops notified 24 hours ahead
-- unit: rate
-- direction: higher
-- statistics: rate
-- definition: 通知时间不晚于开始前24小时的计划停运 ÷ 计划停运；未记录通知时间的计为未按时告知。
--
-- metric: fault_notice_rate
-- name_zh: 突发停运抢修期间告知率
-- name_en: Sudden stops notified during the repair
-- unit: rate
-- direction: higher
-- statistics: rate
-- definition: 通知时间早于恢复时间的故障（突发）停运 ÷ 故障停运；未记录通知时间的计为未告知。
--
-- metric: momentary_count
-- name_zh: 短时停电次数
-- name_en: Momentary interruptions (3 minutes or less)
-- unit: count
-- direction: lower
-- statistics: count
-- definition: 统计期内开始、持续时间不超过3分钟（政策配置可改）的供电中断次数（DL/T 836短时停电），不计入户均停电时间、停电次数等持续停电指标；认可的免于统计停运不在此列。
--
-- metric: long_stop_emergency_rate
-- name_zh: 超24小时停运应急保障率
-- name_en: Stops over 24 hours with emergency supply
-- unit: rate
-- direction: higher
-- statistics: rate
-- definition: 安排了应急供应的超过24小时停运 ÷ 超过24小时的停运。

WITH periods AS (
    SELECT * FROM _periods
), o AS (
    -- An interruption counts whole in the period where it started (IEEE 1366), as the
    -- kind _outage_kinds gives it (exemptions accepted or not, momentary ones).
    SELECT p.seq, o.outage_id, o.utility, o.district, o.area_type, o.customers, o.emergency_supply, o.hours, o.kind,
        o.notified_at IS NOT NULL AND o.notified_at <= o.start_at - INTERVAL 24 HOUR AS notified_in_time,
        o.notified_at IS NOT NULL AND o.notified_at < o.end_at AS notified_during
    FROM _outage_kinds o JOIN periods p ON o.start_at >= p.start_at AND o.start_at < p.end_at
), sums AS (
    SELECT seq, utility, district, area_type,
        coalesce((sum(exact_term(hours * customers)) FILTER (kind IN ('planned', 'fault')))::DOUBLE, 0) AS customer_hours,
        coalesce((sum(exact_term(hours * customers)) FILTER (kind = 'planned'))::DOUBLE, 0) AS customer_hours_planned,
        coalesce((sum(exact_term(hours * customers)) FILTER (kind = 'fault'))::DOUBLE, 0) AS customer_hours_fault,
        coalesce((sum(exact_term(hours * customers)) FILTER (kind = 'exempt'))::DOUBLE, 0) AS customer_hours_exempt,
        coalesce(sum(customers) FILTER (kind IN ('planned', 'fault')), 0) AS customer_interruptions,
        count(*) FILTER (kind IN ('planned', 'fault')) AS n_counted,
        count(*) FILTER (kind = 'planned') AS n_planned,
        count(*) FILTER (kind = 'fault') AS n_fault,
        count(*) FILTER (kind = 'exempt') AS n_exempt,
        count(*) FILTER (kind = 'momentary') AS n_momentary,
        count(*) FILTER (kind = 'planned' AND notified_in_time) AS n_planned_notified,
        count(*) FILTER (kind = 'fault' AND notified_during) AS n_fault_notified,
        count(*) FILTER (kind IN ('planned', 'fault') AND hours > 24) AS n_long,
        count(*) FILTER (kind IN ('planned', 'fault') AND hours > 24 AND emergency_supply) AS n_long_covered
    FROM o
    GROUP BY GROUPING SETS ((seq, utility), (seq, utility, district), (seq, utility, area_type))
), base AS (
    SELECT p.seq, p.months, b.utility, b.district, b.area_type, b.month, b.customers
    FROM customer_base b JOIN periods p ON b.month >= p.start_at::DATE AND b.month < p.end_at::DATE
), cells AS (
    -- Every (district, area type) a utility reports must be there for every month of
    -- the period: a gap makes N, and every figure that divides by it, no_data.
    SELECT seq, utility, district, area_type, count(DISTINCT month) = any_value(months) AS complete
    FROM base GROUP BY ALL
), served AS (
    SELECT b.seq, b.utility, b.district, b.area_type,
        sum(b.customers) / any_value(b.months) AS n_customers,  -- the mean of the monthly totals
        bool_and(c.complete) AS complete
    FROM base b JOIN cells c USING (seq, utility, district, area_type)
    GROUP BY GROUPING SETS ((b.seq, b.utility), (b.seq, b.utility, b.district), (b.seq, b.utility, b.area_type))
), per_period AS (
    -- A group with customers and no interruption has 0 hours; one with
    -- interruptions and no customer base has no N.
    SELECT coalesce(s.seq, n.seq) AS seq, coalesce(s.utility, n.utility) AS utility,
        coalesce(s.district, n.district) AS district, coalesce(s.area_type, n.area_type) AS area_type,
        s.* EXCLUDE (seq, utility, district, area_type),
        CASE WHEN n.complete THEN n.n_customers END AS n_customers
    FROM sums s FULL JOIN served n
      ON s.seq = n.seq AND s.utility = n.utility
     AND s.district IS NOT DISTINCT FROM n.district AND s.area_type IS NOT DISTINCT FROM n.area_type
), rated AS (
    SELECT *, coalesce(customer_hours, 0) / n_customers AS aihc
    FROM per_period
), rolled AS (
    -- rolling_12m: a quarter adds the three before it, each with its own N; a year is
    -- its own twelve months. Any missing quarter leaves it no_data.
    SELECT r.*,
        CASE (SELECT period_kind FROM _settings)
            WHEN 'quarter' THEN (SELECT CASE WHEN count(x.aihc) = 4 THEN sum(exact_term(x.aihc))::DOUBLE END FROM rated x
                                 WHERE x.utility = r.utility AND x.district IS NOT DISTINCT FROM r.district
                                   AND x.area_type IS NOT DISTINCT FROM r.area_type AND x.seq BETWEEN r.seq AND r.seq + 3)
            WHEN 'year' THEN r.aihc
        END AS rolling
    FROM rated r
), current AS (
    SELECT c.*, prev.rolling AS rolling_year_before, p.hours
    FROM rolled c
    JOIN periods p ON p.seq = 0
    LEFT JOIN rolled prev
      ON prev.seq = CASE (SELECT period_kind FROM _settings) WHEN 'quarter' THEN 4 WHEN 'year' THEN 1 END
     AND prev.utility = c.utility AND prev.district IS NOT DISTINCT FROM c.district
     AND prev.area_type IS NOT DISTINCT FROM c.area_type
    WHERE c.seq = 0
)
SELECT s.metric_id, utility::VARCHAR, NULL::VARCHAR, district, area_type::VARCHAR, s.statistic, s.value::DOUBLE, s.n, NULL::VARCHAR AS target_id
FROM current, unnest([
    {'metric_id': 'outage_hours_per_customer', 'statistic': 'sum', 'value': aihc, 'n': coalesce(n_counted, 0)},
    {'metric_id': 'outage_hours_per_customer', 'statistic': 'rolling_12m', 'value': rolling, 'n': CASE WHEN (SELECT period_kind FROM _settings) = 'month' THEN 0 ELSE coalesce(n_counted, 0) END},
    {'metric_id': 'outage_hours_per_customer_planned', 'statistic': 'sum', 'value': coalesce(customer_hours_planned, 0) / n_customers, 'n': coalesce(n_planned, 0)},
    {'metric_id': 'outage_hours_per_customer_fault', 'statistic': 'sum', 'value': coalesce(customer_hours_fault, 0) / n_customers, 'n': coalesce(n_fault, 0)},
    {'metric_id': 'outage_hours_per_customer_exempt', 'statistic': 'sum', 'value': coalesce(customer_hours_exempt, 0) / n_customers, 'n': coalesce(n_exempt, 0)},
    {'metric_id': 'outages_per_customer', 'statistic': 'sum', 'value': coalesce(customer_interruptions, 0) / n_customers, 'n': coalesce(n_counted, 0)},
    {'metric_id': 'supply_reliability', 'statistic': 'rate', 'value': 1 - aihc / hours, 'n': coalesce(n_counted, 0)},
    {'metric_id': 'outage_hours_yoy', 'statistic': 'rate', 'value': rolling / nullif(rolling_year_before, 0) - 1, 'n': CASE WHEN (SELECT period_kind FROM _settings) = 'month' THEN 0 ELSE coalesce(n_counted, 0) END},
    {'metric_id': 'planned_stop_count', 'statistic': 'count', 'value': coalesce(n_planned, 0), 'n': coalesce(n_planned, 0)},
    {'metric_id': 'sudden_stop_count', 'statistic': 'count', 'value': coalesce(n_fault, 0), 'n': coalesce(n_fault, 0)},
    {'metric_id': 'planned_notice_24h_rate', 'statistic': 'rate', 'value': n_planned_notified / nullif(n_planned, 0), 'n': coalesce(n_planned, 0)},
    {'metric_id': 'fault_notice_rate', 'statistic': 'rate', 'value': n_fault_notified / nullif(n_fault, 0), 'n': coalesce(n_fault, 0)},
    {'metric_id': 'long_stop_emergency_rate', 'statistic': 'rate', 'value': n_long_covered / nullif(n_long, 0), 'n': coalesce(n_long, 0)},
    {'metric_id': 'momentary_count', 'statistic': 'count', 'value': coalesce(n_momentary, 0), 'n': coalesce(n_momentary, 0)}
]) AS t(s)
