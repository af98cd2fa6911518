package pace

import (
	"math"
	"strconv"

	"github.com/utilscore/utilscore/domain"
)

// Sentence says in Chinese what the rest of the year must come to for the target to be
// met ("余下3个月户均停电须≤0.8小时"), or that it can no longer be; what names the figure,
// unit is its unit (spec/metrics.md).
func Sentence(r Rule, p Projection, what, unit string) string {
	if p.Required == nil {
		return ""
	}
	req := *p.Required
	cmp := map[string]string{"<=": "≤", ">=": "≥"}[r.Comparison]
	value := Number(req, unit)
	if r.Kind == Additive {
		if p.Impossible {
			return "已超过全年目标，余下月份无法补回"
		}
		return "余下" + strconv.Itoa(p.Remaining) + "个月" + what + "须" + cmp + value
	}
	s := "余下月份" + what + "须" + cmp + value
	switch {
	case p.Impossible && r.Kind == Share && p.Limit >= 1-tolerance && r.Comparison == ">=":
		return "年初至今已有未达标记录，全年已无法达到100%"
	case p.Impossible && r.Kind == Share:
		return "按预计余下件数已无法达到（" + s + "）"
	case p.Impossible:
		return "按预计余下件数已无法达到"
	}
	return s
}

// Number writes a figure with its unit as a sentence does (0.6个工作日): a share in per
// cent with at most one decimal, other figures with at most two.
func Number(v float64, unit string) string {
	scale := 100.0
	if unit == "rate" {
		scale = 10
	}
	return domain.Quantity(v, unit, func(x float64) string {
		return strconv.FormatFloat(math.Round(x*scale)/scale, 'f', -1, 64)
	})
}
