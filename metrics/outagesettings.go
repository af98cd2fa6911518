package metrics

import (
	"context"
	"database/sql"
	"strings"

	metricsql "github.com/utilscore/utilscore/sql/metrics"
)

// OutageSettings say which interruptions the sustained outage figures count
// (metrics.md H8).
type OutageSettings struct {
	// ExemptReasons are the exemption reasons accepted (forest_fire_prevention…). nil
	// keeps every logged exemption; an empty list accepts none.
	ExemptReasons []string
	// ExemptUtilities are the utilities the list applies to (those the profile's
	// targets cover); nil: all. Other utilities' exemptions stand as logged.
	ExemptUtilities []string
	// ExemptOthersAs is what an exemption not accepted counts as: planned or fault.
	ExemptOthersAs string
	// MomentaryMinutes: an interruption of at most this long, of one of
	// MomentaryUtilities, is momentary (短时停电, DL/T 836) and left out of the
	// sustained figures.
	MomentaryMinutes   float64
	MomentaryUtilities []string
}

// DefaultOutageSettings keep the logged exemptions and take power interruptions of
// 3 minutes or less as momentary.
func DefaultOutageSettings() OutageSettings {
	return OutageSettings{ExemptOthersAs: "planned", MomentaryMinutes: 3, MomentaryUtilities: []string{"power"}}
}

// WriteOutageSettings stores the outage settings on conn and defines over them the
// temporary view _outage_kinds: every interruption with the kind the outage figures
// count it as. The outage query reads it, and so can any other query run on conn that
// splits the same interruptions; DropOutageSettings removes both.
func WriteOutageSettings(ctx context.Context, conn *sql.Conn, s OutageSettings) error {
	d := DefaultOutageSettings()
	if s.ExemptOthersAs == "" {
		s.ExemptOthersAs = d.ExemptOthersAs
	}
	if s.MomentaryMinutes == 0 && s.MomentaryUtilities == nil {
		s.MomentaryMinutes, s.MomentaryUtilities = d.MomentaryMinutes, d.MomentaryUtilities
	}
	_, err := conn.ExecContext(ctx, `CREATE OR REPLACE TEMP TABLE _outage_settings AS
		SELECT ?::VARCHAR[] AS exempt_reasons, ?::VARCHAR[] AS exempt_utilities, ?::VARCHAR AS exempt_others_as,
		       ?::DOUBLE AS momentary_minutes, coalesce(?::VARCHAR[], []) AS momentary_utilities`,
		sqlList(s.ExemptReasons), sqlList(s.ExemptUtilities), s.ExemptOthersAs, s.MomentaryMinutes, sqlList(s.MomentaryUtilities))
	if err != nil {
		return err
	}
	_, err = conn.ExecContext(ctx, metricsql.OutageKinds)
	return err
}

// dropOutageSettings is the statement that removes what WriteOutageSettings made.
const dropOutageSettings = "DROP VIEW IF EXISTS temp._outage_kinds; DROP TABLE IF EXISTS temp._outage_settings"

// DropOutageSettings removes from conn what WriteOutageSettings made there.
func DropOutageSettings(ctx context.Context, conn *sql.Conn) error {
	_, err := conn.ExecContext(ctx, dropOutageSettings)
	return err
}

// sqlList passes a list as a DuckDB list literal: NULL for nil, [] for an empty one,
// which the exemption list tells apart.
func sqlList(items []string) any {
	if items == nil {
		return nil
	}
	quoted := make([]string, len(items))
	for i, s := range items {
		quoted[i] = "'" + strings.ReplaceAll(s, "'", "''") + "'"
	}
	return "[" + strings.Join(quoted, ", ") + "]"
}
