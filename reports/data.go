// Package reports writes the quarterly Excel workbooks (spec/outputs.md) for
// regulators, utilities, the business-environment office and the public.
package reports

import (
	"context"
	"database/sql"
	"time"

	"github.com/utilscore/utilscore/domain"
	"github.com/utilscore/utilscore/metrics"
	"github.com/utilscore/utilscore/pace"
	"github.com/utilscore/utilscore/policy"
)

// Audiences of the workbooks.
const (
	Regulator = "regulator"
	Utility   = "utility"
	Office    = "office"
	Public    = "public"
)

// Audiences lists the audiences in the order their outputs are written.
var Audiences = domain.Audiences

// Data is everything a workbook shows, gathered once for all audiences.
type Data struct {
	Period      metrics.Period
	Profile     *policy.Profile
	Rows        []metrics.Row // judged rows of the period
	PrevQuarter []metrics.Row // the period before (change on the quarter)
	PrevYear    []metrics.Row // the same period a year before (change on the year)
	Definitions []metrics.Definition
	Scores      []policy.Score
	Trend       []TrendPeriod      // the last eight periods of the main figures
	Histogram   map[string][]int64 // connected cases per utility by whole working days taken
	Loads       []Load
	Rejects     []RejectCount
	Findings    []metrics.Finding
	Overdue     CaseList          // over the limit, or open and near it
	Missed      MissedTargets     // the missed targets traced to their groups and records
	Pace        *pace.Report      // the year's targets as of the period's last day
	Districts   map[string]string // code → name
	// DataAsOf is the data cut-off (spec/metrics.md H3): the earliest of Cutoffs, the
	// moment up to which every utility's every kind of record is in.
	DataAsOf time.Time
	Cutoffs  []metrics.Cutoff // per utility and input kind
	MadeAt   time.Time
	// Progress, when set, hears which workbook and sheet are being written and, for a
	// long list, how many of its rows (total 0: nothing to count).
	Progress func(workbook, sheet string, done, total int64)
	// release drops what the lists still to be read share with the figures (the
	// cases' judgement against the targets): Close.
	release func()
}

// Close drops what the data kept in the database for the lists it reads as they are
// written. The figures gathered stay readable; a list read after Close is worked out
// again.
func (d *Data) Close() {
	if d.release != nil {
		d.release()
	}
}

// Load is one row of the load ledger.
type Load struct {
	File, Kind                      string
	Read, Loaded, Rejected, Updated int64
	At                              time.Time
}

// RejectCount counts the rejected rows of a file by column, with an example reason.
// Warning marks rows that were loaded with the field left empty (a bad value in a
// column no figure reads), not rejected.
type RejectCount struct {
	File, Column, Reason string
	Rows                 int64
	Warning              bool
}

