-- metric: connection_time
-- name_zh: 接入总时长
-- name_en: Total connection time
-- unit: WD
-- direction: lower
-- statistics: median, mean, p90, max, share_within
-- per_case: true
-- definition: 从申请到接入（装表接电、通水、通气、开通）经过的工作日数，扣除客户原因暂停的工作日，最小为0。统计期内完成接入的工单计入；撤销、撤回和在办工单不计。暂停以工单的“客户原因暂停工作日”为准，未填写时取暂停、恢复环节记录之间的工作日。
--
-- metric: connection_time_excl_works
-- name_zh: 接入总时长（不含外线施工）
-- name_en: Total connection time, external works excluded
-- unit: WD
-- direction: lower
-- statistics: median, mean, share_within
-- per_case: true
-- definition: 接入总时长减去外线施工开始至完成的工作日数（两个时间都有时），最小为0；用于燃气、房地产供水等“不含外线工程”的时限。
--
-- metric: telecom_connection_hours
-- name_zh: 通信开通时长
-- name_en: Telecom connection time in clock hours
-- unit: h
-- direction: lower
-- statistics: median, mean, share_within
-- per_case: true
-- definition: 通信业务从申请到开通经过的自然小时数（72小时时限按自然时计算，不扣除节假日）。
--
-- metric: plan_reply_time
-- name_zh: 供电（供水、供气）方案答复时长
-- name_en: Supply plan reply time
-- unit: WD
-- direction: lower
-- statistics: median, mean, share_within
-- per_case: true
-- definition: 从受理（无受理时间时从申请）到答复方案经过的工作日数。
--
-- metric: approval_time
-- name_zh: 外线工程行政审批时长
-- name_en: Permit time for external works
-- unit: WD
-- direction: lower
-- statistics: median, mean, share_within
-- per_case: true
-- definition: 从外线工程审批申报到全部审批办结经过的工作日数。
--
-- metric: works_time
-- name_zh: 外线工程施工时长
-- name_en: External works time
-- unit: WD
-- direction: lower
-- statistics: median, mean, share_within
-- per_case: true
-- definition: 从审批办结（无审批时从施工开始）到外线施工完成经过的工作日数。
--
-- metric: hookup_time
-- name_zh: 竣工验收至接入时长
-- name_en: Inspection to connection time
-- unit: WD
-- direction: lower
-- statistics: median, mean, share_within
-- per_case: true
-- definition: 从竣工验收到装表接电（通水、通气、开通）经过的工作日数。
--
-- metric: survey_time
-- name_zh: 现场勘查时长
-- name_en: Site survey time
-- unit: WD
-- direction: lower
-- statistics: median, share_within
-- per_case: true
-- definition: 从申请到现场勘查经过的工作日数。
--
-- metric: procedures
-- name_zh: 办理环节数
-- name_en: Procedures per case
-- unit: count
-- direction: lower
-- statistics: mean, max, share_within
-- per_case: true
-- definition: 每个工单客户需办理的环节数。
--
-- metric: materials
-- name_zh: 申请材料数
-- name_en: Documents per case
-- unit: count
-- direction: lower
-- statistics: mean, share_within
-- per_case: true
-- definition: 每个工单客户提交的申请材料件数。
--
-- metric: visits
-- name_zh: 跑动次数
-- name_en: Visits in person per case
-- unit: count
-- direction: lower
-- statistics: mean, share_within
-- per_case: true
-- definition: 每个工单客户到现场办理的次数。
--
-- metric: zero_fee_share
-- name_zh: 零投资（零费用）占比
-- name_en: Share of eligible cases at zero fee
-- unit: rate
-- direction: higher
-- statistics: rate
-- per_case: true
-- definition: 符合零投资条件的工单中，用户承担费用为0的比例。默认条件：电力低压小微企业（容量不超过160千瓦）、供水DN40及以下非居民用户；政策配置可改。
--
-- metric: online_share
-- name_zh: 线上办理率
-- name_en: Share of cases applied for online
-- unit: rate
-- direction: higher
-- statistics: rate
-- definition: 经网上、手机APP、联合窗口或前置服务申请的工单占全部完成接入工单的比例；未填写申请渠道的工单计为非线上。
--
-- metric: joint_share
-- name_zh: 联合报装占比
-- name_en: Share of cases in joint applications
-- unit: rate
-- direction: higher
-- statistics: rate
-- definition: 属于水电气网联合报装（一表申请）的工单占完成接入工单的比例。
--
-- metric: overdue_open
-- name_zh: 超期在办工单数
-- name_en: Open cases over their time limit
-- unit: count
-- direction: lower
-- statistics: count
-- definition: 数据截至时（统计期末早于数据截至时取统计期末）仍在办（已申请、未接入、未撤销或撤回）且已过办结期限的工单数，每件只计一次。期限取政策配置中覆盖该工单的全流程时限，按法定计算方法（申请当日不计，第N个工作日24时止，客户暂停顺延）。未选政策配置时不计算。
--
-- metric: warning_open
-- name_zh: 临期预警工单数
-- name_en: Open cases due within one working day
-- unit: count
-- direction: lower
-- statistics: count
-- definition: 数据截至时仍在办、尚未超期但办结期限在其后1个工作日内的工单数。
--
-- metric: joint_time
-- name_zh: 联合报装办理时长
-- name_en: Joint application time
-- unit: WD
-- direction: lower
-- statistics: median, mean
-- definition: 最后一项服务在统计期内接入的联合报装，从各项中最早的申请到最晚的接入经过的工作日数；跨行业统计，行业列为空。只要有一项未接入或已撤销，该联合报装不计。--
-- metric: utility_time
-- name_zh: 合计办电时间
-- name_en: Utility's own time (customer's own works excluded)
-- unit: WD
-- direction: lower
-- statistics: median, mean, share_within
-- per_case: true
-- definition: 接入总时长扣除客户自身工程时间（方案答复，无答复时间时合同签订，至客户竣工报验）；无竣工报验时间时不扣除，即等于接入总时长（扣除客户暂停）；已扣除客户工程时间的，不再扣除客户暂停。
--
-- metric: survey_agreement_time
-- name_zh: 踏勘预约时长
-- name_en: Time to agree the site survey
-- unit: WD
-- direction: lower
-- statistics: median, share_within
-- per_case: true
-- definition: 从申请到与客户约定现场踏勘时间经过的工作日数（计的是预约确认，不是踏勘本身）。
--
-- metric: stage_time
-- name_zh: 指定环节时长
-- name_en: Time between two named stages
-- unit: WD
-- direction: lower
-- statistics: share_within
-- per_case: true
-- definition: 政策目标指明起止环节时，从起始环节到终止环节的时长，逐件按期限判定；缺起始环节的不判定，已办结而缺终止环节的计为超时。
--
-- metric: materials_at_acceptance
-- name_zh: 受理环节材料数
-- name_en: Documents handed in at acceptance
-- unit: count
-- direction: lower
-- statistics: mean, share_within
-- per_case: true
-- definition: 受理环节客户提交的材料件数；数据无受理材料数时以全流程材料数代替（全流程材料数代替受理材料数）。
--
-- metric: fee
-- name_zh: 用户承担费用
-- name_en: Fee paid by the customer
-- unit: CNY
-- direction: lower
-- statistics: mean, share_within
-- per_case: true
-- definition: 客户为接入支付的费用（元）；“零费用”目标以限值0的办结占比判定。
--
-- metric: meter_fee
-- name_zh: 水表安装费
-- name_en: Meter installation fee
-- unit: CNY
-- direction: lower
-- statistics: mean, share_within
-- per_case: true
-- definition: 用户承担费用中的水表安装费（元）；数据无该列的，目标记为数据缺失。

