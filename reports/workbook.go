package reports

import (
	"cmp"
	"fmt"
	"io"
	"path/filepath"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/xuri/excelize/v2"

	"github.com/utilscore/utilscore/domain"
	"github.com/utilscore/utilscore/metrics"
	"github.com/utilscore/utilscore/outfile"
	"github.com/utilscore/utilscore/policy"
)

// MinGroup is the smallest group the public may see: fewer records could single out
// a customer (spec/outputs.md).
const MinGroup = domain.MinPublicGroup

// FileName says what a workbook is without opening it.
func FileName(period, audience, utility string) string {
	name := period + "_水电气网营商环境指标_" + AudienceZH[audience]
	if utility != "" {
		name += "_" + or(UtilityZH, utility)
	}
	return name + ".xlsx"
}

// Write writes the workbook of one audience (for the utility audience, of one
// utility) into dir and returns its path.
func Write(dir, audience, utility string, d *Data) (string, error) {
	if audience == Utility && utility == "" {
		return "", fmt.Errorf("the utility audience needs --utility")
	}
	w := &writer{d: d, audience: audience, utility: utility, f: excelize.NewFile()}
	defer w.f.Close()
	if audience == Public {
		w.pub, w.pubOf = d.Public(), map[*metrics.Row]*Suppression{}
	}
	var err error
	if w.st, err = newStyles(w.f); err != nil {
		return "", err
	}
	type step struct {
		sheet string
		write func() error
	}
	steps := []step{{"总览", w.overview}}
	if audience != Public {
		steps = append(steps, step{"得分", w.scores})
	}
	steps = append(steps, step{"趋势", w.trend}, step{"各行业", w.utilitySheets}, step{"信息公开", w.disclosure})
	if audience == Regulator || audience == Office {
		steps = append(steps, step{"年度进度", w.paceSheet})
	}
	if audience == Regulator || audience == Utility {
		steps = append(steps, step{"超期工单", w.overdue}, step{missedSheet, w.missed})
	}
	if audience != Public {
		steps = append(steps, step{"数据质量", w.dataQuality})
	}
	steps = append(steps, step{"口径说明", w.definitions})
	for i, s := range steps {
		w.progress(s.sheet, 0, 0)
		if err := s.write(); err != nil {
			return "", err
		}
		if i == 0 {
			// Both read every sheet back into memory, a streamed list too (a million
			// cases would take a gigabyte), so they run while the first is the only one.
			if err := w.f.DeleteSheet("Sheet1"); err != nil {
				return "", err
			}
			w.f.SetActiveSheet(0)
		}
	}
	if err := w.f.SetDocProps(&excelize.DocProperties{
		Title: w.title(), Subject: "水电气网营商环境季度指标", Creator: "utilscore", Language: "zh-CN",
		Category: AudienceZH[audience], Description: "政策配置：" + d.Profile.ID + "（" + d.Profile.Title + "）",
		Created: d.MadeAt.Format("2006-01-02T15:04:05Z07:00"),
	}); err != nil {
		return "", err
	}
	path := filepath.Join(dir, FileName(d.Period.Label, audience, utility))
	// Whole or not at all: a reader may open the workbook while this run is killed.
	return path, outfile.Write(path, func(out io.Writer) error { return w.f.Write(out) })
}

type writer struct {
	d        *Data
	audience string
	utility  string
	f        *excelize.File
	st       *styles
	pub      *Suppression                  // the public's, nil for internal audiences
	pubOf    map[*metrics.Row]*Suppression // other periods' rows, by their first
}

func (w *writer) title() string {
	t := periodZH(w.d.Period) + "水电气网营商环境指标报告（" + AudienceZH[w.audience]
	if w.utility != "" {
		t += "·" + or(UtilityZH, w.utility)
	}
	return t + "）"
}

