package main

import (
	"context"
	"encoding/csv"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/utilscore/utilscore/domain"
	"github.com/utilscore/utilscore/metrics"
	"github.com/utilscore/utilscore/policy"
	"github.com/utilscore/utilscore/reports"
)

const explainUsage = `TARGET_ID --period P [--profile ID] [flags]

Explains a target of the profile for the period, in Chinese: the target in words, its
figure, and, when it was missed, the districts and customer classes that contribute
most to the miss and every case or ticket that missed it, judged as the figure judges
it (the furthest past its limit first). Internal use: case ids and masked phones.
--format csv writes the missed records alone, one per line, for a spreadsheet.`

func runExplain(ctx context.Context, args []string, out, errOut io.Writer) error {
	fs := newFlags("explain", explainUsage, errOut)
	var db dbFlags
	db.register(fs)
	period := fs.String("period", "", "quarter (2024Q3), year (2024) or month (2024-07)")
	profileName := fs.String("profile", "district-wpgt", "policy profile: a built-in id or a YAML file")
	top := fs.Int("top", 5, "groups shown per dimension (district, class, area type)")
	format := fs.String("format", "table", "table or csv (csv: the missed records only)")
	pos, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return usagef("name one target id")
	}
	if *format != "table" && *format != "csv" {
		return usagef("--format must be table or csv")
	}
	if *top < 1 {
		return usagef("--top must be at least 1")
	}
	prof, err := policy.Load(*profileName)
	if err != nil {
		return err
	}
	var target *policy.Target
	var ids []string
	for i, t := range prof.Targets {
		ids = append(ids, t.ID)
		if t.ID == pos[0] {
			target = &prof.Targets[i]
		}
	}
	if target == nil {
		return fmt.Errorf("profile %s has no target %q; its targets: %s", prof.ID, pos[0], strings.Join(ids, ", "))
	}
	store, p, err := db.openPeriod(ctx, errOut, scope{period: *period, need: anyRecords})
	if err != nil {
		return err
	}
	defer store.Close()
	ev, err := policy.Evaluate(ctx, store.DB, prof, p)
	if err != nil {
		return err
	}
	districts, err := metrics.DistrictNames(ctx, store.DB)
	if err != nil {
		return err
	}
	x := explainer{out: out, loc: p.Start.Location(), districts: districts, top: *top}
	if *format == "csv" {
		x.csv = csv.NewWriter(out)
		x.csv.Write([]string{"target_id", "utility", "id", "kind", "district", "customer_class", "start", "end", "value", "limit", "over", "unit", "phone_masked"})
	} else {
		x.header(ev, *target)
	}
	missed := ev.Find(target.ID)
	if len(missed) > 0 {
		d, err := ev.NewDriller(ctx, store.DB)
		if err != nil {
			return err
		}
		defer d.Close()
		for _, m := range missed {
			if err := d.Drill(ctx, m.Drill, func(b metrics.Breakdown) error { return x.breakdown(reports.Traced{Missed: m, Breakdown: b}) }, x.record); err != nil {
				return err
			}
		}
	}
	if x.csv != nil {
		x.csv.Flush()
		return x.csv.Error()
	}
	return nil
}

// explainer prints one target's explanation as it is traced.
type explainer struct {
	out       io.Writer
	loc       *time.Location
	districts map[string]string
	top       int
	csv       *csv.Writer
	current   reports.Traced
}

// header states the target and every figure that judges it, utility-wide.
func (x *explainer) header(ev *policy.Evaluation, t policy.Target) {
	families, _ := metrics.Catalog() // read when the profile was checked
	fmt.Fprintf(x.out, "目标 %s：%s\n依据：%s\n统计周期：%s\n", t.ID, t.Statement(metrics.Definitions(families)), ev.Profile.Cite(t.Source), ev.Period.Label)
	if !t.Applies(ev.Period) {
		fmt.Fprintln(x.out, "本期不适用该目标（不在施行期内或不按本期类型判定）。")
		return
	}
	judged := 0
	for _, r := range ev.Rows {
		if r.TargetID != t.ID || r.District != "" {
			continue
		}
		judged++
		who := reports.UtilityZH[r.Utility]
		if r.AreaType != "" {
			who += " " + domain.Or(domain.AreaZH, r.AreaType)
		}
		value := "无数据"
		if r.Value != nil {
			value = reports.FigureText(reports.Traced{Missed: policy.Missed{Target: t, Row: r}})
		}
		fmt.Fprintf(x.out, "%s：%s，%s\n", who, value, statusZH(r.Status))
	}
	if judged == 0 {
		fmt.Fprintln(x.out, "本期没有该目标的数据。")
	}
}

