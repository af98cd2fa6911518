package main

import (
	"context"
	"encoding/csv"
	"fmt"
	"io"
	"text/tabwriter"

	"github.com/utilscore/utilscore/metrics"
	"github.com/utilscore/utilscore/policy"
)

const auditUsage = `--period PERIOD [flags]

Lists the integrity findings of the cases active in the period (applied, connected or
recorded in it): stages out of order, stages back-filled, applications cancelled and
restarted within 30 days, times after their file was loaded, connected cases missing a
stage, and stage times on which the case row and its events disagree.`

func runAudit(ctx context.Context, args []string, out, errOut io.Writer) error {
	fs := newFlags("audit", auditUsage, errOut)
	var db dbFlags
	db.register(fs)
	period := fs.String("period", "", "quarter (2024Q3), year (2024) or month (2024-07)")
	profileName := fs.String("profile", "", "policy profile whose back-fill window applies (default 2 working days)")
	format := fs.String("format", "table", "table or csv")
	utility := fs.String("utility", "", "only this utility")
	if _, err := parseFlags(fs, args); err != nil {
		return err
	}
	store, p, err := db.openPeriod(ctx, errOut, scope{period: *period, utility: *utility, need: caseRecords})
	if err != nil {
		return err
	}
	defer store.Close()
	settings := metrics.DefaultSettings()
	if *profileName != "" {
		prof, err := policy.Load(*profileName)
		if err != nil {
			return err
		}
		settings = prof.MetricSettings()
	}
	findings, err := metrics.Audit(ctx, store.DB, p, settings)
	if err != nil {
		return fmt.Errorf("audit the cases of %s: %w", p.Label, err)
	}
	if *format == "csv" {
		cw := csv.NewWriter(out)
		cw.Write([]string{"utility", "case_id", "rule", "stage", "detail"})
		for _, f := range findings {
			if *utility == "" || f.Utility == *utility {
				cw.Write(metrics.SafeCSV([]string{f.Utility, f.CaseID, f.Rule, f.Stage, f.Detail}))
			}
		}
		cw.Flush()
		return cw.Error()
	}
	tw := tabwriter.NewWriter(out, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "utility\tcase\trule\tstage\tdetail")
	n := 0
	for _, f := range findings {
		if *utility == "" || f.Utility == *utility {
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", f.Utility, f.CaseID, f.Rule, f.Stage, f.Detail)
			n++
		}
	}
	tw.Flush()
	fmt.Fprintf(out, "%d findings in %s\n", n, p.Label)
	return nil
}