func periodZH(p metrics.Period) string {
	switch p.Kind {
	case "quarter":
		return fmt.Sprintf("%d年第%s季度", p.Start.Year(), []string{"一", "二", "三", "四"}[(int(p.Start.Month())-1)/3])
	case "year":
		return fmt.Sprintf("%d年", p.Start.Year())
	}
	return fmt.Sprintf("%d年%d月", p.Start.Year(), int(p.Start.Month()))
}

func (w *writer) head(sheet string) titleBlock {
	unit := "各供水、供电、供气、通信企业（汇总）"
	if w.utility != "" {
		unit = or(UtilityZH, w.utility) + "企业"
	}
	asOf := "—"
	if at, differ := w.d.CutoffOf(w.utility); !at.IsZero() {
		asOf = at.In(w.d.Period.Start.Location()).Format("2006-01-02 15:04")
		if differ {
			asOf += "（各类数据截至时间不同，取最早者"
			if w.audience != Public { // the public workbook has no 数据质量 sheet
				asOf += "，详见数据质量"
			}
			asOf += "）"
		}
	}
	return titleBlock{title: w.title() + " — " + sheet,
		period: w.d.Period.Start.Format("2006-01-02") + " 至 " + w.d.Period.End.AddDate(0, 0, -1).Format("2006-01-02"),
		unit:   unit, madeAt: w.d.MadeAt.Format("2006-01-02 15:04"), dataAsOf: asOf}
}

// progress tells the caller, if it listens, which sheet is being written and, for a
// long list, how many of its rows are done.
func (w *writer) progress(sheet string, done, total int64) {
	if w.d.Progress != nil {
		name := AudienceZH[w.audience]
		if w.utility != "" {
			name += "·" + or(UtilityZH, w.utility)
		}
		w.d.Progress(name, sheet, done, total)
	}
}

// shows tells whether the workbook covers a row's utility.
func (w *writer) shows(utility string) bool { return w.utility == "" || utility == w.utility }

// valueFormat picks the number format of a value from its unit and statistic.
func valueFormat(r metrics.Row) string {
	switch {
	case r.Statistic == "rate" || r.Statistic == "share_within" || r.Unit == "rate":
		return "pct"
	case r.Unit == "WD":
		return "dec1"
	case r.Unit == "h":
		return "dec2"
	case r.Statistic == "count" || r.Statistic == "max" && r.Unit == "count":
		return "int"
	}
	return "dec1"
}

// value is a row's value as a cell: a number in its format, empty without data, and
// "<5" on the public audience for a group of fewer than five records.
func (w *writer) value(r metrics.Row) any {
	if w.suppressed(r) {
		return styledValue{"<5", w.st.text}
	}
	if r.Value == nil {
		return styledValue{"", w.st.noData}
	}
	return styledValue{*r.Value, w.st.forFormat(valueFormat(r))}
}

func (w *writer) suppressed(r metrics.Row) bool {
	return w.pub != nil && w.pub.Hidden(r)
}

// suppressedIn tells whether the public may not see a row of another period (rows),
// by that period's own suppression.
func (w *writer) suppressedIn(r metrics.Row, rows []metrics.Row) bool {
	if w.pub == nil || len(rows) == 0 {
		return false
	}
	s, ok := w.pubOf[&rows[0]]
	if !ok {
		s = w.d.PublicOf(rows)
		w.pubOf[&rows[0]] = s
	}
	return s.Hidden(r)
}

func (w *writer) status(r metrics.Row) any {
	if w.suppressed(r) {
		return "—"
	}
	style := map[string]int{"met": w.st.met, "missed": w.st.missed, "no_data": w.st.noData}[r.Status]
	if style == 0 {
		style = w.st.text
	}
	return styledValue{or(statusZH, r.Status), style}
}

// target is the target a row is judged against, in words; "" for a row no target judges.
func (w *writer) target(r metrics.Row, defs map[string]metrics.Definition) string {
	if t, ok := w.d.Profile.Target(r.TargetID); ok && r.Target != nil {
		return t.Statement(defs)
	}
	return ""
}

func (w *writer) districtLabel(code string) string {
	if code == "" {
		return "全部"
	}
	if name := w.d.Districts[code]; name != "" {
		return code + " " + name
	}
	return code
}

