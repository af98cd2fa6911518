// Package printout writes the quarter's printable report (spec/outputs.md): one HTML
// page per audience that reads as the quarter's report (headline figures, the targets
// in words, charts, the disclosure table, the missed targets and what lies behind
// them), styled for A4, and its PDF when a Chromium is installed.
package printout

import (
	_ "embed"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"github.com/utilscore/utilscore/dashboards"
	"github.com/utilscore/utilscore/domain"
	"github.com/utilscore/utilscore/metrics"
	"github.com/utilscore/utilscore/outfile"
	"github.com/utilscore/utilscore/policy"
	"github.com/utilscore/utilscore/reports"
)

//go:embed print.css
var printCSS []byte

// StyleSheet is the style sheet's path inside the folder the report is written to.
const StyleSheet = "assets/print.css"

// FileName says what a report is without opening it; ext is "html" or "pdf".
func FileName(period, audience, utility, ext string) string {
	name := period + "_水电气网营商环境季度报告_" + reports.AudienceZH[audience]
	if utility != "" {
		name += "_" + domain.Or(domain.UtilityZH, utility)
	}
	return name + "." + ext
}

// Write writes the report of one audience (for the utility audience, of one utility)
// into dir, with its style sheet in dir/assets, and returns the page's path.
func Write(dir, audience, utility string, d *reports.Data) (string, error) {
	if _, ok := reports.AudienceZH[audience]; !ok {
		return "", fmt.Errorf("printable report: unknown audience %q", audience)
	}
	if audience == reports.Utility && utility == "" {
		return "", fmt.Errorf("printable report: the utility audience needs a utility")
	}
	if err := os.MkdirAll(filepath.Join(dir, filepath.Dir(StyleSheet)), outfile.DirMode); err != nil {
		return "", err
	}
	if err := outfile.WriteFile(filepath.Join(dir, StyleSheet), printCSS); err != nil {
		return "", err
	}
	path := filepath.Join(dir, FileName(d.Period.Label, audience, utility, "html"))
	p, err := newBuilder(audience, utility, d).page()
	if err != nil {
		return "", fmt.Errorf("printable report %s: tracing the missed targets: %w", filepath.Base(path), err)
	}
	err = outfile.Write(path, func(w io.Writer) error { return pageTemplate.Execute(w, p) })
	if err != nil {
		return "", fmt.Errorf("printable report %s: %w", filepath.Base(path), err)
	}
	return path, nil
}

type builder struct {
	d         *reports.Data
	audience  string
	utility   string
	defs      map[string]metrics.Definition
	utilities []string             // the utilities the report covers, in the outputs' order
	pub       *reports.Suppression // the public's, nil for internal audiences
}

func newBuilder(audience, utility string, d *reports.Data) *builder {
	b := &builder{d: d, audience: audience, utility: utility, defs: map[string]metrics.Definition{}}
	for _, def := range d.Definitions {
		b.defs[def.ID] = def
	}
	for _, u := range domain.Utilities {
		if b.shows(u) {
			b.utilities = append(b.utilities, u)
		}
	}
	if b.public() {
		b.pub = d.Public()
	}
	return b
}

// shows tells whether the report covers a row's utility; a utility's report leaves
// out the targets across utilities, as its workbook does.
func (b *builder) shows(utility string) bool { return b.utility == "" || utility == b.utility }

func (b *builder) public() bool { return b.audience == reports.Public }

// hidden: the public report holds the public workbook's rule.
func (b *builder) hidden(r metrics.Row) bool { return b.pub != nil && b.pub.Hidden(r) }

func (b *builder) title() string {
	t := reports.PeriodZH(b.d.Period) + "水电气网营商环境指标报告"
	return t
}

func (b *builder) edition() string {
	e := reports.AudienceZH[b.audience]
	if b.utility != "" {
		e += "·" + domain.Or(domain.UtilityZH, b.utility)
	}
	return e
}

func (b *builder) page() (page, error) {
	loc := b.d.Period.Start.Location()
	asOf := "—"
	if !b.d.DataAsOf.IsZero() {
		asOf = b.d.DataAsOf.In(loc).Format("2006-01-02 15:04")
	}
	scope := "各供水、供电、供气、通信企业"
	if b.utility != "" {
		scope = domain.Or(domain.UtilityZH, b.utility) + "企业"
	}
	p := page{
		CSP:     dashboards.ContentSecurityPolicy,
		Title:   b.title(),
		Edition: b.edition(),
		Meta: []pair{
			{"统计周期", b.d.Period.Start.Format("2006-01-02") + " 至 " + b.d.Period.End.AddDate(0, 0, -1).Format("2006-01-02")},
			{"报告范围", scope},
			// The document's title; the profile's id is a code of the program's, which
			// the reader has no use for (the workbook's properties carry it).
			{"政策依据", b.d.Profile.Title},
			{"数据截至", asOf},
			{"制表时间", b.d.MadeAt.In(loc).Format("2006-01-02 15:04")},
		},
	}
	p.Scorecard, p.Summary = b.scorecard()
	p.Headline = b.headline(p.Scorecard)
	p.Figures = b.figures()
	p.Disclosure = b.disclosure()
	p.Missed = b.missed(p.Scorecard)
	traced, err := b.trace()
	if err != nil {
		return page{}, err
	}
	for i, m := range p.Missed {
		if t := traced[drillKey{m.ID, m.row.Utility, m.row.AreaType}]; t != nil {
			p.Missed[i].Drill = b.drillOf(t)
		}
	}
	p.Pace = b.paceSection()
	p.Notes = b.notes()
	sections := []string{"headline", "scorecard", "charts", "disclosure", "missed", "notes"}
	if p.Pace != nil {
		sections = slices.Insert(sections, len(sections)-1, "pace")
	}
	p.Headings = headings(sections)
	return p, nil
}

