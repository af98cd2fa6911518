package metrics

import (
	"context"
	"database/sql"
	"slices"
	"strings"
	"testing"
)

func TestCatalogDefinesEveryMetricOnce(t *testing.T) {
	families, err := Catalog()
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]string{}
	for _, f := range families {
		for _, d := range f.Metrics {
			if other, dup := seen[d.ID]; dup {
				t.Errorf("metric %s defined in %s and %s", d.ID, other, f.Name)
			}
			seen[d.ID] = f.Name
			// The query as sent: a target's figure on a per-case metric is
			// case_value's (views.sql), written out with its branch for each metric.
			if !strings.Contains(f.SQL, "'"+d.ID+"'") {
				t.Errorf("metric %s has a header in %s but its query never returns it", d.ID, f.Name)
			}
		}
	}
	// spec/metrics.md A–E (A9 overdue_open and F need a profile and come with it).
	for _, id := range []string{"connection_time", "connection_time_excl_works", "telecom_connection_hours", "plan_reply_time",
		"approval_time", "works_time", "hookup_time", "survey_time", "procedures", "materials", "visits", "zero_fee_share",
		"online_share", "joint_share", "joint_time", "outage_hours_per_customer", "outage_hours_per_customer_planned",
		"outage_hours_per_customer_fault", "outages_per_customer", "supply_reliability", "outage_hours_yoy",
		"planned_stop_count", "sudden_stop_count", "planned_notice_24h_rate", "long_stop_emergency_rate", "momentary_count",
		"satisfaction_rate", "rating_coverage", "poor_rating_rectified", "poor_rating_rectified_on_time",
		"complaint_closure_rate", "complaint_on_time_rate", "complaint_satisfied_rate", "complaint_close_time",
		"repair_on_time_rate", "enquiry_same_day_rate", "leakage_rate_gross", "leakage_rate"} {
		if seen[id] == "" {
			t.Errorf("metric %s of spec/metrics.md is not in the catalog", id)
		}
	}
}

func TestBadHeadersAreRefused(t *testing.T) {
	tests := []struct{ text, want string }{
		{"-- name_zh: x\n-- metric: m\n", "line 1"},
		{"-- metric: m\n-- colour: red\n", `line 2: unknown header key "colour"`},
		{"-- metric: m\n-- name_zh: 甲\n-- name_en: a\n-- unit: WD\n-- direction: sideways\n-- statistics: mean\n-- definition: d\nSELECT 1", "lacks"},
	}
	for _, tt := range tests {
		if _, err := parseFamily("x", tt.text); err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("parseFamily(%q) = %v, want an error with %q", tt.text, err, tt.want)
		}
	}
}

// Every (metric, statistic) a query returns is one its header declares, the rows of
// targets on per-case metrics included; and only per-case metrics take a CaseTarget.
func TestQueriesReturnOnlyDeclaredStatistics(t *testing.T) {
	families, err := Catalog()
	if err != nil {
		t.Fatal(err)
	}
	defs := Definitions(families)
	db := openFixtures(t, "cases.sql", "outages.sql", "leakage.sql", "audit.sql")
	p, _ := ParsePeriod("2024Q4", db.Location)
	var targets []CaseTarget
	for id, d := range defs {
		if !d.PerCase {
			continue
		}
		for _, stat := range d.Statistics {
			targets = append(targets, CaseTarget{ID: id + "/" + stat, MetricID: id, Statistic: stat, Limit: v(3)})
		}
	}
	if len(targets) == 0 {
		t.Fatal("no header declares a per-case metric")
	}
	rows, err := Compute(context.Background(), db.DB, p, DefaultSettings(), targets...)
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	for _, r := range rows {
		d := defs[r.MetricID]
		if !slices.Contains(d.Statistics, r.Statistic) && !seen[r.MetricID+"/"+r.Statistic] {
			t.Errorf("the query returns %s %s; its header declares %v", r.MetricID, r.Statistic, d.Statistics)
		}
		seen[r.MetricID+"/"+r.Statistic] = true
	}
	if !seen["connection_time/share_within"] || !seen["complaint_on_time_rate/pending"] {
		t.Errorf("expected rows missing; got %v", seen)
	}
	if err := writeCaseTargets(context.Background(), mustConn(t, db.DB), []CaseTarget{{ID: "x", MetricID: "satisfaction_rate", Statistic: "rate"}}); err == nil {
		t.Error("a target on satisfaction_rate, which is not per case, was taken as a case target")
	}
}

func mustConn(t *testing.T, db *sql.DB) *sql.Conn {
	t.Helper()
	conn, err := db.Conn(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close() })
	return conn
}

// The unit in a metric's header decides how its per-case limits are counted: the
// judgement, the open-case list and the drill-downs count an "h" limit in clock hours.
func TestUnitAndCaseMetricComeFromTheHeaders(t *testing.T) {
	for _, c := range []struct {
		metric, unit string
		perCase      bool
	}{
		{"telecom_connection_hours", "h", true},
		{"connection_time", "WD", true},
		{"procedures", "count", true},
		{"outage_hours_per_customer", "h", false},
		{"no_such_metric", "", false},
	} {
		if got := Unit(c.metric); got != c.unit {
			t.Errorf("Unit(%s) = %q, want %q", c.metric, got, c.unit)
		}
		if got := IsCaseMetric(c.metric); got != c.perCase {
			t.Errorf("IsCaseMetric(%s) = %v, want %v", c.metric, got, c.perCase)
		}
	}
}
