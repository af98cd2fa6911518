// Package sqlfiles holds the schema and metric SQL of utilscore as files embedded in
// the binary, so the definition a report prints is the query that runs.
package sqlfiles

import _ "embed"

// Schema creates every table, type and sequence; it is safe to run on every open.
//
//go:embed schema.sql
var Schema string

// Calendar defines the working-time macros over the calendar table.
//
//go:embed calendar.sql
var Calendar string

// Views defines the views the metrics and the audit share.
//
//go:embed views.sql
var Views string

// Audit defines the temporary view of integrity findings for the period in _periods.
//
//go:embed audit.sql
var Audit string

// Overdue defines the temporary view of open cases measured against their limits.
//
//go:embed overdue.sql
var Overdue string

// Judgements defines the temporary table of cases judged once against their limits
// (spec/metrics.md H1), which the connection metrics read.
//
//go:embed judgements.sql
var Judgements string

// Histogram counts the period's connected cases by whole working days taken.
//
//go:embed histogram.sql
var Histogram string

// Drill lists the records behind one target's figure, each judged as the figure
// judges it, for the drill-down of a missed target.
//
//go:embed drill.sql
var Drill string

// DrillCases keeps the cases a drill-down of the period can list, once for every
// target it traces.
//
//go:embed drill_cases.sql
var DrillCases string

// BatchDays matches the periods computed together (_batch) to the local dates they
// touch (_batch_days).
//
//go:embed batch_days.sql
var BatchDays string
