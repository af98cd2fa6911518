package policy

import (
	"math"
	"strconv"
	"strings"

	"github.com/utilscore/utilscore/domain"
	"github.com/utilscore/utilscore/metrics"
)

// Statement writes a target out for people, in Chinese (spec/outputs.md, spec v2):
// who, what, the limit with its unit, and the statistic, e.g. "电力 高压单电源 合计办电时间
// ≤16个工作日 办结占比 目标100%" or "电力 市中心、市区 户均停电时间（滚动12个月）≤5小时".
func (t Target) Statement(defs map[string]metrics.Definition) string {
	d := defs[t.Metric]
	what := domain.ForUtility(d.NameZH, t.Where.Utility)
	if t.From != "" {
		what = domain.Or(domain.StageZH, t.From) + "至" + domain.Or(domain.StageZH, t.To) + "时长"
	}
	unit := d.Unit
	if word, ok := domain.CountWordZH[t.Metric]; ok {
		unit = word
	}
	var figure string
	switch {
	case t.Statistic == "share_within" && t.Limit != nil:
		clock := d.Unit == "WD" || d.Unit == "h"
		limit := *t.Limit
		share := "的工单占比"
		switch {
		case limit == 0 && clock:
			figure, share = strings.TrimSuffix(what, "时长")+"当日办结", "的占比"
		case limit == 0:
			figure = what + "为0"
		case clock:
			figure, share = what+"≤"+domain.Quantity(limit, d.Unit, num), " 办结占比"
		default:
			figure = what + "≤" + domain.Quantity(limit, unit, num)
		}
		figure += share + " " + goal(t.Comparison, t.Threshold)
		if t.Agreed != "" {
			figure += "（约定" + domain.Or(domain.StageZH, t.Agreed) + "晚于时限的，以约定日期为限）"
		}
	default:
		figure = what + statisticWords(t) + comparisonWords(t.Comparison) + domain.Quantity(t.Threshold, unit, num)
		if d.Unit == "rate" && t.Comparison == ">=" && t.Threshold == 1 {
			figure = what + statisticWords(t) + " 目标100%"
		}
		if t.OrYoYDrop != nil {
			figure += "，或较上年下降" + num(100**t.OrYoYDrop) + "%及以上"
		}
	}
	return strings.TrimSpace(t.Where.words() + " " + figure)
}

// goal states the share a target asks for: 目标100%, or ≥95%.
func goal(comparison string, threshold float64) string {
	if comparison == ">=" && threshold == 1 {
		return "目标100%"
	}
	return "目标" + comparisonWords(comparison) + num(100*threshold) + "%"
}

func comparisonWords(c string) string {
	return map[string]string{"<=": "≤", ">=": "≥"}[c]
}

// statisticWords names the statistic a target judges, in the phrase after the figure.
func statisticWords(t Target) string {
	switch t.Statistic {
	case "mean":
		return "平均"
	case "median":
		return "中位数"
	case "p90":
		return "90%分位数"
	case "max":
		return "最大值"
	case "rolling_12m":
		return "（滚动12个月）"
	case "sum":
		if len(t.Periods) == 1 {
			return map[string]string{"year": "（全年）", "quarter": "（本季度）", "month": "（本月）"}[t.Periods[0]]
		}
	case "count":
		return "数量"
	}
	return ""
}

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
		parts = append(parts, list(f.AreaTypes, domain.AreaZH))
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
	unit := domain.CapacityUnitZH[f.Utility]
	switch {
	case f.MinCapacity != nil && f.MaxCapacity != nil:
		parts = append(parts, "报装容量"+num(*f.MinCapacity)+"–"+num(*f.MaxCapacity)+unit)
	case f.MaxCapacity != nil:
		parts = append(parts, "报装容量"+num(*f.MaxCapacity)+unit+"及以下")
	case f.MinCapacity != nil:
		parts = append(parts, "报装容量"+num(*f.MinCapacity)+unit+"及以上")
	}
	return strings.Join(parts, " ")
}

func num(x float64) string { return strconv.FormatFloat(x, 'f', -1, 64) }

// ShortTitle is the document's title as a citation gives it: whole when short, else
// its first words and an ellipsis.
func (p *Profile) ShortTitle() string {
	if p.Short != "" {
		return p.Short
	}
	r := []rune(p.Title)
	if len(r) <= 16 {
		return p.Title
	}
	return string(r[:14]) + "…"
}