// sectionTitles are the sections' headings, numbered as the report holds them.
var sectionTitles = map[string]string{"headline": "主要指标", "scorecard": "目标达成情况",
	"charts": "图表", "disclosure": "信息公开", "missed": "未达标目标及明细", "pace": "年度进度", "notes": "说明"}

func headings(ids []string) map[string]string {
	numerals := []string{"一", "二", "三", "四", "五", "六", "七", "八", "九", "十"}
	out := map[string]string{}
	for i, id := range ids {
		out[id] = numerals[i] + "、" + sectionTitles[id]
	}
	return out
}

// isShare: the figure is a share of records (a rate, or the share within a limit).
func isShare(r metrics.Row) bool {
	return r.Statistic == "rate" || r.Statistic == "share_within" || r.Unit == "rate"
}

// places is how many decimals a figure is printed with.
func places(r metrics.Row) int {
	switch {
	case isShare(r) || r.Unit == "WD":
		return 1
	case r.Unit == "h":
		return 2
	case r.Statistic == "count":
		return 0
	}
	return 1
}

// valueText writes a row's value with its unit: 59.7%, 2.8个工作日; <5 for a
// suppressed public figure.
func (b *builder) valueText(r metrics.Row) string {
	switch {
	case b.hidden(r):
		return "<5"
	case r.Value == nil:
		return "无数据"
	case isShare(r):
		return strconv.FormatFloat(*r.Value*100, 'f', places(r), 64) + "%"
	case r.Statistic == "count":
		return strconv.FormatFloat(*r.Value, 'f', 0, 64) + domain.Or(domain.UnitZH, "count")
	}
	return strconv.FormatFloat(*r.Value, 'f', places(r), 64) + domain.Or(domain.UnitZH, r.Unit)
}

// number writes a row's value without its unit, for a column whose header names it.
func (b *builder) number(r metrics.Row) string {
	if b.hidden(r) || r.Value == nil || isShare(r) {
		return b.valueText(r)
	}
	return strconv.FormatFloat(*r.Value, 'f', places(r), 64)
}

// countText is the count behind a share: 40/67件.
func (b *builder) countText(r metrics.Row) string {
	if !isShare(r) || r.Value == nil || b.hidden(r) || r.N == 0 {
		return ""
	}
	return strconv.FormatInt(int64(*r.Value*float64(r.N)+0.5), 10) + "/" + strconv.FormatInt(r.N, 10) + "件"
}

// changeText is the change of a row on an earlier period: a share's in 百分点.
func (b *builder) changeText(r metrics.Row, earlier []metrics.Row) string {
	if r.Value == nil || b.hidden(r) {
		return ""
	}
	for _, e := range earlier {
		if e.TargetID == r.TargetID && e.MetricID == r.MetricID && e.Statistic == r.Statistic && e.Utility == r.Utility &&
			e.CustomerClass == r.CustomerClass && e.District == r.District && e.AreaType == r.AreaType && e.Value != nil {
			if b.hidden(e) {
				return ""
			}
			diff := *r.Value - *e.Value
			if isShare(r) {
				return signed(diff*100, 1) + "个百分点"
			}
			return signed(diff, places(r)) + domain.Or(domain.UnitZH, r.Unit)
		}
	}
	return ""
}

func signed(x float64, places int) string {
	s := strconv.FormatFloat(x, 'f', places, 64)
	if x >= 0 && !strings.HasPrefix(s, "-") {
		s = "+" + s
	}
	if strings.Trim(s, "+-0.") == "" {
		return "0"
	}
	return s
}

// districtName is a district's name with its code, as the workbooks show it.
func (b *builder) districtName(code string) string {
	if code == "" {
		return "全部区县"
	}
	if n := b.d.Districts[code]; n != "" {
		return n + "（" + code + "）"
	}
	return code
}

// statusText is a row's status in Chinese; a suppressed figure is judged in no one's
// sight.
func (b *builder) statusText(r metrics.Row) (string, string) {
	if b.hidden(r) {
		return "—", ""
	}
	return map[string]string{metrics.StatusMet: "达标", metrics.StatusMissed: "未达标", metrics.StatusNoData: "无数据",
		metrics.StatusNoTarget: "—"}[r.Status], r.Status
}

// targetsInForce are the profile's targets that apply in the period.
func (b *builder) targetsInForce() []policy.Target {
	var out []policy.Target
	for _, t := range b.d.Profile.Targets {
		if t.Applies(b.d.Period) {
			out = append(out, t)
		}
	}
	return out
}

// targetRows are a target's own figures across districts, of the report's utilities:
// one, or one per utility or area type the target judges apart.
func (b *builder) targetRows(id string) []metrics.Row {
	var out []metrics.Row
	for _, r := range b.d.Rows {
		if r.TargetID == id && r.District == "" && b.shows(r.Utility) {
			out = append(out, r)
		}
	}
	return out
}