func key(r metrics.Row) string {
	return strings.Join([]string{r.TargetID, r.MetricID, r.Utility, r.CustomerClass, r.District, r.AreaType, r.Statistic}, "\x00")
}

// breakNote marks a row whose target differs from the one in force in the periods it
// is compared with: a change there is a change of method, not of performance.
func breakNote(r metrics.Row, prevQuarter, prevYear []metrics.Row) string {
	var notes []string
	for _, cmp := range []struct {
		label string
		rows  []metrics.Row
	}{{"较上期", prevQuarter}, {"较上年同期", prevYear}} {
		if changedTarget(r, cmp.rows) {
			notes = append(notes, cmp.label+"目标或口径不同")
		}
	}
	return strings.Join(notes, "；")
}

// changedTarget: the earlier period judged the same figure against another target, or
// judged it against none.
func changedTarget(r metrics.Row, earlier []metrics.Row) bool {
	if r.Target == nil {
		return false
	}
	for _, e := range earlier {
		if e.TargetID == r.TargetID && e.MetricID == r.MetricID && e.Utility == r.Utility && e.CustomerClass == r.CustomerClass &&
			e.District == r.District && e.AreaType == r.AreaType && e.Statistic == r.Statistic {
			return e.Target == nil || *e.Target != *r.Target
		}
	}
	return true // the target was not in force then
}

// change is this value less the same row's value in an earlier period; blank for the
// public where either is hidden, since the change and one value give the other.
func (w *writer) change(r metrics.Row, earlier []metrics.Row) any {
	if r.Value == nil || w.suppressed(r) {
		return ""
	}
	for _, e := range earlier {
		if key(e) == key(r) && e.Value != nil && !w.suppressedIn(e, earlier) {
			if policy.IsShare(r) { // a share's change is in 百分点, not in %
				return styledValue{100 * (*r.Value - *e.Value), w.st.points}
			}
			return styledValue{*r.Value - *e.Value, w.st.forFormat(valueFormat(r))}
		}
	}
	return ""
}

func (w *writer) definitionsByID() map[string]metrics.Definition {
	out := make(map[string]metrics.Definition, len(w.d.Definitions))
	for _, d := range w.d.Definitions {
		out[d.ID] = d
	}
	return out
}

func (w *writer) metricName(id string) string {
	for _, d := range w.d.Definitions {
		if d.ID == id {
			return d.NameZH
		}
	}
	return id
}

// utilityOrder is the order utilities are shown in: power, water, gas, telecom, then
// the targets across utilities.
var utilityOrder = map[string]int{"power": 0, "water": 1, "gas": 2, "telecom": 3, "": 4}

// overview is the scorecard: every target judged on utility-wide rows, utility by
// utility, written out in words (spec v2): the target as a phrase, the count behind a
// share, the median beside a case-time target, changes of a share in 百分点, and the
// document's title and clause.
func (w *writer) overview() error {
	cols := []column{{"行业", "utility", ""}, {"目标", "target in words", ""}, {"客户类别", "customer class", ""}, {"区域类型", "area type", ""},
		{"数值", "value", "dec1"}, {"单位", "unit", ""}, {"达标件数/总件数", "within / judged", ""}, {"中位数", "median", ""},
		{"达标情况", "status", ""}, {"较上期变化", "change on the quarter", "dec1"}, {"较上年同期变化", "change on the year", "dec1"},
		{"样本数（件）", "n", "int"}, {"依据", "source", ""}, {"目标编号", "target id", ""}, {"口径变化", "break in series", ""}}
	var judged []metrics.Row
	for _, r := range w.d.Rows {
		if r.Target != nil && r.District == "" && w.shows(r.Utility) {
			judged = append(judged, r)
		}
	}
	sort.SliceStable(judged, func(i, j int) bool {
		return utilityOrder[judged[i].Utility] < utilityOrder[judged[j].Utility]
	})
	defs := w.definitionsByID()
	var visible []metrics.Row // the rows a median may be read from
	for _, r := range w.d.Rows {
		if !w.suppressed(r) {
			visible = append(visible, r)
		}
	}
	var rows [][]any
	for _, r := range judged {
		n, tally, median := any(r.N), policy.Tally(r), ""
		statement, source := w.metricName(r.MetricID), r.Source
		if t, ok := w.d.Profile.Target(r.TargetID); ok {
			statement, source, median = t.Statement(defs), w.d.Profile.Cite(t.Source), policy.Median(t, defs, visible)
		}
		if w.suppressed(r) {
			n, tally = "<5", "—"
		}
		rows = append(rows, []any{or(UtilityZH, r.Utility), statement, domain.Classes(r.CustomerClass), or(areaZH, r.AreaType),
			w.value(r), w.unit(r), tally, median, w.status(r), w.change(r, w.d.PrevQuarter), w.change(r, w.d.PrevYear),
			n, source, r.TargetID, breakNote(r, w.d.PrevQuarter, w.d.PrevYear)})
	}
	return tableSheet(w.f, w.st, "总览", w.head("总览"), cols, rows)
}

