-- metric: complaint_closure_rate
-- name_zh: 投诉办结率
-- name_en: Complaints closed
-- unit: rate
-- direction: higher
-- statistics: rate, pending
-- definition: 统计期内受理的投诉中已办结的比例（统计期结束后、数据截至前办结的也计入）；尚未办结且未到期限的投诉为“待定”，不计入分母，单列条数。
--
-- metric: complaint_on_time_rate
-- name_zh: 投诉按时办结率
-- name_en: Complaints closed on time
-- unit: rate
-- direction: higher
-- statistics: rate, pending
-- definition: 统计期内受理的投诉中，在期限内办结的比例：期限为受理后第7个工作日（政策配置可改）24时，受理当日不计；到数据截至仍未办结且已过期限的计为超时，未到期限的为“待定”，不计入分母。
--
-- metric: complaint_satisfied_rate
-- name_zh: 投诉办结满意率
-- name_en: Complaints closed to the complainant's satisfaction
-- unit: rate
-- direction: higher
-- statistics: rate
-- definition: 统计期内受理、已办结的投诉中投诉人满意的比例（昆明：投诉人满意方可办结）。
--
-- metric: complaint_close_time
-- name_zh: 投诉办结时长
-- name_en: Complaint closing time
-- unit: WD
-- direction: lower
-- statistics: median, mean
-- definition: 统计期内受理、到数据截至已办结的投诉，从受理到办结的工作日数。
--
-- metric: repair_on_time_rate
-- name_zh: 报修按时办结率
-- name_en: Repair calls closed on time
-- unit: rate
-- direction: higher
-- statistics: rate, pending
-- definition: 统计期内受理的报修中，在受理后第3个工作日24时前办结的比例（受理当日不计）；未办结且未到期限的为“待定”，不计入分母。
--
-- metric: enquiry_same_day_rate
-- name_zh: 咨询当日答复率
-- name_en: Enquiries answered the same day
-- unit: rate
-- direction: higher
-- statistics: rate, pending
-- definition: 统计期内受理的咨询中，在受理当日（以本地日期计；受理日为休息日的，至下一个工作日）答复的比例；无答复时间时以办结时间计；尚未答复且未到期限的为“待定”，不计入分母。

