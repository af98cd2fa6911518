package metrics

import (
	"context"
	"fmt"
	"testing"
)

// Exemptions by reason and momentary interruptions (metrics.md H8) on
// testdata/outages_h8.sql, under four settings worked out by hand.
func TestOutageExemptionsAndMomentary(t *testing.T) {
	const pn, wn = 10000.0, 1000.0 // power and water customers
	tests := []struct {
		name    string
		outages OutageSettings
		want    []want
	}{
		{"logged exemptions stand, power ≤3 min momentary", DefaultOutageSettings(), []want{
			// A1 200 + A2 200 + A6 1; A5 (exactly 3 min) is momentary; A3, A4, A7 exempt.
			{"outage_hours_per_customer", "power", "", "", "", "sum", v(401 / pn), 3},
			{"outage_hours_per_customer_planned", "power", "", "", "", "sum", v(200 / pn), 1},
			{"outage_hours_per_customer_fault", "power", "", "", "", "sum", v(201 / pn), 2},
			// An accepted exemption is shown on its own however short (A7, 2 minutes).
			{"outage_hours_per_customer_exempt", "power", "", "", "", "sum", v((250 + 300 + 100.0/30) / pn), 3},
			{"outages_per_customer", "power", "", "", "", "sum", v(310 / pn), 3},
			{"supply_reliability", "power", "", "", "", "rate", v(1 - 401/pn/2208), 3},
			{"momentary_count", "power", "", "", "", "count", v(1), 1},
			{"planned_stop_count", "power", "", "", "", "count", v(1), 1},
			{"sudden_stop_count", "power", "", "", "", "count", v(2), 2},
			{"planned_notice_24h_rate", "power", "", "", "", "rate", v(1), 1},
			{"fault_notice_rate", "power", "", "", "", "rate", v(0.5), 2}, // A2 told, A6 not
			// Water's 2-minute fault is sustained: momentary is a power rule by default.
			{"outage_hours_per_customer", "water", "", "", "", "sum", v(50.0 / 30 / wn), 1},
			{"outage_hours_per_customer_exempt", "water", "", "", "", "sum", v(10 / wn), 1},
		}},
		{"only forest-fire prevention, for power; others planned", OutageSettings{
			ExemptReasons: []string{"forest_fire_prevention"}, ExemptUtilities: []string{"power"}, ExemptOthersAs: "planned",
			MomentaryMinutes: 3, MomentaryUtilities: []string{"power"}}, []want{
			// A4 counts as planned (300); A7 counts too, and being 2 minutes is momentary.
			{"outage_hours_per_customer", "power", "", "", "", "sum", v(701 / pn), 4},
			{"outage_hours_per_customer_planned", "power", "", "", "", "sum", v(500 / pn), 2},
			{"outage_hours_per_customer_exempt", "power", "", "", "", "sum", v(250 / pn), 1},
			{"outages_per_customer", "power", "", "", "", "sum", v(410 / pn), 4},
			{"momentary_count", "power", "", "", "", "count", v(2), 2},
			{"planned_stop_count", "power", "", "", "", "count", v(2), 2},
			{"planned_notice_24h_rate", "power", "", "", "", "rate", v(0.5), 2}, // A4 was not told
			// The list covers power only: water's exemption stands as logged.
			{"outage_hours_per_customer_exempt", "water", "", "", "", "sum", v(10 / wn), 1},
			{"outage_hours_per_customer", "water", "", "", "", "sum", v(50.0 / 30 / wn), 1},
		}},
		{"others as fault, momentary ≤5 min for power and water", OutageSettings{
			ExemptReasons: []string{"forest_fire_prevention"}, ExemptUtilities: []string{"power"}, ExemptOthersAs: "fault",
			MomentaryMinutes: 5, MomentaryUtilities: []string{"power", "water"}}, []want{
			{"outage_hours_per_customer", "power", "", "", "", "sum", v(701 / pn), 4},
			{"outage_hours_per_customer_fault", "power", "", "", "", "sum", v(501 / pn), 3},
			{"sudden_stop_count", "power", "", "", "", "count", v(3), 3},
			{"fault_notice_rate", "power", "", "", "", "rate", v(1.0 / 3), 3},
			{"momentary_count", "power", "", "", "", "count", v(2), 2}, // A5, A7; A6 lasted 6
			{"momentary_count", "water", "", "", "", "count", v(1), 1},
			{"outage_hours_per_customer", "water", "", "", "", "sum", v(0), 0},
		}},
		{"no exemption accepted, for every utility", OutageSettings{
			ExemptReasons: []string{}, ExemptOthersAs: "planned", MomentaryMinutes: 3, MomentaryUtilities: []string{"power"}}, []want{
			{"outage_hours_per_customer", "power", "", "", "", "sum", v(951 / pn), 5},
			{"outage_hours_per_customer_exempt", "power", "", "", "", "sum", v(0), 0},
			{"momentary_count", "power", "", "", "", "count", v(2), 2},
			{"outage_hours_per_customer", "water", "", "", "", "sum", v((10 + 50.0/30) / wn), 2},
			{"planned_stop_count", "water", "", "", "", "count", v(1), 1},
		}},
	}
	db := openFixtures(t, "outages_h8.sql")
	p, err := ParsePeriod("2024Q4", db.Location)
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := DefaultSettings()
			s.Outages = tt.outages
			rows, err := Compute(context.Background(), db.DB, p, s)
			if err != nil {
				t.Fatal(err)
			}
			check(t, rows, tt.want)
		})
	}
}

// A sum of DOUBLE terms is exact, so a figure is the same whatever order DuckDB's
// joins and threads meet the rows: on testdata/outages_order.sql a floating-point sum
// gives 2^53 customer-hours in id order and 2^53 + 4, the exact sum, as listed. The
// rows are stored once as the file lists them and once in id order, so a sum that
// depended on the order the rows arrive would miss one.
func TestOutageHoursSumExactlyInAnyOrder(t *testing.T) {
	const want = 9007199254740996.0 // 2^53 + 4, representable: even and below 2^54
	for _, stored := range []string{"as listed", "in id order"} {
		db := openFixtures(t, "outages_order.sql")
		if stored == "in id order" {
			if _, err := db.Exec(`CREATE TEMP TABLE listed AS SELECT * FROM outages;
				DELETE FROM outages;
				INSERT INTO outages SELECT * FROM listed ORDER BY outage_id`); err != nil {
				t.Fatal(err)
			}
		}
		if _, err := db.Exec("SET threads = 4"); err != nil {
			t.Fatal(err)
		}
		p, err := ParsePeriod("2024Q4", db.Location)
		if err != nil {
			t.Fatal(err)
		}
		rows, err := ComputeFamilies(context.Background(), db.DB, p, DefaultSettings(), []string{"outages"})
		if err != nil {
			t.Fatal(err)
		}
		var got *float64
		for _, r := range rows {
			if r.MetricID == "outage_hours_per_customer" && r.Statistic == "sum" && r.Utility == "power" && r.District == "" && r.AreaType == "" {
				got = r.Value
			}
		}
		if got == nil || *got != want {
			t.Errorf("stored %s: power outage hours per customer = %v, want exactly %.0f", stored, fmtValue(got), want)
		}
	}
}

func fmtValue(v *float64) any {
	if v == nil {
		return nil
	}
	return fmt.Sprintf("%.0f", *v)
}