// unit is the unit a row's value is shown in: a share is %, whatever it counts.
func (w *writer) unit(r metrics.Row) string {
	if policy.IsShare(r) {
		return "%"
	}
	return or(unitZH, r.Unit)
}

func (w *writer) scores() error {
	cols := []column{{"范围", "scope", ""}, {"行业或区县", "utility or district", ""}, {"得分（满分100）", "score", "dec1"},
		{"达标项", "met", "int"}, {"未达标项", "missed", "int"}, {"无数据项", "no data", "int"}}
	var rows [][]any
	for _, s := range w.d.Scores {
		label, scope := or(UtilityZH, s.Key), "行业"
		if s.Scope == "district" {
			label, scope = w.districtLabel(s.Key), "区县"
		} else if !w.shows(s.Key) {
			continue
		}
		rows = append(rows, []any{scope, label, s.Score, s.Met, s.Missed, s.NoData})
	}
	return tableSheet(w.f, w.st, "得分", w.head("得分"), cols, rows)
}

// utilitySheets: one sheet per utility with every figure, by class, district and area.
func (w *writer) utilitySheets() error {
	cols := []column{{"指标", "metric", ""}, {"客户类别", "customer class", ""}, {"区县", "district", ""}, {"区域类型", "area type", ""},
		{"统计量", "statistic", ""}, {"数值", "value", "dec1"}, {"单位", "unit", ""}, {"样本数（件）", "n", "int"},
		{"目标", "target in words", ""}, {"达标情况", "status", ""}, {"指标编号", "metric id", ""}, {"目标编号", "target id", ""}}
	defs := w.definitionsByID()
	for _, u := range domain.Utilities {
		if !w.shows(u) {
			continue
		}
		var rows [][]any
		for _, r := range w.d.Rows {
			if r.Utility != u {
				continue
			}
			n := any(r.N)
			if w.suppressed(r) {
				n = "<5"
			}
			rows = append(rows, []any{w.metricName(r.MetricID), domain.Classes(r.CustomerClass), w.districtLabel(r.District), or(areaZH, r.AreaType),
				or(statisticZH, r.Statistic), w.value(r), w.unit(r), n, w.target(r, defs), w.status(r), r.MetricID, r.TargetID})
		}
		if err := tableSheet(w.f, w.st, UtilityZH[u], w.head(UtilityZH[u]), cols, rows); err != nil {
			return err
		}
	}
	return nil
}

