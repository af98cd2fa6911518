// Package sqlfiles holds the schema and metric SQL of utilscore as files embedded in
// the binary, so the definition a report prints is the query that runs. Every query
// but the schema is given with the calls of its macros written out (Inline).
package sqlfiles

import _ "embed"

// Schema creates every table, type and sequence; it is safe to run on every open.
//
//go:embed schema.sql
var Schema string

var (
	// Calendar defines the working-time macros over the calendar table.
	Calendar = Inline(calendarSQL)
	// Views defines the views the metrics and the audit share.
	Views = Inline(viewsSQL)
	// Audit defines the temporary view of integrity findings for the period in _periods.
	Audit = Inline(auditSQL)
	// Overdue defines the temporary view of open cases measured against their limits.
	Overdue = Inline(overdueSQL)
	// Judgements defines the temporary table of cases judged once against their
	// limits (spec/metrics.md H1), which the connection metrics read.
	Judgements = Inline(judgementsSQL)
	// Histogram counts the period's connected cases by whole working days taken.
	Histogram = Inline(histogramSQL)
	// Drill lists the records behind one target's figure, each judged as the figure
	// judges it, for the drill-down of a missed target.
	Drill = Inline(drillSQL)
	// DrillCases keeps the cases a drill-down of the period can list, once for every
	// target it traces.
	DrillCases = Inline(drillCasesSQL)
	// BatchDays matches the periods computed together (_batch) to the local dates
	// they touch (_batch_days).
	BatchDays = Inline(batchDaysSQL)
)

// The files as written.
var (
	//go:embed calendar.sql
	calendarSQL string
	//go:embed views.sql
	viewsSQL string
	//go:embed audit.sql
	auditSQL string
	//go:embed overdue.sql
	overdueSQL string
	//go:embed judgements.sql
	judgementsSQL string
	//go:embed histogram.sql
	histogramSQL string
	//go:embed drill.sql
	drillSQL string
	//go:embed drill_cases.sql
	drillCasesSQL string
	//go:embed batch_days.sql
	batchDaysSQL string
)
