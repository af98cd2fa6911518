package metrics

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/utilscore/utilscore/store"
)

// benchDB returns a database of n synthetic cases over 2023–2024 with outages,
// customer base, tickets and ratings at the demo's ratios, made in SQL (generating
// ten million rows through files would take longer than the benchmark) and kept in
// the temporary folder between runs.
func benchDB(b *testing.B, n int) string {
	b.Helper()
	path := filepath.Join(os.TempDir(), fmt.Sprintf("utilscore-bench-metrics-%d.duckdb", n))
	if _, err := os.Stat(path); err == nil {
		return path
	}
	ctx := context.Background()
	db, err := store.Open(ctx, path+".tmp", store.Options{})
	if err != nil {
		b.Fatal(err)
	}
	stmts := []string{
		fmt.Sprintf(`INSERT INTO cases (case_id, utility, district, area_type, customer_class, channel, procedures, materials,
			visits, fee_cny, capacity, status, applied_at, accepted_at, surveyed_at, plan_replied_at, inspected_at,
			connected_at, closed_at, recorded_at, load_id, source_row)
		WITH base AS (
			SELECT i, hash(i) AS h, ['power', 'water', 'gas', 'telecom'][1 + (hash(i * 7) %% 4)::INT] AS utility,
				TIMESTAMPTZ '2023-01-02 09:00:00+08' + to_days((hash(i * 3) %% 700)::INT) + to_minutes((hash(i * 5) %% 480)::INT) AS applied,
				to_hours((2 + hash(i * 11) %% 200)::INT) AS took
			FROM range(%d) t(i)
		)
		SELECT 'C' || i, utility, ['510302', '510303', '510304', '510311', '510321', '510322'][1 + (h %% 6)::INT],
			['urban_core', 'urban', 'town', 'rural'][1 + (h %% 4)::INT],
			CASE utility WHEN 'power' THEN ['residential', 'lv_zero', 'lv_nonres', 'hv_single'][1 + (h %% 4)::INT]
			             WHEN 'water' THEN ['residential', 'nonres_dn40', 'nonres_dn100'][1 + (h %% 3)::INT]
			             WHEN 'gas' THEN ['residential', 'nonres_general'][1 + (h %% 2)::INT]
			             ELSE ['individual', 'business'][1 + (h %% 2)::INT] END,
			['online', 'window', 'app'][1 + (h %% 3)::INT], 1 + (h %% 4)::INT, (h %% 3)::INT, (h %% 2)::INT,
			CASE WHEN h %% 10 = 0 THEN 500 ELSE 0 END, 20 + (h %% 100)::INT,
			CASE WHEN h %% 50 = 0 THEN 'cancelled' WHEN applied + took > TIMESTAMPTZ '2024-12-31 00:00:00+08' THEN 'open' ELSE 'connected' END,
			applied, applied + took * 0.1, applied + took * 0.3, applied + took * 0.5, applied + took * 0.8,
			CASE WHEN applied + took <= TIMESTAMPTZ '2024-12-31 00:00:00+08' AND h %% 50 <> 0 THEN applied + took END,
			NULL, applied + took, 0, i
		FROM base`, n),
		`INSERT INTO customer_base SELECT u, d, a, m::DATE, 50000, 0, 0
			FROM (VALUES ('power'), ('water'), ('gas'), ('telecom')) u(u), (VALUES ('510302'), ('510303'), ('510304'), ('510311'), ('510321'), ('510322')) d(d),
			     (VALUES ('urban_core'), ('urban'), ('town'), ('rural')) a(a),
			     generate_series(DATE '2022-01-01', DATE '2024-12-01', INTERVAL 1 MONTH) t(m)`,
		fmt.Sprintf(`INSERT INTO outages SELECT 'O' || i, ['power', 'water', 'gas'][1 + (hash(i) %% 3)::INT],
			['510302', '510303', '510304', '510311', '510321', '510322'][1 + (hash(i * 3) %% 6)::INT],
			['urban_core', 'urban', 'town', 'rural'][1 + (hash(i * 5) %% 4)::INT], ['planned', 'fault', 'fault'][1 + (hash(i * 7) %% 3)::INT], NULL,
			s, s + to_minutes((10 + hash(i * 11) %% 600)::INT), (10 + hash(i * 13) %% 3000)::INT, s - INTERVAL 2 DAY, NULL, NULL, NULL, 0, i
			FROM (SELECT i, TIMESTAMPTZ '2022-01-01 00:00:00+08' + to_minutes((hash(i * 17) %% 1576800)::INT) AS s FROM range(%d) t(i))`, n/50),
		fmt.Sprintf(`INSERT INTO tickets (ticket_id, utility, district, kind, received_at, responded_at, closed_at, satisfied, load_id, source_row)
			SELECT 'K' || i, ['power', 'water', 'gas', 'telecom'][1 + (hash(i) %% 4)::INT],
			['510302', '510303', '510304', '510311', '510321', '510322'][1 + (hash(i * 3) %% 6)::INT], ['complaint', 'repair', 'enquiry'][1 + (hash(i * 5) %% 3)::INT],
			r, r + INTERVAL 2 HOUR, r + to_hours((1 + hash(i * 7) %% 300)::INT), hash(i) %% 10 <> 0, 0, i
			FROM (SELECT i, TIMESTAMPTZ '2023-01-01 00:00:00+08' + to_minutes((hash(i * 17) %% 1040000)::INT) AS r FROM range(%d) t(i))`, n/2),
		`INSERT INTO evaluations (evaluation_id, utility, district, subject, subject_id, rated_at, rating, rectified_at, load_id, source_row)
			SELECT 'E' || case_id, utility, district, 'case', case_id, connected_at + INTERVAL 1 DAY, 1 + (hash(case_id) % 5)::INT,
			       CASE WHEN hash(case_id) % 5 < 2 THEN connected_at + INTERVAL 3 DAY END, 0, source_row
			FROM cases WHERE status = 'connected' AND hash(case_id) % 10 < 8`,
	}
	for _, q := range stmts {
		if _, err := db.Exec(q); err != nil {
			b.Fatal(err)
		}
	}
	db.Close()
	if err := os.Rename(path+".tmp", path); err != nil {
		b.Fatal(err)
	}
	os.Remove(path + ".tmp.wal")
	return path
}

