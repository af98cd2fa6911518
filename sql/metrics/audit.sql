-- metric: audit_findings
-- name_zh: 数据完整性问题数
-- name_en: Integrity findings
-- unit: count
-- direction: lower
-- statistics: count
-- definition: 统计期内涉及的工单中发现的问题数：环节时间倒序、补录（记录晚于发生超过2个工作日，政策配置可改）、撤销后30日内重新申请、时间晚于文件入库时间、已接入工单缺少必需环节、工单与环节记录不一致。逐项见 utilscore audit。

SELECT 'audit_findings', utility, NULL::VARCHAR, NULL::VARCHAR, NULL::VARCHAR, 'count', count(*)::DOUBLE, count(*), NULL::VARCHAR
FROM _audit_findings GROUP BY utility
