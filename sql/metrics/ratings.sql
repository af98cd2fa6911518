-- metric: satisfaction_rate
-- name_zh: 好评率
-- name_en: Satisfaction rate
-- unit: rate
-- direction: higher
-- statistics: rate
-- definition: 统计期内的评价中，评价等级不低于“基本满意”（3级，政策配置可设为4级）的比例。按被评工单的客户类别分组；评价办件以外对象的评价只计入整体和区县。
--
-- metric: rating_coverage
-- name_zh: 评价覆盖率
-- name_en: Rating coverage of finished cases
-- unit: rate
-- direction: higher
-- statistics: rate
-- definition: 统计期内完成接入的工单中，收到至少一条评价（不论评价时间）的比例。
--
-- metric: poor_rating_rectified
-- name_zh: 差评整改率
-- name_en: Poor ratings put right
-- unit: rate
-- direction: higher
-- statistics: rate
-- definition: 统计期内的差评（1、2级）中，已记录整改时间的比例（整改时间不限）。
--
-- metric: poor_rating_rectified_on_time
-- name_zh: 差评按时整改率
-- name_en: Poor ratings put right on time
-- unit: rate
-- direction: higher
-- statistics: rate
-- definition: 统计期内的差评中，在评价后5个工作日内（政策配置可改）整改的比例。

WITH period AS (
    SELECT start_at, end_at FROM _periods WHERE seq = 0
), settings AS (
    SELECT * FROM _settings
), in_period AS (
    -- The period's ratings, with their working time to rectification.
    SELECT e.*, e.rating <= 2 AND working_days(ci, e.rated_at, e.rectified_at) <= (SELECT rectify_wd FROM settings) AS rectified_on_time,
        CASE WHEN e.subject = 'case' THEN e.subject_id END AS rated_case_id
    FROM evaluations e, period, calendar_index ci
    WHERE e.rated_at >= period.start_at AND e.rated_at < period.end_at
), rated AS (
    SELECT i.utility, c.customer_class, i.district, i.rating, i.rated_at, i.rectified_at, i.rectified_on_time
    FROM in_period i
    -- Equalities only: a condition on the left side alone would make this outer join a
    -- nested loop.
    LEFT JOIN cases c ON c.utility = i.utility AND c.case_id = i.rated_case_id
), rating_stats AS (
    SELECT utility, customer_class, district, [
        {'metric_id': 'satisfaction_rate', 'statistic': 'rate',
         'value': count(*) FILTER (rating >= (SELECT satisfied_min FROM settings)) / count(*), 'n': count(*)},
        {'metric_id': 'poor_rating_rectified', 'statistic': 'rate',
         'value': count(rectified_at) FILTER (rating <= 2) / nullif(count(*) FILTER (rating <= 2), 0), 'n': count(*) FILTER (rating <= 2)},
        {'metric_id': 'poor_rating_rectified_on_time', 'statistic': 'rate',
         'value': count(*) FILTER (rectified_on_time) / nullif(count(*) FILTER (rating <= 2), 0), 'n': count(*) FILTER (rating <= 2)}
    ] AS stats
    FROM rated
    GROUP BY GROUPING SETS ((utility), (utility, customer_class), (utility, district))
    -- A rating of something other than a case has no class: it counts in the utility
    -- and district rows only.
    HAVING NOT (GROUPING(customer_class) = 0 AND customer_class IS NULL)
), rated_cases AS (
    SELECT DISTINCT utility, subject_id AS case_id FROM evaluations WHERE subject = 'case'
), finished AS (
    -- A join, not a correlated EXISTS: one hash join instead of a look-up per case.
    SELECT c.utility, c.customer_class, c.district, r.case_id IS NOT NULL AS rated
    FROM cases c
    CROSS JOIN period
    LEFT JOIN rated_cases r ON r.utility = c.utility AND r.case_id = c.case_id
    WHERE c.status = 'connected' AND c.connected_at >= period.start_at AND c.connected_at < period.end_at
), coverage AS (
    SELECT utility, customer_class, district, [
        {'metric_id': 'rating_coverage', 'statistic': 'rate', 'value': count(*) FILTER (rated) / count(*), 'n': count(*)}
    ] AS stats
    FROM finished
    GROUP BY GROUPING SETS ((utility), (utility, customer_class), (utility, district))
)
SELECT s.metric_id, utility::VARCHAR, customer_class::VARCHAR, district, NULL::VARCHAR, s.statistic, s.value::DOUBLE, s.n, NULL::VARCHAR AS target_id
FROM (SELECT * FROM rating_stats UNION ALL SELECT * FROM coverage), unnest(stats) AS t(s)