-- The periods are computed together, one row of _batch each (a report's quarters, a
-- pace's months): each ticket is judged once, however many of the periods count it,
-- and every figure is grouped by the period's seq.
WITH period AS (
    SELECT seq, start_at, end_at FROM _batch
), settings AS (
    SELECT * FROM _settings
), cutoff AS (
    -- Where each utility's tickets end (metrics.md H3, H12).
    SELECT utility, cutoff_at FROM data_cutoff WHERE kind = 'tickets'
), cohort AS (
    -- Tickets received in any of the periods, with whatever closure the data holds
    -- (section D).
    SELECT k.utility, k.ticket_id, k.district, k.kind, k.satisfied, k.received_at, c.cutoff_at,
        ticket_end(k.kind, k.responded_at, k.closed_at) AS ended_at,
        ticket_limit_wd(k.kind, s.complaint_wd, s.repair_wd) AS limit_wd,
        s.deadline_rule, s.office_close, s.office_hours
    FROM tickets k
    SEMI JOIN period p ON k.received_at >= p.start_at AND k.received_at < p.end_at
    JOIN cutoff c ON c.utility = k.utility::VARCHAR, settings s
), judged AS (
    SELECT utility, ticket_id, district, kind, satisfied, received_at,
        CASE WHEN ended_at IS NOT NULL THEN working_days(ci, received_at, ended_at) END AS close_wd,
        ended_at IS NOT NULL AS closed,
        -- Judged against its own limit (calendar.md "Deadlines"); open and past the
        -- deadline at the cut-off is late; open and not yet due is pending.
        ticket_in_time(ci, received_at, ended_at, limit_wd, deadline_rule, office_close, office_hours) AS in_time,
        ticket_pending(ended_at, cutoff_at, ticket_deadline(ci, received_at, limit_wd, deadline_rule, office_close)) AS pending
    FROM cohort, calendar_index ci
), t AS (
    -- Each ticket once for every period it was received in.
    SELECT p.seq, j.* EXCLUDE (received_at)
    FROM judged j JOIN _batch_days p
      ON local_time(j.received_at)::DATE = p.day AND j.received_at >= p.start_at AND j.received_at < p.end_at
)
-- batch_seq: the period (_batch) the row is a figure of.
SELECT s.metric_id, utility::VARCHAR, NULL::VARCHAR, district, NULL::VARCHAR, s.statistic, s.value::DOUBLE, s.n, NULL::VARCHAR AS target_id, seq AS batch_seq
FROM (
    SELECT seq, utility, district, [
        {'metric_id': 'complaint_closure_rate', 'statistic': 'rate',
         'value': count(*) FILTER (kind = 'complaint' AND closed) / nullif(count(*) FILTER (kind = 'complaint' AND NOT pending), 0),
         'n': count(*) FILTER (kind = 'complaint' AND NOT pending)},
        {'metric_id': 'complaint_closure_rate', 'statistic': 'pending',
         'value': CASE WHEN count(*) FILTER (kind = 'complaint') > 0 THEN count(*) FILTER (kind = 'complaint' AND pending) END, 'n': count(*) FILTER (kind = 'complaint')},
        {'metric_id': 'complaint_on_time_rate', 'statistic': 'rate',
         'value': count(*) FILTER (kind = 'complaint' AND in_time) / nullif(count(*) FILTER (kind = 'complaint' AND NOT pending), 0),
         'n': count(*) FILTER (kind = 'complaint' AND NOT pending)},
        {'metric_id': 'complaint_on_time_rate', 'statistic': 'pending',
         'value': CASE WHEN count(*) FILTER (kind = 'complaint') > 0 THEN count(*) FILTER (kind = 'complaint' AND pending) END, 'n': count(*) FILTER (kind = 'complaint')},
        {'metric_id': 'complaint_satisfied_rate', 'statistic': 'rate',
         'value': count(*) FILTER (kind = 'complaint' AND closed AND satisfied) / nullif(count(*) FILTER (kind = 'complaint' AND closed), 0),
         'n': count(*) FILTER (kind = 'complaint' AND closed)},
        {'metric_id': 'complaint_close_time', 'statistic': 'median', 'value': median(close_wd) FILTER (kind = 'complaint'), 'n': count(close_wd) FILTER (kind = 'complaint')},
        {'metric_id': 'complaint_close_time', 'statistic': 'mean', 'value': avg(exact_term(close_wd)) FILTER (kind = 'complaint'), 'n': count(close_wd) FILTER (kind = 'complaint')},
        {'metric_id': 'repair_on_time_rate', 'statistic': 'rate',
         'value': count(*) FILTER (kind = 'repair' AND in_time) / nullif(count(*) FILTER (kind = 'repair' AND NOT pending), 0),
         'n': count(*) FILTER (kind = 'repair' AND NOT pending)},
        {'metric_id': 'repair_on_time_rate', 'statistic': 'pending',
         'value': CASE WHEN count(*) FILTER (kind = 'repair') > 0 THEN count(*) FILTER (kind = 'repair' AND pending) END, 'n': count(*) FILTER (kind = 'repair')},
        {'metric_id': 'enquiry_same_day_rate', 'statistic': 'rate',
         'value': count(*) FILTER (kind = 'enquiry' AND in_time) / nullif(count(*) FILTER (kind = 'enquiry' AND NOT pending), 0),
         'n': count(*) FILTER (kind = 'enquiry' AND NOT pending)},
        {'metric_id': 'enquiry_same_day_rate', 'statistic': 'pending',
         'value': CASE WHEN count(*) FILTER (kind = 'enquiry') > 0 THEN count(*) FILTER (kind = 'enquiry' AND pending) END, 'n': count(*) FILTER (kind = 'enquiry')}
    ] AS stats
    FROM t
    GROUP BY GROUPING SETS ((seq, utility), (seq, utility, district))
), unnest(stats) AS u(s)
