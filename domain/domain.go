// Package domain holds the words of the domain that every package shows: the
// utilities, the Chinese names of codes, and the smallest group the public may see.
// One definition each, so a label or a threshold changes in one place.
package domain

import "strings"

// Utilities are the four utilities of spec/inputs.md, in the order outputs list them.
var Utilities = []string{"power", "water", "gas", "telecom"}

// UtilityZH names a utility in Chinese; "" is a figure across utilities.
var UtilityZH = map[string]string{"power": "电力", "water": "供水", "gas": "燃气", "telecom": "通信", "": "跨行业"}

// Audiences of the outputs, in the order they are written.
var Audiences = []string{"regulator", "utility", "office", "public"}

// AudienceZH names an audience's edition in Chinese.
var AudienceZH = map[string]string{"regulator": "监管部门版", "utility": "企业版", "office": "营商环境办版", "public": "公开版"}

// ClassZH names a customer class in Chinese; "" is every class.
var ClassZH = map[string]string{"residential": "居民", "lv_zero": "低压小微企业", "lv_nonres": "低压非居民", "hv_single": "高压单电源",
	"hv_dual": "高压双电源", "nonres_dn40": "非居民DN40及以下", "nonres_dn100": "非居民DN100及以下", "nonres_large": "大型非居民",
	"real_estate": "房地产", "nonres_general": "一般非居民", "individual": "个人", "business": "企业", "key_account": "大客户", "": "全部",
	// A target on several classes names them joined by "+", in its profile's order
	// (outputs.md v2); named as the documents call the group.
	"hv_single+hv_dual":                     "高压客户（单、双电源）",
	"residential+lv_nonres+lv_zero":         "低压客户（居民、低压非居民、低压小微企业）",
	"residential+lv_zero+lv_nonres":         "低压客户（居民、低压非居民、低压小微企业）",
	"lv_nonres+lv_zero":                     "低压非居民（含低压小微企业）",
	"residential+lv_zero":                   "居民及低压小微企业（“三零”客户）",
	"nonres_dn40+nonres_dn100+nonres_large": "企业（非居民）",
	"nonres_dn40+nonres_dn100":              "非居民（水表口径DN100及以下）",
	"residential+nonres_general":            "民用住宅及一般非居民",
	"individual+business":                   "个人及一般企业",
}

// AreaZH names an area type in Chinese; "" is every area.
var AreaZH = map[string]string{"urban_core": "市中心", "urban": "市区", "town": "城镇", "rural": "农村", "": "全部"}

// EnterpriseSizeZH names an enterprise size (spec v2) in Chinese.
var EnterpriseSizeZH = map[string]string{"micro": "微型", "small": "小型", "medium": "中型", "large": "大型"}

// ChannelZH names an application channel in Chinese.
var ChannelZH = map[string]string{"online": "线上", "window": "窗口", "app": "手机APP", "hotline": "热线", "joint_window": "联合窗口", "pre_service": "前置服务"}

// BusinessTypeZH names a business type in Chinese.
var BusinessTypeZH = map[string]string{"new": "新装", "expansion": "增容", "temporary": "临时", "transfer": "过户", "other": "其他"}

// StageZH names a stage of a case (the *_at columns of spec/inputs.md, without _at).
var StageZH = map[string]string{"applied": "申请", "accepted": "受理", "survey_agreed": "踏勘预约确认", "survey_scheduled_for": "约定踏勘",
	"surveyed": "现场勘查", "plan_replied": "方案答复", "contract": "合同签订", "approval_submitted": "外线审批申报",
	"approval_granted": "外线审批办结", "works_started": "外线施工开始", "works_completed": "外线施工完成",
	"inspection_requested": "竣工报验", "inspected": "竣工验收", "agreed_connection": "约定接入日", "connected": "接入", "closed": "归档"}

// UnitZH names a unit in Chinese, as a column header or a cell beside a number shows it.
var UnitZH = map[string]string{"WD": "工作日", "h": "小时", "rate": "%", "count": "个", "CNY": "元"}