func statusZH(s string) string {
	return map[string]string{metrics.StatusMet: "达标", metrics.StatusMissed: "未达标", metrics.StatusNoData: "无数据"}[s]
}

// breakdown prints a missed figure, its largest groups and the head of its list.
func (x *explainer) breakdown(t reports.Traced) error {
	x.current = t
	if x.csv != nil {
		return nil
	}
	m := t.Missed
	who := reports.UtilityZH[m.Row.Utility]
	if m.Row.AreaType != "" {
		who += " " + domain.Or(domain.AreaZH, m.Row.AreaType)
	}
	fmt.Fprintf(x.out, "\n未达标：%s %s\n", who, reports.FigureText(t))
	dim := ""
	for _, c := range reports.TopGroups(t, x.top) {
		if c.Dimension != dim {
			dim = c.Dimension
			fmt.Fprintf(x.out, "按%s（未达标最集中的在前）：\n", reports.DimensionZH[dim])
		}
		fmt.Fprintf(x.out, "  %s\n", reports.GroupText(t, c, x.districts))
	}
	if !t.Breakdown.Traced {
		fmt.Fprintln(x.out, "该指标按停电、评价或水量汇总计算，不逐件列示。")
		return nil
	}
	fmt.Fprintf(x.out, "未达标明细（%d件，超出最多的在前；单位：%s）：\n", t.Breakdown.Missed, unitWords(t.Breakdown.RecordUnit))
	x.row("编号", "类型", "行业", "区县", "客户类别", "开始时间", "结束时间", "实际值", "限值", "超出", "联系电话")
	return nil
}

// record prints one missed case or ticket.
func (x *explainer) record(r metrics.MissedRecord) error {
	start := r.Start.In(x.loc).Format("2006-01-02 15:04")
	end := reports.RecordEnd(r, x.loc)
	district := r.District
	if name := x.districts[r.District]; name != "" {
		district += " " + name
	}
	num := func(v *float64) string {
		if v == nil {
			return "无数据"
		}
		if x.current.Breakdown.RecordUnit == "count" {
			return strconv.FormatFloat(*v, 'f', -1, 64)
		}
		return strconv.FormatFloat(*v, 'f', 2, 64)
	}
	if x.csv != nil {
		return x.csv.Write(metrics.SafeCSV([]string{x.current.Missed.Target.ID, r.Utility, r.ID, r.Kind, r.District, r.CustomerClass, start, end,
			num(r.Value), num(r.Limit), num(r.Over), x.current.Breakdown.RecordUnit, r.Phone}))
	}
	class := "—"
	if r.CustomerClass != "" {
		class = domain.Or(domain.ClassZH, r.CustomerClass)
	}
	x.row(r.ID, reports.RecordKindZH[r.Kind], reports.UtilityZH[r.Utility], district, class, start, end, num(r.Value), num(r.Limit), num(r.Over), r.Phone)
	return nil
}

// row prints cells padded to columns, a Chinese character two columns wide.
func (x *explainer) row(cells ...string) {
	widths := []int{20, 4, 4, 18, 12, 16, 22, 8, 6, 6, 11}
	var b strings.Builder
	b.WriteString("  ")
	for i, c := range cells {
		b.WriteString(c)
		if i < len(cells)-1 {
			b.WriteString(strings.Repeat(" ", max(1, widths[i]-width(c)+1)))
		}
	}
	fmt.Fprintln(x.out, strings.TrimRight(b.String(), " "))
}

func width(s string) int {
	w := 0
	for _, r := range s {
		if utf8.RuneLen(r) > 1 {
			w += 2
		} else {
			w++
		}
	}
	return w
}

// unitWords names a record's unit for the list's heading: a rate's records are shown
// as fractions (0.95), not per cent, so it is named 比率 there.
func unitWords(unit string) string {
	if unit == "rate" {
		return "比率"
	}
	return domain.UnitZH[unit]
}
