-- metric: complaint_closure_rate
-- name_zh: 投诉办结率
-- name_en: Complaints closed
-- unit: rate
-- direction: higher
-- statistics: rate
-- definition: 统计期内受理的投诉中，在统计期结束前办结的比例。
--
-- metric: complaint_on_time_rate
-- name_zh: 投诉按时办结率
-- name_en: Complaints closed on time
-- unit: rate
-- direction: higher
-- statistics: rate
-- definition: 统计期内受理的投诉中，在统计期结束前且受理后7个工作日内（政策配置可改）办结的比例。
--
-- metric: complaint_satisfied_rate
-- name_zh: 投诉办结满意率
-- name_en: Complaints closed to the complainant's satisfaction
-- unit: rate
-- direction: higher
-- statistics: rate
-- definition: 统计期内受理的投诉中，已办结且投诉人满意的比例（昆明：投诉人满意方可办结）。
--
-- metric: complaint_close_time
-- name_zh: 投诉办结时长
-- name_en: Complaint closing time
-- unit: WD
-- direction: lower
-- statistics: median, mean
-- definition: 统计期内受理、统计期结束前办结的投诉，从受理到办结的工作日数。
--
-- metric: repair_on_time_rate
-- name_zh: 报修按时办结率
-- name_en: Repair calls closed on time
-- unit: rate
-- direction: higher
-- statistics: rate
-- definition: 统计期内受理的报修中，在统计期结束前且受理后3个工作日内办结的比例。
--
-- metric: enquiry_same_day_rate
-- name_zh: 咨询当日答复率
-- name_en: Enquiries answered the same day
-- unit: rate
-- direction: higher
-- statistics: rate
-- definition: 统计期内受理的咨询中，在受理当日（以本地日期计）答复的比例；无答复时间时以办结时间计。

WITH period AS (
    SELECT start_at, end_at FROM _periods WHERE seq = 0
), settings AS (
    SELECT * FROM _settings
), t AS (
    SELECT k.utility, k.district, k.kind, k.satisfied,
        -- "Closed" means closed by the end of the period (spec/metrics.md D).
        CASE WHEN k.closed_at < period.end_at THEN working_days(k.received_at, k.closed_at) END AS close_wd,
        coalesce(k.responded_at, k.closed_at)::DATE = k.received_at::DATE AS same_day
    FROM tickets k, period
    WHERE k.received_at >= period.start_at AND k.received_at < period.end_at
)
SELECT s.metric_id, utility::VARCHAR, NULL::VARCHAR, district, NULL::VARCHAR, s.statistic, s.value::DOUBLE, s.n, NULL::VARCHAR AS target_id
FROM (
    SELECT utility, district, [
        {'metric_id': 'complaint_closure_rate', 'statistic': 'rate',
         'value': count(close_wd) FILTER (kind = 'complaint') / nullif(count(*) FILTER (kind = 'complaint'), 0), 'n': count(*) FILTER (kind = 'complaint')},
        {'metric_id': 'complaint_on_time_rate', 'statistic': 'rate',
         'value': count(*) FILTER (kind = 'complaint' AND close_wd <= (SELECT complaint_wd FROM settings)) / nullif(count(*) FILTER (kind = 'complaint'), 0),
         'n': count(*) FILTER (kind = 'complaint')},
        {'metric_id': 'complaint_satisfied_rate', 'statistic': 'rate',
         'value': count(*) FILTER (kind = 'complaint' AND close_wd IS NOT NULL AND satisfied) / nullif(count(*) FILTER (kind = 'complaint'), 0),
         'n': count(*) FILTER (kind = 'complaint')},
        {'metric_id': 'complaint_close_time', 'statistic': 'median', 'value': median(close_wd) FILTER (kind = 'complaint'), 'n': count(close_wd) FILTER (kind = 'complaint')},
        {'metric_id': 'complaint_close_time', 'statistic': 'mean', 'value': avg(close_wd) FILTER (kind = 'complaint'), 'n': count(close_wd) FILTER (kind = 'complaint')},
        {'metric_id': 'repair_on_time_rate', 'statistic': 'rate',
         'value': count(*) FILTER (kind = 'repair' AND close_wd <= (SELECT repair_wd FROM settings)) / nullif(count(*) FILTER (kind = 'repair'), 0),
         'n': count(*) FILTER (kind = 'repair')},
        {'metric_id': 'enquiry_same_day_rate', 'statistic': 'rate',
         'value': count(*) FILTER (kind = 'enquiry' AND same_day) / nullif(count(*) FILTER (kind = 'enquiry'), 0), 'n': count(*) FILTER (kind = 'enquiry')}
    ] AS stats
    FROM t
    GROUP BY GROUPING SETS ((utility), (utility, district))
), unnest(stats) AS u(s)