// Cite names a target's source as a reader looks it up: the document's short title
// and the clause, 《某区水电气网接入工作方案》四(二)1, not the file number the profile
// writes before the clause.
func (p *Profile) Cite(source string) string {
	clause := source
	if number, _, ok := strings.Cut(p.Document, " "); ok && number != "" {
		clause = strings.TrimSpace(strings.TrimPrefix(source, number))
	}
	clause = strings.ReplaceAll(clause, ", ", "、")
	// A document of numbered articles (昆明: 1, 2、3): 第2、3条.
	if n := strings.IndexFunc(clause, func(r rune) bool { return (r < '0' || r > '9') && r != '、' }); n != 0 && clause != "" {
		if n < 0 {
			n = len(clause)
		}
		clause = "第" + clause[:n] + "条" + clause[n:]
	}
	return "《" + p.ShortTitle() + "》" + clause
}

// Target returns the profile's target of that id.
func (p *Profile) Target(id string) (Target, bool) {
	for _, t := range p.Targets {
		if t.ID == id {
			return t, true
		}
	}
	return Target{}, false
}

// Tally is the count behind a share or a rate, "12/16件": the records within the
// target out of those judged; "" for any other figure.
func Tally(r metrics.Row) string {
	if r.Value == nil || r.Statistic != "share_within" && r.Statistic != "rate" {
		return ""
	}
	return strconv.FormatInt(int64(math.Round(*r.Value*float64(r.N))), 10) + "/" + strconv.FormatInt(r.N, 10) + "件"
}

// IsShare tells whether a row's value is a share (shown in %, its change in 百分点).
func IsShare(r metrics.Row) bool {
	return r.Statistic == "share_within" || r.Statistic == "rate" || r.Unit == "rate"
}

// ValueText writes a row's value with its unit: 75.0%, 3.2个工作日, 4.12小时.
func ValueText(r metrics.Row) string {
	if r.Value == nil {
		return "无数据"
	}
	v := *r.Value
	switch {
	case IsShare(r):
		return strconv.FormatFloat(100*v, 'f', 1, 64) + "%"
	case r.Unit == "h":
		return strconv.FormatFloat(v, 'f', 2, 64) + "小时"
	case r.Unit == "WD":
		return strconv.FormatFloat(v, 'f', 1, 64) + "个工作日"
	}
	return domain.Quantity(math.Round(v*100)/100, r.Unit, num)
}

// ChangeText writes the change between two values of a row: in 百分点 for a share,
// in the row's unit otherwise; "" when either is missing.
func ChangeText(r metrics.Row, before *float64) string {
	if r.Value == nil || before == nil {
		return ""
	}
	d := *r.Value - *before
	sign := "+"
	if d < 0 {
		sign = "-"
	}
	d = math.Abs(d)
	switch {
	case IsShare(r):
		return sign + strconv.FormatFloat(100*d, 'f', 1, 64) + "个百分点"
	case r.Unit == "h":
		return sign + strconv.FormatFloat(d, 'f', 2, 64) + "小时"
	case r.Unit == "WD":
		return sign + strconv.FormatFloat(d, 'f', 1, 64) + "个工作日"
	}
	return sign + domain.Quantity(math.Round(d*100)/100, r.Unit, num)
}

// Median is the median beside a case-time target (spec v2): the median of the
// target's metric over the cases of its classes connected in the period, from the
// rows of the period, e.g. "中位数 12.0个工作日" or "中位数 高压单电源 12.0、高压双电源
// 25.0个工作日". A clock between two named stages has no such row: "".
func Median(t Target, defs map[string]metrics.Definition, rows []metrics.Row) string {
	d := defs[t.Metric]
	if t.From != "" || d.Unit != "WD" && d.Unit != "h" {
		return ""
	}
	classes := t.Where.Classes
	if len(classes) == 0 {
		classes = []string{""}
	}
	var parts []string
	for _, c := range classes {
		for _, r := range rows {
			if r.TargetID == "" && r.MetricID == t.Metric && r.Statistic == "median" && r.Utility == t.Where.Utility &&
				r.CustomerClass == c && r.District == "" && r.AreaType == "" && r.Value != nil {
				part := strconv.FormatFloat(*r.Value, 'f', 1, 64)
				if d.Unit == "h" {
					part = strconv.FormatFloat(*r.Value, 'f', 2, 64)
				}
				if len(classes) > 1 {
					part = domain.Or(domain.ClassZH, c) + " " + part
				}
				parts = append(parts, part)
			}
		}
	}
	if len(parts) == 0 {
		return ""
	}
	unit := "个工作日"
	if d.Unit == "h" {
		unit = "小时"
	}
	return "中位数 " + strings.Join(parts, "、") + unit
}
