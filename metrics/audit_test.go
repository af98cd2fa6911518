package metrics

import (
	"context"
	"strings"
	"testing"
)

func TestAuditFindsEachRule(t *testing.T) {
	ctx := context.Background()
	db := openFixtures(t, "audit.sql")
	p, _ := ParsePeriod("2024Q4", db.Location)
	findings, err := Audit(ctx, db.DB, p, DefaultSettings())
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	for _, f := range findings {
		got[f.CaseID+"/"+f.Rule+"/"+f.Stage] = f.Detail
	}
	expected := map[string]string{
		"ORDER/audit_out_of_order/plan_replied":     "plan_replied 2024-10-09 09:00 is before surveyed 2024-10-10 09:00",
		"LATE/audit_backfilled/connected":           "first recorded 4.0 working days later",
		"OK/audit_backfilled/accepted":              "recorded 5.0 working days later",
		"AGAIN/audit_reapplied/applied":             "10 days after case GONE",
		"FUTURE/audit_future/closed":                "is after the load of cases.csv",
		"HOLES/audit_missing_stage/plan_replied":    "without plan_replied_at",
		"HOLES/audit_missing_stage/inspected":       "without inspected_at",
		"HOLES/audit_missing_stage/works_completed": "without works_completed_at",
		"CLASH/audit_event_conflict/surveyed":       "2024-11-04 15:00 in the case row but 2024-11-04 11:00 in the events",
	}
	for key, detail := range expected {
		if !strings.Contains(got[key], detail) {
			t.Errorf("%s: detail %q, want it to contain %q", key, got[key], detail)
		}
	}
	for key := range got {
		if strings.HasPrefix(key, "OK/") && key != "OK/audit_backfilled/accepted" {
			t.Errorf("a clean case gave a finding: %s %s", key, got[key])
		}
	}
	if len(got) != len(expected)+1 { // + HOLES approval_granted
		t.Errorf("%d findings, want %d: %v", len(got), len(expected)+1, got)
	}
	rows, err := Compute(ctx, db.DB, p, DefaultSettings())
	if err != nil {
		t.Fatal(err)
	}
	check(t, rows, []want{{"audit_findings", "power", "", "", "", "count", v(10), 10}})
}