// Quantity writes an amount with its unit as a sentence does: 16个工作日, 5小时, 2个, 0元, 95%.
func Quantity(x float64, unit string, number func(float64) string) string {
	switch unit {
	case "WD":
		return number(x) + "个工作日"
	case "rate":
		return number(100*x) + "%"
	}
	return number(x) + Or(UnitZH, unit)
}

// CountWordZH is the measure word of a counted metric (procedures: 个); visits and
// documents are counted in their own words.
var CountWordZH = map[string]string{"visits": "次", "materials": "份", "materials_at_acceptance": "份"}

// CapacityUnitZH is the unit of a case's capacity (报装容量) by utility.
var CapacityUnitZH = map[string]string{"power": "千瓦", "water": "毫米", "gas": "立方米/小时", "telecom": "兆"}

// StatisticZH names a statistic in Chinese, as a table column shows it.
var StatisticZH = map[string]string{"median": "中位数", "mean": "平均值", "p90": "90%分位数", "max": "最大值", "rate": "比率",
	"share_within": "时限内办结占比", "count": "数量", "sum": "合计", "rolling_12m": "滚动12个月合计", "pending": "待办数"}

// StatusZH names a judgement in Chinese.
var StatusZH = map[string]string{"met": "达标", "missed": "未达标", "no_data": "无数据", "no_target": "无目标"}

// KindZH names an input kind (spec/inputs.md) in Chinese.
var KindZH = map[string]string{"cases": "报装工单", "case_events": "环节事件", "outages": "停电（停水、停气）记录",
	"customer_base": "用户数", "tickets": "诉求工单", "evaluations": "好差评", "water_balance": "供水水量平衡", "districts": "区县列表"}

// AuditRuleZH names an integrity rule (spec/metrics.md F) in Chinese.
var AuditRuleZH = map[string]string{"audit_out_of_order": "环节时间倒序", "audit_backfilled": "事后补录",
	"audit_reapplied": "撤件后重新申请", "audit_future": "时间晚于载入时间", "audit_missing_stage": "已接入但缺少环节时间",
	"audit_event_conflict": "工单与事件的环节时间不一致"}

// LeakageLines are the reference lines of the water leakage rate: the national aim and
// the first and second grades of CJJ 92-2016 (as revised 2018).
var LeakageLines = []struct {
	Label string
	Rate  float64
}{{"国家目标9%", 0.09}, {"一级10%", 0.10}, {"二级12%", 0.12}}

// MinPublicGroup is the smallest group the public may see a figure of: fewer records
// could single out a customer (shown as <5).
const MinPublicGroup = 5

// Or returns m[k], or k itself when m has no name for it.
func Or(m map[string]string, k string) string {
	if v, ok := m[k]; ok {
		return v
	}
	return k
}

// Classes names a target's classes, given joined by + (hv_single+hv_dual), in Chinese.
func Classes(joined string) string {
	if joined == "" {
		return ClassZH[""]
	}
	parts := strings.Split(joined, "+")
	for i, c := range parts {
		parts[i] = Or(ClassZH, c)
	}
	return strings.Join(parts, "、")
}

// ForUtility picks a utility's word from a name that lists them, 供电（供水、供气）方案答复时长
// or 户均停电（停水、停气）时间: the word before the brackets is power's, the ones
// inside water's and gas's. A name without such a list is returned as it is.
func ForUtility(name, utility string) string {
	open := strings.Index(name, "（")
	end := strings.Index(name, "）")
	if open < 0 || end < open {
		return name
	}
	alts := strings.Split(name[open+len("（"):end], "、")
	if len(alts) != 2 {
		return name
	}
	lead := []rune(name[:open])
	width := len([]rune(alts[0]))
	if len([]rune(alts[1])) != width || len(lead) < width {
		return name
	}
	head, tail := string(lead[:len(lead)-width]), name[end+len("）"):]
	switch utility {
	case "power":
		return string(lead) + tail
	case "water":
		return head + alts[0] + tail
	case "gas":
		return head + alts[1] + tail
	}
	return name
}
