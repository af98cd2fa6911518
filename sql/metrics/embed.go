// Package metricsql holds the metric queries, one file per family of spec/metrics.md,
// each opened by the header blocks that define its metrics.
package metricsql

import (
	"embed"

	sqlfiles "github.com/utilscore/utilscore/sql"
)

// Files are the metric queries.
//
//go:embed *.sql
var Files embed.FS

// OutageKinds defines the temporary view of interruptions by the kind the outage
// figures count them as, which the outage query and the pace by district read; its
// macro calls written out (sqlfiles.Inline).
var OutageKinds = sqlfiles.Inline(outageKindsSQL)

//go:embed views/outage_kinds.sql
var outageKindsSQL string
