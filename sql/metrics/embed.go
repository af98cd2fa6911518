// Package metricsql holds the metric queries, one file per family of spec/metrics.md,
// each opened by the header blocks that define its metrics.
package metricsql

import (
	"embed"

	sqlfiles "github.com/utilscore/utilscore/sql"
)

// Files are the metric queries as written.
//
//go:embed *.sql
var Files embed.FS

// Sent are the metric queries as they are sent, by file name: their macro calls
// written out (sqlfiles.Inline), once for the process.
var Sent = inlineAll(Files)

func inlineAll(files embed.FS) map[string]string {
	entries, err := files.ReadDir(".")
	if err != nil {
		panic(err) // the embedded folder, read at build time
	}
	out := make(map[string]string, len(entries))
	for _, e := range entries {
		b, err := files.ReadFile(e.Name())
		if err != nil {
			panic(err)
		}
		out[e.Name()] = sqlfiles.Inline(string(b))
	}
	return out
}

// OutageKinds defines the temporary view of interruptions by the kind the outage
// figures count them as, which the outage query and the pace by district read; its
// macro calls written out (sqlfiles.Inline).
var OutageKinds = sqlfiles.Inline(outageKindsSQL)

//go:embed views/outage_kinds.sql
var outageKindsSQL string
