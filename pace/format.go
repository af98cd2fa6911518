package pace

import (
	"strconv"
	"strings"

	"github.com/utilscore/utilscore/domain"
)

// The texts below are what every output shows (the 年度进度 sheet, the dashboard's
// section, the pace command), so that the three read the same.

// Text writes a figure of the line: a share in per cent, hours with two decimals,
// working days and counts with one; "—" when there is none.
func (l Line) Text(v *float64) string {
	if v == nil {
		return "—"
	}
	switch {
	case l.Unit == "rate":
		return strconv.FormatFloat(*v*100, 'f', 1, 64) + "%"
	case l.Unit == "h":
		return strconv.FormatFloat(*v, 'f', 2, 64)
	}
	return strconv.FormatFloat(*v, 'f', 1, 64)
}

// Band writes the projection's 80 % band, "—" without a projection.
func (l Line) Band() string {
	if l.Low == nil || l.High == nil {
		return "—"
	}
	return l.Text(l.Low) + "～" + l.Text(l.High)
}

// Goal writes the figure the year must meet, with its comparison.
func (l Line) Goal() string {
	limit := l.Limit
	return map[string]string{"<=": "≤", ">=": "≥"}[l.Comparison] + l.Text(&limit)
}

// VerdictText is the verdict in Chinese.
func (l Line) VerdictText() string { return domain.Or(VerdictZH, l.Verdict) }

// Advice is what the rest of the year must come to, or why there is no projection.
func (l Line) Advice() string {
	switch {
	case l.Reason != "" && l.Sentence != "":
		return l.Reason + "；" + l.Sentence
	case l.Reason != "":
		return l.Reason
	}
	return l.Sentence
}

// DriverText lists the districts behind a target at risk, most weighty first, each
// with its own projection and verdict.
func (l Line) DriverText() string {
	var parts []string
	for _, d := range l.Drivers {
		name := d.District
		if d.Name != "" {
			name += " " + d.Name
		}
		parts = append(parts, name+" "+l.Text(d.Point)+"（"+domain.Or(VerdictZH, d.Verdict)+"）")
	}
	return strings.Join(parts, "；")
}

// ImpactText writes how far a district moves the whole's projection: a share in
// percentage points, other figures in their unit.
func (l Line) ImpactText(d Driver) string {
	if l.Unit == "rate" {
		return strconv.FormatFloat(d.Impact*100, 'f', 1, 64) + "个百分点"
	}
	return strconv.FormatFloat(d.Impact, 'f', 2, 64) + domain.Or(domain.UnitZH, l.Unit)
}