// disclosure is the table a utility must publish each quarter (Kunming clause 14 for
// water; outage hours per customer by area type for power).
func (w *writer) disclosure() error {
	cols := []column{{"行业", "utility", ""}, {"区县", "district", ""}, {"区域类型", "area type", ""},
		{"计划停运次数", "planned stops", "int"}, {"突发停运次数", "sudden stops", "int"},
		{"户均停运时间（小时）", "stop hours per customer", "dec2"}, {"漏损率", "leakage rate", "pct"}}
	find := func(metric, stat, u, district, area string) any {
		if r, ok := GeneralRow(w.d.Rows, metric, stat, u, "", district, area); ok {
			return w.value(r)
		}
		return ""
	}
	var rows [][]any
	for _, u := range []string{"water", "power", "gas"} {
		if !w.shows(u) {
			continue
		}
		groups := [][2]string{{"", ""}}
		for code := range w.d.Districts {
			groups = append(groups, [2]string{code, ""})
		}
		if u == "power" {
			for _, a := range []string{"urban_core", "urban", "town", "rural"} {
				groups = append(groups, [2]string{"", a})
			}
		}
		sortGroups(groups)
		for _, g := range groups {
			leakage := any("")
			if u == "water" && g[1] == "" {
				leakage = find("leakage_rate", "rate", u, g[0], "")
			}
			rows = append(rows, []any{UtilityZH[u], w.districtLabel(g[0]), or(areaZH, g[1]),
				find("planned_stop_count", "count", u, g[0], g[1]), find("sudden_stop_count", "count", u, g[0], g[1]),
				find("outage_hours_per_customer", "sum", u, g[0], g[1]), leakage})
		}
	}
	return tableSheet(w.f, w.st, "信息公开", w.head("信息公开"), cols, rows)
}

// overdue lists the cases over their limit (open at the end of the period, or
// finished in it) and the open ones near it, with the stream writer; the phone is
// masked.
func (w *writer) overdue() error {
	cols := []column{{"行业", "utility", ""}, {"工单编号", "case id", ""}, {"客户类别", "customer class", ""}, {"区县", "district", ""},
		{"申请时间", "applied at", "datetime"}, {"已用时长", "elapsed", "dec1"}, {"时限", "limit", "dec1"}, {"单位", "unit", ""},
		{"已用比例", "share of the limit used", "pct"}, {"状态", "state", ""}, {"户名", "applicant", ""}, {"联系电话", "phone (masked)", ""}}
	loc := w.d.Period.Start.Location()
	l := newListSheets(w.f, w.st, "超期工单", w.head("超期工单"), cols)
	// "510302 自流井区" and a firm's name are wider than their headers.
	l.widths = map[string]float64{"district": 16, "applicant": 24, "case id": 16, "phone (masked)": 14, "state": 12}
	list := w.d.Overdue
	if list == nil {
		list = CaseSlice(nil)
	}
	var done, total int64
	begin := func(n int) error {
		total = int64(n)
		return l.begin(n)
	}
	err := list.List(w.utility, begin, func(c metrics.OpenCase) error {
		if done++; done%5000 == 0 || done == total {
			w.progress("超期工单", done, total)
		}
		unit, state, style := domain.UnitZH[metrics.Unit(c.MetricID)], "在办临期", w.st.noData
		switch {
		case c.Finished:
			state, style = "已办结超期", w.st.missed
		case c.Used > 1:
			state, style = "在办已超期", w.st.missed
		}
		return l.add([]any{or(UtilityZH, c.Utility), c.CaseID, or(classZH, c.CustomerClass), w.districtLabel(c.District),
			c.AppliedAt.In(loc), c.Elapsed, c.Limit, unit, c.Used, styledValue{state, style}, c.Applicant, metrics.MaskPhone(c.Phone)})
	})
	if err != nil {
		return err
	}
	return l.end()
}

