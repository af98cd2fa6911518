// Package metricsql holds the metric queries, one file per family of spec/metrics.md,
// each opened by the header blocks that define its metrics.
package metricsql

import "embed"

// Files are the metric queries.
//
//go:embed *.sql
var Files embed.FS