-- The periods are computed together, one row of _batch each (a report's quarters and
-- trend, a pace's months): every figure is grouped by the period's seq, and each case's
-- working time is worked out once, however many of the periods count it.
WITH period AS (
    SELECT seq, start_at, end_at, by_group FROM _batch
), measured AS (
    -- Cases connected in any of the periods; cancelled, withdrawn and open cases never
    -- count. Every column of the case, for the filters and clocks of the targets.
    SELECT c.*
    FROM case_stages c
    SEMI JOIN period p ON c.connected_at >= p.start_at AND c.connected_at < p.end_at
    WHERE c.status = 'connected'
), valued AS (
    -- Each case's value of each per-case metric, in a column named after it
    -- (views.sql), when a period of the batch reads figures by group: a pace's
    -- periods read only their targets' figures, and none of this is worked out then.
    SELECT m.connected_at, m.utility, m.customer_class, m.district,
        connection_time_of(ci, m) AS connection_time,
        connection_time_excl_works_of(ci, m) AS connection_time_excl_works,
        telecom_connection_hours_of(m) AS telecom_connection_hours,
        plan_reply_time_of(ci, m) AS plan_reply_time,
        approval_time_of(ci, m) AS approval_time,
        works_time_of(ci, m) AS works_time,
        hookup_time_of(ci, m) AS hookup_time,
        survey_time_of(ci, m) AS survey_time,
        utility_time_of(ci, m) AS utility_time,
        survey_agreement_time_of(ci, m) AS survey_agreement_time,
        materials_at_acceptance_of(m) AS materials_at_acceptance,
        m.fee_cny, m.meter_fee_cny, m.procedures, m.materials, m.visits,
        -- Zero-fee eligibility (spec/metrics.md A): small power businesses and small water meters.
        (m.utility = 'power' AND m.customer_class = 'lv_zero' AND coalesce(m.capacity, 0) <= 160)
            OR (m.utility = 'water' AND m.customer_class = 'nonres_dn40') AS zero_fee_eligible
    FROM measured m, calendar_index ci
    WHERE (SELECT bool_or(by_group) FROM period)
), by_group AS (
    -- Each case once for every period it was connected in whose figures are by group.
    SELECT p.seq, v.* EXCLUDE (connected_at)
    FROM valued v JOIN _batch_days p
      ON local_time(v.connected_at)::DATE = p.day AND v.connected_at >= p.start_at AND v.connected_at < p.end_at
    WHERE p.by_group
), connected AS (
    -- Each case once for every period it was connected in, for the shares.
    SELECT p.seq, m.utility, m.customer_class, m.district, m.channel, m.joint_id
    FROM measured m JOIN _batch_days p
      ON local_time(m.connected_at)::DATE = p.day AND m.connected_at >= p.start_at AND m.connected_at < p.end_at
), per_group AS (
    SELECT seq, utility, customer_class, district, [
        {'metric_id': 'connection_time', 'statistic': 'median', 'value': median(connection_time), 'n': count(connection_time)},
        {'metric_id': 'connection_time', 'statistic': 'mean', 'value': avg(exact_term(connection_time)), 'n': count(connection_time)},
        {'metric_id': 'connection_time', 'statistic': 'p90', 'value': quantile_cont(connection_time, 0.9), 'n': count(connection_time)},
        {'metric_id': 'connection_time', 'statistic': 'max', 'value': max(connection_time), 'n': count(connection_time)},
        {'metric_id': 'connection_time_excl_works', 'statistic': 'median', 'value': median(connection_time_excl_works), 'n': count(connection_time_excl_works)},
        {'metric_id': 'connection_time_excl_works', 'statistic': 'mean', 'value': avg(exact_term(connection_time_excl_works)), 'n': count(connection_time_excl_works)},
        {'metric_id': 'telecom_connection_hours', 'statistic': 'median', 'value': median(telecom_connection_hours) FILTER (utility = 'telecom'), 'n': count(telecom_connection_hours) FILTER (utility = 'telecom')},
        {'metric_id': 'telecom_connection_hours', 'statistic': 'mean', 'value': avg(exact_term(telecom_connection_hours)) FILTER (utility = 'telecom'), 'n': count(telecom_connection_hours) FILTER (utility = 'telecom')},
        {'metric_id': 'plan_reply_time', 'statistic': 'median', 'value': median(plan_reply_time), 'n': count(plan_reply_time)},
        {'metric_id': 'plan_reply_time', 'statistic': 'mean', 'value': avg(exact_term(plan_reply_time)), 'n': count(plan_reply_time)},
        {'metric_id': 'approval_time', 'statistic': 'median', 'value': median(approval_time), 'n': count(approval_time)},
        {'metric_id': 'approval_time', 'statistic': 'mean', 'value': avg(exact_term(approval_time)), 'n': count(approval_time)},
        {'metric_id': 'works_time', 'statistic': 'median', 'value': median(works_time), 'n': count(works_time)},
        {'metric_id': 'works_time', 'statistic': 'mean', 'value': avg(exact_term(works_time)), 'n': count(works_time)},
        {'metric_id': 'hookup_time', 'statistic': 'median', 'value': median(hookup_time), 'n': count(hookup_time)},
        {'metric_id': 'hookup_time', 'statistic': 'mean', 'value': avg(exact_term(hookup_time)), 'n': count(hookup_time)},
        {'metric_id': 'survey_time', 'statistic': 'median', 'value': median(survey_time), 'n': count(survey_time)},
        {'metric_id': 'utility_time', 'statistic': 'median', 'value': median(utility_time), 'n': count(utility_time)},
        {'metric_id': 'utility_time', 'statistic': 'mean', 'value': avg(exact_term(utility_time)), 'n': count(utility_time)},
        {'metric_id': 'survey_agreement_time', 'statistic': 'median', 'value': median(survey_agreement_time), 'n': count(survey_agreement_time)},
        {'metric_id': 'materials_at_acceptance', 'statistic': 'mean', 'value': avg(materials_at_acceptance), 'n': count(materials_at_acceptance)},
        {'metric_id': 'fee', 'statistic': 'mean', 'value': avg(fee_cny), 'n': count(fee_cny)},
        {'metric_id': 'meter_fee', 'statistic': 'mean', 'value': avg(meter_fee_cny), 'n': count(meter_fee_cny)},
        {'metric_id': 'procedures', 'statistic': 'mean', 'value': avg(procedures), 'n': count(procedures)},
        {'metric_id': 'procedures', 'statistic': 'max', 'value': max(procedures), 'n': count(procedures)},
        {'metric_id': 'materials', 'statistic': 'mean', 'value': avg(materials), 'n': count(materials)},
        {'metric_id': 'visits', 'statistic': 'mean', 'value': avg(visits), 'n': count(visits)},
        {'metric_id': 'zero_fee_share', 'statistic': 'rate',
         'value': count(*) FILTER (zero_fee_eligible AND fee_cny = 0) / nullif(count(*) FILTER (zero_fee_eligible AND fee_cny IS NOT NULL), 0),
         'n': count(*) FILTER (zero_fee_eligible AND fee_cny IS NOT NULL)}
    ] AS stats
    FROM by_group
    -- The utility as a whole, by customer class, by district: one pass for all three.
    GROUP BY GROUPING SETS ((seq, utility), (seq, utility, customer_class), (seq, utility, district))
), shares AS (
    SELECT seq, utility, customer_class, district, [
        {'metric_id': 'online_share', 'statistic': 'rate',
         'value': count(*) FILTER (channel IN ('online', 'app', 'joint_window', 'pre_service')) / count(*), 'n': count(*)},
        {'metric_id': 'joint_share', 'statistic': 'rate', 'value': count(joint_id) / count(*), 'n': count(*)}
    ] AS stats
    FROM connected
    -- Shares not per case, which targets read by group: in every period.
    GROUP BY GROUPING SETS ((seq, utility), (seq, utility, customer_class), (seq, utility, district))
), joint AS (
    -- Joint applications whose every part is connected and whose last part was
    -- connected in the period; they span utilities, so they are reported across them.
    SELECT p.seq, g.joint_id, g.district, working_days(ci, g.first_applied_at, g.last_connected_at) AS joint_wd
    FROM (
        SELECT j.joint_id, any_value(j.district) AS district,
            min(j.applied_at) AS first_applied_at, max(j.connected_at) AS last_connected_at
        FROM case_stages j
        WHERE j.joint_id IS NOT NULL
        GROUP BY j.joint_id
        HAVING bool_and(j.status = 'connected' AND j.connected_at IS NOT NULL)
    ) g
    JOIN period p ON g.last_connected_at >= p.start_at AND g.last_connected_at < p.end_at
    CROSS JOIN calendar_index ci
), joint_group AS (
    SELECT seq, district, [
        {'metric_id': 'joint_time', 'statistic': 'median', 'value': median(joint_wd), 'n': count(joint_wd)},
        {'metric_id': 'joint_time', 'statistic': 'mean', 'value': avg(exact_term(joint_wd)), 'n': count(joint_wd)}
    ] AS stats
    FROM joint
    GROUP BY GROUPING SETS ((seq), (seq, district))
), targeted AS (
    -- A policy target's own figure: its statistic of its metric over the cases its
    -- filter selects (e.g. low-risk projects, transfers, all business classes at once),
    -- for the utility and per district. share_within counts the cases at or under the
    -- target's limit.
    SELECT c.connected_at, t.target_id, t.metric_id, t.statistic, t.limit_value, t.utility, t.classes, c.district,
        c.utility AS case_utility, c.case_id,
        case_value(ci, c, t.metric_id, t.from_stage, t.to_stage) AS value
    FROM measured c
    JOIN _case_targets t
      ON target_covers(t, c)
     -- A time limit's share is not taken over the cases connected in the period: each
     -- case is judged once, in the period it is decided (metrics.md H1).
     AND NOT (t.statistic = 'share_within' AND is_clock(t.metric_id))
    -- A case a narrower target on the same metric covers is judged there (H9).
    ANTI JOIN _excluded_cases e ON e.target_id = t.target_id AND e.utility = c.utility AND e.case_id = c.case_id
    CROSS JOIN calendar_index ci
), judged AS (
    -- The records of the targets whose figure is a statistic of their cases' values.
    SELECT p.seq, target_id, metric_id, statistic, limit_value, utility, classes, district,
        value, value <= limit_value AS within
    FROM targeted JOIN _batch_days p
      ON local_time(targeted.connected_at)::DATE = p.day AND targeted.connected_at >= p.start_at AND targeted.connected_at < p.end_at
), valued_targets AS (
    SELECT seq, target_id, metric_id, any_value(utility) AS utility,
        -- A target's classes, joined by + when several (outputs.md, spec v2).
        array_to_string(any_value(classes), '+') AS customer_class,
        district, any_value(statistic) AS statistic,
        -- A target has one statistic; each aggregate reads only the rows of the
        -- targets that ask for it (the medians of every share_within target's cases
        -- took over a second a pass).
        CASE any_value(statistic)
            -- Eligible cases lacking the value count as not within: leaving a column
            -- out never raises a share (targets.md, Scoring).
            WHEN 'share_within' THEN count(*) FILTER (within) / nullif(count(*), 0)
            WHEN 'median' THEN median(value) FILTER (statistic = 'median')
            WHEN 'mean' THEN avg(exact_term(value)) FILTER (statistic = 'mean')
            WHEN 'p90' THEN quantile_cont(value, 0.9) FILTER (statistic = 'p90')
            WHEN 'max' THEN max(value) FILTER (statistic = 'max')
            WHEN 'rate' THEN count(*) FILTER (value = 1) / nullif(count(*), 0)
        END AS value,
        -- Every eligible record: with no value at all, the target lacks data (数据缺失).
        count(*) AS n
    FROM judged
    GROUP BY GROUPING SETS ((seq, target_id, metric_id), (seq, target_id, metric_id, district))
), decided_counts AS (
    -- A time limit's share: its cases judged within it among those decided in the
    -- period (H1), counted straight from the judgements, which carry no other value.
    SELECT p.seq, j.target_id, j.district, count(*) FILTER (j.met) AS within_n, count(*) AS n
    FROM _case_judgements j
    JOIN _batch_days p
      ON local_time(j.decided_at)::DATE = p.day AND j.decided_at >= p.start_at AND j.decided_at < p.end_at
    WHERE j.met IS NOT NULL
    GROUP BY GROUPING SETS ((p.seq, j.target_id), (p.seq, j.target_id, j.district))
), target_rows AS (
    SELECT * FROM valued_targets
    UNION ALL
    SELECT d.seq, d.target_id, t.metric_id, t.utility, array_to_string(t.classes, '+'), d.district, t.statistic,
        d.within_n / d.n, d.n
    FROM decided_counts d JOIN _case_targets t USING (target_id)
), open_at AS (
    -- A9 per H1: the cases open at the data cut-off (or at the period's end, when the
    -- data runs past it), each counted once: overdue when a whole-case deadline has
    -- passed, a warning when one falls at most 1 WD after that moment.
    SELECT p.seq, j.utility, j.customer_class, j.district, j.case_id,
        bool_or((j.deadline_day + 1)::TIMESTAMPTZ <= least(p.end_at, j.cutoff_at)) AS overdue,
        bool_or(j.deadline_day <= deadline_day(ci, (least(p.end_at, j.cutoff_at) - INTERVAL 1 SECOND)::DATE, 1)) AS near
    FROM _case_judgements j, period p, calendar_index ci
    WHERE is_whole_case_clock(j.metric_id)
      AND j.applied_at < least(p.end_at, j.cutoff_at)
      AND (j.end_at IS NULL OR j.end_at >= least(p.end_at, j.cutoff_at))
      AND (NOT j.cancelled OR j.cancelled_at >= least(p.end_at, j.cutoff_at))
      AND NOT (j.finished AND j.end_at IS NULL)
    GROUP BY ALL
), open_counts AS (
    SELECT seq, utility, customer_class, district, [
        {'metric_id': 'overdue_open', 'statistic': 'count', 'value': count(*) FILTER (overdue), 'n': count(*)},
        {'metric_id': 'warning_open', 'statistic': 'count', 'value': count(*) FILTER (near AND NOT overdue), 'n': count(*)}
    ] AS stats
    FROM open_at
    GROUP BY GROUPING SETS ((seq, utility), (seq, utility, customer_class), (seq, utility, district))
)
-- batch_seq: the period (_batch) the row is a figure of.
SELECT s.metric_id, utility::VARCHAR AS utility, customer_class::VARCHAR AS customer_class, district,
    NULL::VARCHAR AS area_type, s.statistic, s.value::DOUBLE AS value, s.n, NULL::VARCHAR AS target_id, seq AS batch_seq
FROM (SELECT * FROM per_group UNION ALL SELECT * FROM shares UNION ALL SELECT * FROM open_counts), unnest(stats) AS t(s)
UNION ALL
SELECT s.metric_id, NULL, NULL, district, NULL, s.statistic, s.value::DOUBLE, s.n, NULL, seq
FROM joint_group, unnest(stats) AS t(s)
UNION ALL
-- Every target gets its utility-wide row in every period, with no_data when no case matched.
SELECT t.metric_id, t.utility, array_to_string(t.classes, '+'), NULL, NULL, t.statistic,
    r.value, coalesce(r.n, 0), t.target_id, p.seq
FROM _case_targets t CROSS JOIN period p
LEFT JOIN target_rows r ON r.seq = p.seq AND r.target_id = t.target_id AND r.district IS NULL
UNION ALL
SELECT metric_id, utility, customer_class, district, NULL, statistic, value, n, target_id, seq
FROM target_rows WHERE district IS NOT NULL
