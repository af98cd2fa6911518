package main

import (
	"context"
	"encoding/csv"
	"fmt"
	"io"
	"strconv"
	"text/tabwriter"
	"time"

	"github.com/utilscore/utilscore/domain"
	"github.com/utilscore/utilscore/metrics"
	"github.com/utilscore/utilscore/pace"
	"github.com/utilscore/utilscore/policy"
)

const paceUsage = `--year Y [--as-of DATE] [--profile ID] [flags]

For every target of the profile judged on the year: the figure for the year so far
(the whole months ended by --as-of, default the year's last day), the projection to
the year's end with its 80 % band, the verdict (按进度, 有风险, 已未达标) and what the
rest of the year must come to; for a target at risk, the districts that weigh most
against it. No projection from fewer than three months, nor for a seasonal figure
without last year's months (the workbook's 口径说明 explains the method).`

func runPace(ctx context.Context, args []string, out, errOut io.Writer) (err error) {
	fs := newFlags("pace", paceUsage, errOut)
	var db dbFlags
	db.register(fs)
	year := fs.Int("year", 0, "the year whose targets to follow (2024)")
	asOf := fs.String("as-of", "", "the day to follow them at (2024-09-30); default the year's last day")
	profileName := fs.String("profile", "district-wpgt", "policy profile: a built-in id or a YAML file")
	format := fs.String("format", "table", "table or csv")
	if _, err := parseFlags(fs, args); err != nil {
		return err
	}
	if *year < 1900 || *year > 9999 {
		return usagef("--year is required, like 2024")
	}
	if *format != "table" && *format != "csv" {
		return usagef("--format must be table or csv")
	}
	prof, err := policy.Load(*profileName)
	if err != nil {
		return err
	}
	store, err := db.openForReading(ctx)
	if err != nil {
		return err
	}
	defer store.Close()
	day := time.Date(*year, 12, 31, 0, 0, 0, 0, store.Location)
	if *asOf != "" {
		if day, err = time.ParseInLocation("2006-01-02", *asOf, store.Location); err != nil {
			return usagef("--as-of %q is not a date like 2024-09-30", *asOf)
		}
	}
	yearP, _ := metrics.ParsePeriod(strconv.Itoa(*year), store.Location)
	if err := requireData(ctx, store, yearP.Start, day.AddDate(0, 0, 1), "in "+strconv.Itoa(*year)+" up to "+day.Format(time.DateOnly), "", anyRecords); err != nil {
		return err
	}
	db.sayAsOf(errOut, store)
	r, err := pace.Gather(ctx, store.DB, prof, *year, day)
	if err != nil {
		return err
	}
	if *format == "csv" {
		return writePaceCSV(out, r)
	}
	return writePaceTable(out, r)
}

// paceColumns are the CSV's columns: figures at full precision, then the texts the
// workbook and the dashboard show.
var paceColumns = []string{"target_id", "utility", "area_type", "metric_id", "statistic", "observed_months", "ytd", "n", "last_year",
	"projection", "low", "high", "limit", "comparison", "verdict", "required", "statement", "verdict_zh", "advice", "drivers"}

func writePaceCSV(out io.Writer, r *pace.Report) error {
	w := csv.NewWriter(out)
	w.Write(paceColumns)
	num := func(v *float64) string {
		if v == nil {
			return ""
		}
		return strconv.FormatFloat(*v, 'g', -1, 64)
	}
	for _, l := range r.Lines {
		w.Write(metrics.SafeCSV([]string{l.TargetID, l.Utility, l.AreaType, l.MetricID, l.Statistic, strconv.Itoa(r.Observed),
			num(l.Series.YTD), strconv.FormatInt(l.Series.YTDN, 10), num(l.Series.LastTotal), num(l.Point), num(l.Low), num(l.High),
			num(&l.Limit), l.Comparison, l.Verdict, num(l.Required), l.Statement, l.VerdictText(), l.Advice(), l.DriverText()}))
	}
	w.Flush()
	return w.Error()
}

func writePaceTable(out io.Writer, r *pace.Report) error {
	fmt.Fprintf(out, "%s（%s）%d年度目标进度：截至%s，已观测%d个整月\n\n", r.ProfileID, r.Title, r.Year, r.AsOf.Format("2006-01-02"), r.Observed)
	tw := tabwriter.NewWriter(out, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "目标编号\t区域\t年初至今\t预测全年\t预测区间（80%）\t全年须达到\t进度判断\t余下月份要求或不预测原因")
	for _, l := range r.Lines {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n", l.TargetID, domain.Or(domain.AreaZH, l.AreaType), l.Text(l.Series.YTD), l.Text(l.Point),
			l.Band(), l.Goal(), l.VerdictText(), l.Advice())
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	for _, l := range r.Lines {
		if len(l.Drivers) == 0 {
			continue
		}
		fmt.Fprintf(out, "\n%s 有风险，主要来源：\n", l.Statement)
		for i, d := range l.Drivers {
			name := d.District
			if d.Name != "" {
				name += " " + d.Name
			}
			fmt.Fprintf(out, "  %d. %s：年初至今%s，预测全年%s（%s），影响%s\n", i+1, name, l.Text(d.Series.YTD), l.Text(d.Point),
				domain.Or(pace.VerdictZH, d.Verdict), l.ImpactText(d))
		}
	}
	return nil
}
