package main

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"text/tabwriter"

	"github.com/utilscore/utilscore/metrics"
	"github.com/utilscore/utilscore/policy"
)

const metricsUsage = `--period PERIOD [flags]

Computes every metric of the catalog (sql/metrics) for a quarter (2024Q3), a year
(2024) or a month (2024-07) and prints one row per value:
metric_id,utility,customer_class,district,area_type,period,statistic,value,unit,n,target,comparison,status,source,target_id
An empty utility, customer_class, district or area_type means all of them together.
With --profile (a built-in id, see 'utilscore profiles', or a YAML file) each target
in force is judged: met, missed or no_data, with its threshold and source clause, and
a target's own figure (e.g. the share of cases within its limit) is added. Without a
profile no target applies: status is no_target, or no_data where a figure cannot be
computed (a gap in the customer base, say).`

func runMetrics(ctx context.Context, args []string, out, errOut io.Writer) error {
	fs := newFlags("metrics", metricsUsage, errOut)
	var db dbFlags
	db.register(fs)
	db.registerLake(fs)
	period := fs.String("period", "", "quarter (2024Q3), year (2024) or month (2024-07)")
	format := fs.String("format", "csv", "csv, json or table")
	utility := fs.String("utility", "", "only this utility: power, water, gas or telecom")
	district := fs.String("district", "", "only this district (code)")
	profileName := fs.String("profile", "", "policy profile: a built-in id or a YAML file")
	if _, err := parseFlags(fs, args); err != nil {
		return err
	}
	if *format != "csv" && *format != "json" && *format != "table" {
		return usagef("--format must be csv, json or table")
	}
	store, p, err := db.openPeriod(ctx, errOut, scope{period: *period, utility: *utility, district: *district, need: anyRecords})
	if err != nil {
		return err
	}
	defer store.Close()
	rows, _, err := computeJudged(ctx, store.DB, p, *profileName)
	if err != nil {
		return err
	}
	rows = filterRows(rows, *utility, *district)
	switch *format {
	case "json":
		enc := json.NewEncoder(out)
		enc.SetIndent("", "  ")
		if rows == nil {
			rows = []metrics.Row{}
		}
		return enc.Encode(rows)
	case "table":
		return writeMetricsTable(out, rows)
	default:
		return metrics.WriteCSV(out, rows)
	}
}

// computeJudged computes the period's metrics and, with a profile, judges them.
func computeJudged(ctx context.Context, db *sql.DB, p metrics.Period, profileName string) (_ []metrics.Row, _ *policy.Profile, err error) {
	defer wrap(&err, "compute the figures of %s", p.Label)
	var prof *policy.Profile
	if profileName != "" {
		if prof, err = policy.Load(profileName); err != nil {
			return nil, nil, err
		}
	}
	ev, err := policy.Evaluate(ctx, db, prof, p)
	if err != nil {
		return nil, nil, err
	}
	return ev.Rows, prof, nil
}

func filterRows(rows []metrics.Row, utility, district string) []metrics.Row {
	if utility == "" && district == "" {
		return rows
	}
	var out []metrics.Row
	for _, r := range rows {
		if (utility == "" || r.Utility == utility) && (district == "" || r.District == district) {
			out = append(out, r)
		}
	}
	return out
}

func writeMetricsTable(w io.Writer, rows []metrics.Row) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "metric\tutility\tclass\tdistrict\tarea\tstatistic\tvalue\tunit\tn\tstatus")
	for _, r := range rows {
		value := "—"
		if r.Value != nil {
			value = strconv.FormatFloat(*r.Value, 'f', 4, 64)
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%d\t%s\n", r.MetricID, orAll(r.Utility), orAll(r.CustomerClass),
			orAll(r.District), orAll(r.AreaType), r.Statistic, value, r.Unit, r.N, r.Status)
	}
	return tw.Flush()
}

func orAll(s string) string {
	if s == "" {
		return "(all)"
	}
	return s
}
