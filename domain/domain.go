// Package domain holds the words of the domain that every package shows: the
// utilities, the Chinese names of codes, and the smallest group the public may see.
// One definition each, so a label or a threshold changes in one place.
package domain

// Utilities are the four utilities of spec/inputs.md, in the order outputs list them.
var Utilities = []string{"power", "water", "gas", "telecom"}

// UtilityZH names a utility in Chinese; "" is a figure across utilities.
var UtilityZH = map[string]string{"power": "电力", "water": "供水", "gas": "燃气", "telecom": "通信", "": "跨行业"}

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

// UnitZH names a unit in Chinese.
var UnitZH = map[string]string{"WD": "个工作日", "h": "小时", "rate": "%", "count": "个", "CNY": "元"}

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
