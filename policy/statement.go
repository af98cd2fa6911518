package policy

import (
	"strconv"
	"strings"

	"github.com/utilscore/utilscore/domain"
	"github.com/utilscore/utilscore/metrics"
)

// Statement writes a target out for people, in Chinese (spec/outputs.md, spec v2):
// who, what, the limit with its unit, and the statistic, e.g. "电力 高压单电源 合计办电时间
// ≤16个工作日 的办结占比 目标100%".
func (t Target) Statement(defs map[string]metrics.Definition) string {
	d := defs[t.Metric]
	what := d.NameZH
	if t.From != "" {
		what = domain.Or(domain.StageZH, t.From) + "至" + domain.Or(domain.StageZH, t.To)
	}
	unit := domain.Or(domain.UnitZH, d.Unit)
	var figure string
	switch {
	case t.Statistic == "share_within" && t.Limit != nil:
		limit := *t.Limit
		switch {
		case limit == 0 && d.Unit == "WD":
			figure = what + "在同一日（当日）"
		case limit == 0:
			figure = what + "为0"
		default:
			figure = what + "≤" + num(limit) + unit
		}
		figure += " 的办结占比 目标" + num(100*t.Threshold) + "%"
		if t.Agreed != "" {
			figure += "（晚于" + domain.Or(domain.StageZH, t.Agreed) + "的不计超时）"
		}
	default:
		threshold := num(t.Threshold) + unit
		if d.Unit == "rate" {
			threshold = num(100*t.Threshold) + "%"
		}
		figure = what + " " + statisticZH[t.Statistic] + t.Comparison + threshold
		figure = strings.NewReplacer("<=", "≤", ">=", "≥").Replace(figure)
		if t.OrYoYDrop != nil {
			figure += "，或较上年下降" + num(100**t.OrYoYDrop) + "%及以上"
		}
	}
	return strings.TrimSpace(t.Where.words() + " " + figure)
}

var statisticZH = map[string]string{"median": "中位数", "mean": "平均值", "p90": "90%分位数", "max": "最大值", "rate": "",
	"count": "数量", "sum": "合计", "rolling_12m": "（滚动12个月）"}

// words describes a filter in Chinese: utility, classes and the other conditions.
func (f Filter) words() string {
	var parts []string
	if f.Utility != "" {
		parts = append(parts, domain.Or(domain.UtilityZH, f.Utility))
	}
	list := func(codes []string, names map[string]string) string {
		out := make([]string, len(codes))
		for i, c := range codes {
			out[i] = domain.Or(names, c)
		}
		return strings.Join(out, "、")
	}
	if len(f.Classes) > 0 {
		parts = append(parts, list(f.Classes, domain.ClassZH))
	}
	if len(f.AreaTypes) > 0 {
		parts = append(parts, list(f.AreaTypes, domain.AreaZH)+"区域")
	}
	if len(f.EnterpriseSizes) > 0 {
		parts = append(parts, list(f.EnterpriseSizes, domain.EnterpriseSizeZH)+"企业")
	}
	if len(f.BusinessTypes) > 0 {
		parts = append(parts, list(f.BusinessTypes, domain.BusinessTypeZH)+"业务")
	}
	if len(f.Channels) > 0 {
		parts = append(parts, list(f.Channels, domain.ChannelZH)+"渠道")
	}
	flag := func(b *bool, yes, no string) {
		if b != nil {
			parts = append(parts, map[bool]string{true: yes, false: no}[*b])
		}
	}
	flag(f.ExternalWorks, "有外线工程", "无外线工程")
	flag(f.LowRisk, "低风险项目", "非低风险项目")
	flag(f.Joint, "联合报装", "非联合报装")
	flag(f.Online, "线上申请", "非线上申请")
	switch {
	case f.MinCapacity != nil && f.MaxCapacity != nil:
		parts = append(parts, "容量"+num(*f.MinCapacity)+"–"+num(*f.MaxCapacity))
	case f.MaxCapacity != nil:
		parts = append(parts, "容量≤"+num(*f.MaxCapacity))
	case f.MinCapacity != nil:
		parts = append(parts, "容量≥"+num(*f.MinCapacity))
	}
	return strings.Join(parts, " ")
}

func num(x float64) string { return strconv.FormatFloat(x, 'f', -1, 64) }
