package reports

import "github.com/utilscore/utilscore/domain"

// Chinese labels for the codes the outputs show; the dashboards and the service use
// the same ones.
var (
	UtilityZH   = domain.UtilityZH
	classZH     = domain.ClassZH
	areaZH      = domain.AreaZH
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
