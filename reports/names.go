package reports

// Chinese labels for the codes the outputs show; the dashboards and the service use
// the same ones.
var (
	UtilityZH = map[string]string{"power": "电力", "water": "供水", "gas": "燃气", "telecom": "通信", "": "跨行业"}
	classZH   = map[string]string{"residential": "居民", "lv_zero": "低压小微企业", "lv_nonres": "低压非居民", "hv_single": "高压单电源",
		"hv_dual": "高压双电源", "nonres_dn40": "非居民DN40及以下", "nonres_dn100": "非居民DN100及以下", "nonres_large": "大型非居民",
		"real_estate": "房地产", "nonres_general": "一般非居民", "individual": "个人", "business": "企业", "key_account": "大客户", "": "全部"}
	areaZH      = map[string]string{"urban_core": "市中心", "urban": "市区", "town": "城镇", "rural": "农村", "": "全部"}
	statisticZH = map[string]string{"median": "中位数", "mean": "平均值", "p90": "90%分位数", "max": "最大值", "rate": "比率",
		"share_within": "时限内办结占比", "count": "数量", "sum": "合计", "rolling_12m": "滚动12个月合计"}
	statusZH   = map[string]string{"met": "达标", "missed": "未达标", "no_data": "无数据", "no_target": "无目标"}
	AudienceZH = map[string]string{Regulator: "监管部门版", Utility: "企业版", Office: "营商环境办版", Public: "公开版"}
	unitZH     = map[string]string{"WD": "工作日", "h": "小时", "rate": "%", "count": "个"}
)

func or(m map[string]string, k string) string {
	if v, ok := m[k]; ok {
		return v
	}
	return k
}

// maskPhone keeps the first three and last four digits: 138****5678.
func maskPhone(p string) string {
	r := []rune(p)
	if len(r) < 8 {
		return "****"
	}
	return string(r[:3]) + "****" + string(r[len(r)-4:])
}