// benchCases is UTILSCORE_BENCH_CASES, or def when it is not a positive number.
func benchCases(def int) int {
	if n, err := strconv.Atoi(os.Getenv("UTILSCORE_BENCH_CASES")); err == nil && n > 0 {
		return n
	}
	return def
}

// benchTargets are four per-case time limits of 2024Q3, one per utility, as a
// policy profile sets them.
func benchTargets() []CaseTarget {
	limit := func(x float64) *float64 { return &x }
	return []CaseTarget{
		{ID: "w", MetricID: "connection_time", Statistic: "share_within", Limit: limit(3), Utility: "water", Classes: []string{"residential"}},
		{ID: "p", MetricID: "connection_time", Statistic: "share_within", Limit: limit(4), Utility: "power", Classes: []string{"lv_zero", "lv_nonres"}},
		{ID: "g", MetricID: "connection_time_excl_works", Statistic: "share_within", Limit: limit(14), Utility: "gas"},
		{ID: "t", MetricID: "telecom_connection_hours", Statistic: "share_within", Limit: limit(72), Utility: "telecom"},
	}
}

// bareMedianScan times the cheapest query that touches a quarter's connected cases:
// one median connection time per utility and class over 2024Q3. The benchmarks
// report their cost as a ratio to it.
func bareMedianScan(b *testing.B, db *sql.DB) time.Duration {
	start := time.Now()
	var groups int
	err := db.QueryRow(`SELECT count(*) FROM (
		SELECT utility, customer_class, median(epoch(connected_at - applied_at))
		FROM cases WHERE connected_at >= TIMESTAMPTZ '2024-07-01 00:00:00+08' AND connected_at < TIMESTAMPTZ '2024-10-01 00:00:00+08'
		GROUP BY ALL)`).Scan(&groups)
	if err != nil {
		b.Fatal(err)
	}
	return time.Since(start)
}