// dataQuality: the load ledger, rejected rows by file and column, integrity findings.
func (w *writer) dataQuality() error {
	cols := []column{{"项目", "item", ""}, {"文件", "file", ""}, {"数据类型或检查规则", "kind or rule", ""}, {"字段", "column", ""},
		{"读取行数", "rows read", "int"}, {"入库行数", "rows loaded", "int"}, {"拒收行数", "rows rejected", "int"},
		{"说明", "detail", ""}}
	var rows [][]any
	for _, l := range w.d.Loads {
		rows = append(rows, []any{"入库记录", l.File, or(domain.KindZH, l.Kind), "", l.Read, l.Loaded, l.Rejected,
			"更新" + strconv.FormatInt(l.Updated, 10) + "行，" + l.At.In(w.d.Period.Start.Location()).Format("2006-01-02 15:04") + "载入"})
	}
	for _, r := range w.d.Rejects {
		reason, _ := domain.ReasonZH(r.Reason)
		if r.Warning {
			rows = append(rows, []any{"载入警告", r.File, "", r.Column, "", "", "",
				strconv.FormatInt(r.Rows, 10) + "行已入库，该字段留空。例：" + reason})
			continue
		}
		rows = append(rows, []any{"拒收原因", r.File, "", r.Column, "", "", r.Rows, "例：" + reason})
	}
	for _, c := range w.d.Cutoffs {
		if w.shows(c.Utility) {
			rows = append(rows, []any{"数据截至", "", or(domain.KindZH, c.Kind) + "（" + or(UtilityZH, c.Utility) + "）", "", "", "", "",
				c.At.In(w.d.Period.Start.Location()).Format("2006-01-02 15:04")})
		}
	}
	// One row per utility and rule, in the findings' utility order and then by rule,
	// so that the same data always gives the same sheet.
	type ruleOf struct{ utility, rule string }
	counts := map[ruleOf]int64{}
	var keys []ruleOf
	utilityAt := map[string]int{}
	for _, f := range w.d.Findings {
		if !w.shows(f.Utility) {
			continue
		}
		k := ruleOf{f.Utility, f.Rule}
		if counts[k] == 0 {
			keys = append(keys, k)
		}
		if _, ok := utilityAt[f.Utility]; !ok {
			utilityAt[f.Utility] = len(utilityAt)
		}
		counts[k]++
	}
	slices.SortFunc(keys, func(a, b ruleOf) int {
		return cmp.Or(cmp.Compare(utilityAt[a.utility], utilityAt[b.utility]), cmp.Compare(a.rule, b.rule))
	})
	for _, k := range keys {
		rows = append(rows, []any{"完整性检查", "", or(domain.AuditRuleZH, k.rule) + "（" + or(UtilityZH, k.utility) + "）", "", "", "", counts[k], "逐件清单见 utilscore audit"})
	}
	return tableSheet(w.f, w.st, "数据质量", w.head("数据质量"), cols, rows)
}

// definitions prints every figure's definition from the SQL headers, then the
// profile's targets in words and its notes.
func (w *writer) definitions() error {
	cols := []column{{"编号", "metric or target id", ""}, {"名称或目标", "name or target in words", ""}, {"单位", "unit", ""},
		{"方向", "direction", ""}, {"统计量", "statistics", ""}, {"口径说明", "definition", ""}}
	var rows [][]any
	for _, d := range w.d.Definitions {
		dir := "越低越好"
		if d.Direction == "higher" {
			dir = "越高越好"
		}
		var stats []string
		for _, s := range d.Statistics {
			stats = append(stats, or(statisticZH, s))
		}
		rows = append(rows, []any{d.ID, d.NameZH, or(unitZH, d.Unit), dir, strings.Join(stats, "、"), d.Text})
	}
	defs := w.definitionsByID()
	for _, t := range w.d.Profile.Targets {
		text := "依据" + w.d.Profile.Cite(t.Source) + "。"
		for _, n := range t.Notes {
			text += n
		}
		rows = append(rows, []any{t.ID, t.Statement(defs), "", "", or(statisticZH, t.Statistic), text})
	}
	for _, n := range w.d.Profile.Notes {
		rows = append(rows, []any{"", "说明", "", "", "", n})
	}
	rows = append(rows, w.paceDefinitions()...)
	return tableSheet(w.f, w.st, "口径说明", w.head("口径说明"), cols, rows)
}

// sortGroups puts the whole first, then districts by code, then area types.
func sortGroups(g [][2]string) {
	sort.Slice(g, func(i, j int) bool {
		if g[i][0] != g[j][0] {
			return g[i][0] < g[j][0]
		}
		return g[i][1] < g[j][1]
	})
}