// Collect gathers the data of the period under a profile. The figures, the pace and
// the drill-downs judge the cases against the profile's targets once, in a judgement
// kept until Close.
func Collect(ctx context.Context, db *sql.DB, p metrics.Period, prof *policy.Profile) (_ *Data, err error) {
	ctx, release, err := metrics.ShareJudgements(ctx, db)
	if err != nil {
		return nil, err
	}
	defer func() {
		if err != nil {
			release()
		}
	}()
	d := &Data{Period: p, Profile: prof, MadeAt: time.Now().In(p.Start.Location()), Districts: map[string]string{}, release: release}
	// The period, the one before it, the same period a year before and the trend's
	// periods, computed together: the trend needs only its two families.
	stepsPerYear := map[string]int{"quarter": 4, "year": 1, "month": 12}[p.Kind]
	wants := []policy.Want{{Period: p}, {Period: p.Previous(1)}, {Period: p.Previous(stepsPerYear)}}
	trendFrom := map[int]int{0: 0, 1: 1, stepsPerYear: 2} // periods back → the want computing them all
	for i := trendPeriods - 1; i >= 0; i-- {
		if _, ok := trendFrom[i]; !ok {
			trendFrom[i] = len(wants)
			wants = append(wants, policy.Want{Period: p.Previous(i), Families: trendFamilies})
		}
	}
	// The year's pace reads its own periods, computed with these in one pass: they
	// share the cases' judgement and the passes over the cases and tickets.
	pacePlan, err := pace.Prepare(prof, p.Start.Year(), p.End.AddDate(0, 0, -1))
	if err != nil {
		return nil, err
	}
	evs, paceRows, err := policy.EvaluateWith(ctx, db, prof, wants, pacePlan.Requests())
	if err != nil {
		return nil, err
	}
	d.Rows, d.Scores = evs[0].Rows, evs[0].Scores
	d.PrevQuarter, d.PrevYear = evs[1].Rows, evs[2].Rows
	for i := trendPeriods - 1; i >= 0; i-- {
		ev := evs[trendFrom[i]]
		d.Trend = append(d.Trend, TrendPeriod{Period: ev.Period, Rows: ev.Rows, Method: method(prof, ev.Period)})
	}
	targets := evs[0].Targets
	if d.Histogram, err = metrics.Histogram(ctx, db, p); err != nil {
		return nil, err
	}
	families, err := metrics.Catalog()
	if err != nil {
		return nil, err
	}
	for _, f := range families {
		d.Definitions = append(d.Definitions, f.Metrics...)
	}
	if d.Findings, err = metrics.Audit(ctx, db, p, prof.MetricSettings()); err != nil {
		return nil, err
	}
	// Over the limit (open at the end of the period or finished in it), then the open
	// cases near it: read from the database as each workbook writes them.
	if d.Pace, err = pacePlan.Finish(ctx, db, paceRows); err != nil {
		return nil, err
	}
	d.Overdue = storedCases{ctx: ctx, db: db, query: metrics.CaseQuery{Period: p, WarnShare: 0.8, Targets: targets}}
	if d.Cutoffs, err = metrics.Cutoffs(ctx, db); err != nil {
		return nil, err
	}
	d.DataAsOf, _ = d.CutoffOf("")
	d.Missed = TraceMissed(ctx, db, evs[0])
	return d, d.collectLedger(ctx, db)
}

func (d *Data) collectLedger(ctx context.Context, db *sql.DB) error {
	rows, err := db.QueryContext(ctx, `SELECT file_name, kind, rows_read, rows_loaded, rows_rejected, rows_updated, finished_at FROM loads ORDER BY load_id`)
	if err != nil {
		return err
	}
	for rows.Next() {
		var l Load
		if err := rows.Scan(&l.File, &l.Kind, &l.Read, &l.Loaded, &l.Rejected, &l.Updated, &l.At); err != nil {
			rows.Close()
			return err
		}
		d.Loads = append(d.Loads, l)
	}
	rows.Close()
	// Reasons quote the rejected value, so they are grouped by file and column, with
	// one reason shown as the example.
	rows, err = db.QueryContext(ctx, `SELECT file_name, coalesce(column_name, ''), min(reason), count(DISTINCT line),
			severity = 'warning'
		FROM rejects GROUP BY file_name, column_name, severity
		ORDER BY file_name, severity = 'warning', count(DISTINCT line) DESC, column_name NULLS FIRST`)
	if err != nil {
		return err
	}
	for rows.Next() {
		var r RejectCount
		if err := rows.Scan(&r.File, &r.Column, &r.Reason, &r.Rows, &r.Warning); err != nil {
			rows.Close()
			return err
		}
		d.Rejects = append(d.Rejects, r)
	}
	rows.Close()
	rows, err = db.QueryContext(ctx, `SELECT district, name FROM districts`)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var code, name string
		if err := rows.Scan(&code, &name); err != nil {
			return err
		}
		d.Districts[code] = name
	}
	return rows.Err()
}

// CutoffOf is the data cut-off of a utility ("" = of all): the earliest of its kinds'
// cut-offs, so every figure's records are in up to it; and whether the kinds' differ.
func (d *Data) CutoffOf(utility string) (at time.Time, differ bool) {
	for _, c := range d.Cutoffs {
		if utility != "" && c.Utility != utility {
			continue
		}
		if !at.IsZero() && !c.At.Equal(at) {
			differ = true
		}
		if at.IsZero() || c.At.Before(at) {
			at = c.At
		}
	}
	return at, differ
}

// GeneralRow returns the general row (not a target's own) of a figure and group.
func GeneralRow(rows []metrics.Row, metric, statistic, utility, class, district, area string) (metrics.Row, bool) {
	for _, r := range rows {
		if r.TargetID == "" && r.MetricID == metric && r.Statistic == statistic && r.Utility == utility &&
			r.CustomerClass == class && r.District == district && r.AreaType == area {
			return r, true
		}
	}
	return metrics.Row{}, false
}