// BenchmarkMetricsQuarter computes every metric of 2024Q3, with the district-wpgt
// targets' own figures, on UTILSCORE_BENCH_CASES cases (ten million by default), and
// in the same iteration a bare scan that computes one median connection time per
// utility and class over the same quarter: the ratio is the catalog's cost over the
// cheapest query that touches the same rows.
func BenchmarkMetricsQuarter(b *testing.B) {
	path := benchDB(b, benchCases(10_000_000))
	ctx := context.Background()
	db, err := store.Open(ctx, path, store.Options{})
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	p, _ := ParsePeriod("2024Q3", db.Location)
	targets := benchTargets()
	var bare, all time.Duration
	var rowsOut int
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		bare += bareMedianScan(b, db.DB)

		start := time.Now()
		rows, err := Compute(ctx, db.DB, p, DefaultSettings(), targets...)
		if err != nil {
			b.Fatal(err)
		}
		all += time.Since(start)
		rowsOut = len(rows)
	}
	k := float64(b.N)
	b.ReportMetric(bare.Seconds()/k, "bare-median-s/op")
	b.ReportMetric(all.Seconds()/k, "all-metrics-s/op")
	b.ReportMetric(all.Seconds()/bare.Seconds(), "x-bare")
	b.ReportMetric(float64(rowsOut), "rows")
}

// BenchmarkDrillQuarter traces missed targets of 2024Q3 on UTILSCORE_BENCH_CASES cases
// (a million by default) as the regulator's workbook does, one driller for all of
// them: four time limits, a count of visits and a ticket rate, every record read. The
// bare median scan of BenchmarkMetricsQuarter runs in the same iteration: the ratio is
// the drill-down's cost over the cheapest query that touches the same rows.
func BenchmarkDrillQuarter(b *testing.B) {
	path := benchDB(b, benchCases(1_000_000))
	ctx := context.Background()
	db, err := store.OpenForReading(ctx, path, store.Options{})
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	p, _ := ParsePeriod("2024Q3", db.Location)
	zero := 0.0
	targets := append(benchTargets(), CaseTarget{ID: "v", MetricID: "visits", Statistic: "share_within", Limit: &zero, Utility: "power"})
	var drilled []DrillTarget
	for _, t := range targets {
		drilled = append(drilled, DrillTarget{ID: t.ID, MetricID: t.MetricID, Statistic: t.Statistic, Comparison: ">=", Threshold: 1, Utility: t.Utility})
	}
	drilled = append(drilled, DrillTarget{ID: "k", MetricID: "complaint_on_time_rate", Statistic: "rate", Comparison: ">=", Threshold: 1, Utility: "gas"})
	var bare, drill time.Duration
	var records int
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		bare += bareMedianScan(b, db.DB)

		start := time.Now()
		d, err := NewDriller(ctx, db.DB, p, DefaultSettings(), targets, nil)
		if err != nil {
			b.Fatal(err)
		}
		records = 0
		err = d.DrillAll(ctx, drilled, func([]Breakdown) error { return nil }, func(int, MissedRecord) error { records++; return nil })
		d.Close()
		if err != nil {
			b.Fatal(err)
		}
		drill += time.Since(start)
	}
	k := float64(b.N)
	b.ReportMetric(bare.Seconds()/k, "bare-median-s/op")
	b.ReportMetric(drill.Seconds()/k, "drill-s/op")
	b.ReportMetric(drill.Seconds()/bare.Seconds(), "x-bare")
	b.ReportMetric(float64(records), "records")
}
