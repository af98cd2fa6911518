package metrics

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"slices"
	"sort"
	"strings"
	"sync"

	"github.com/utilscore/utilscore/sql"
)

// Row is one metric value, in the columns of the metrics contract (spec/outputs.md).
// Empty grouping fields mean "all". TargetID is set on a row computed for one target
// of a policy profile, over the cases that target's filter selects.
type Row struct {
	TargetID      string   `json:"target_id"`
	MetricID      string   `json:"metric_id"`
	Utility       string   `json:"utility"`
	CustomerClass string   `json:"customer_class"`
	District      string   `json:"district"`
	AreaType      string   `json:"area_type"`
	Period        string   `json:"period"`
	Statistic     string   `json:"statistic"`
	Value         *float64 `json:"value"`
	Unit          string   `json:"unit"`
	N             int64    `json:"n"`
	Target        *float64 `json:"target"`
	Comparison    string   `json:"comparison"`
	Status        string   `json:"status"`
	Source        string   `json:"source"`
}

// Statuses of a row.
const (
	StatusMet      = "met"
	StatusMissed   = "missed"
	StatusNoTarget = "no_target"
	StatusNoData   = "no_data"
)

// Settings are the figures the definitions leave to the policy profile.
type Settings struct {
	SatisfiedMin int     // lowest rating that counts as satisfied (3, or 4 in some cities)
	RectifyWD    float64 // a poor rating is put right on time within this many working days
	ComplaintWD  float64 // a complaint is closed on time within this many working days
	RepairWD     float64 // a repair ticket is closed on time within this many working days
	BackfillWD   float64 // a stage recorded more than this many working days after it happened is back-filled
	// DeadlineRule is how a case is judged against an N-WD limit: "legal" (the date of
	// the N-th working day after the start) or "elapsed" (elapsed working time ≤ N).
	DeadlineRule string
	OfficeClose  string   // "17:30": an instant after it belongs to the next day; "" = 24:00
	OfficeHours  [][2]int // office intervals of a working day, seconds after midnight, for fractional limits
	Outages      OutageSettings
}

// DefaultSettings are the defaults of spec/metrics.md.
func DefaultSettings() Settings {
	return Settings{SatisfiedMin: 3, RectifyWD: 5, ComplaintWD: 7, RepairWD: 3, BackfillWD: 2,
		DeadlineRule: "legal", OfficeHours: [][2]int{{9 * 3600, 12 * 3600}, {13 * 3600, 18 * 3600}},
		Outages: DefaultOutageSettings()}
}

// CaseTarget asks the connection query for one target's own figure: its statistic of
// its metric over the cases its filter selects (nil fields select all). A
// share_within target counts the cases at or under Limit.
type CaseTarget struct {
	ID            string
	MetricID      string
	Statistic     string
	Limit         *float64
	Utility       string
	Classes       []string
	LowRisk       *bool
	ExternalWorks *bool
	BusinessTypes []string
	Joint         *bool
	Online        *bool
	Channels      []string
	MaxCapacity   *float64
	// Spec v2 eligibility filters (metrics.md H10).
	MinCapacity     *float64
	EnterpriseSizes []string
	AreaTypes       []string // of the case's district
	// FromStage and ToStage name the clock of a stage_time target (metrics.md H4: any
	// *_at stage, without _at); Agreed, a stage whose date a late end may wait for.
	FromStage, ToStage, Agreed string
	// Excludes names the narrower targets on the same metric whose cases this one
	// leaves to them, so a case's miss is counted once (metrics.md H9).
	Excludes []string
}

// definitions are the catalog's metrics by id, read once from the embedded catalog
// (a constant of the binary).
var definitions = sync.OnceValue(func() map[string]Definition {
	families, err := Catalog()
	if err != nil {
		return nil // a malformed catalog fails every computation with its own error
	}
	return Definitions(families)
})

// IsCaseMetric tells whether a target on this metric is computed as a CaseTarget: its
// query header declares it per case.
func IsCaseMetric(id string) bool { return definitions()[id].PerCase }

// Unit is the unit of a metric as its query header declares it ("WD", "h", …); a
// per-case limit is in the same unit: "h" is counted in clock hours, "WD" in working
// days.
func Unit(id string) string { return definitions()[id].Unit }

// Compute runs every metric query for the period and returns the rows sorted by
// metric, grouping and statistic, so the output is stable. The rows of case targets
// come after the general rows of their metric.
func Compute(ctx context.Context, db *sql.DB, p Period, s Settings, targets ...CaseTarget) ([]Row, error) {
	return ComputeFamilies(ctx, db, p, s, nil, targets...)
}

// ComputeFamilies is Compute for the named families only (all when names is empty).
func ComputeFamilies(ctx context.Context, db *sql.DB, p Period, s Settings, names []string, targets ...CaseTarget) ([]Row, error) {
	out, err := ComputeMany(ctx, db, s, []Request{{Period: p, Families: names, Targets: targets}})
	if err != nil {
		return nil, err
	}
	return out[0], nil
}

// Request is one period of a ComputeMany: the families wanted (all when empty) and
// the case targets in force in that period.
type Request struct {
	Period   Period
	Families []string
	Targets  []CaseTarget
	// TargetsOnly leaves out the connection figures of per-case metrics by group,
	// which no target reads: a target on such a metric has a figure of its own.
	TargetsOnly bool
}

// ComputeMany computes several periods on one connection, such as a report's quarter,
// the quarters before it and the year-ago one, and returns each request's rows as
// Compute would. The periods whose targets are the same share one judgement of the
// cases against their limits (it does not depend on the period) and one pass of the
// connection query, which groups its figures by period. The tickets' figures of all
// the periods are one pass too; the other families run period by period. Under
// ShareJudgements the judgement is kept for later calls.
func ComputeMany(ctx context.Context, db *sql.DB, s Settings, reqs []Request) ([][]Row, error) {
	all, err := Catalog()
	if err != nil {
		return nil, err
	}
	defs := Definitions(all)
	conn, err := db.Conn(ctx)
	if err != nil {
		return nil, err
	}
	defer conn.Close()
	judged, err := judgementsOf(ctx, db, conn)
	if err != nil {
		return nil, err
	}
	if !judged.shared {
		defer judged.dropOn(conn)
	}
	defer conn.ExecContext(context.Background(), "DROP VIEW IF EXISTS temp._audit_findings; DROP VIEW IF EXISTS temp._case_judgements; DROP VIEW IF EXISTS temp._excluded_cases; DROP TABLE IF EXISTS temp._periods; DROP TABLE IF EXISTS temp._batch; DROP TABLE IF EXISTS temp._batch_days; DROP TABLE IF EXISTS temp._settings; DROP TABLE IF EXISTS temp._case_targets; DROP TABLE IF EXISTS temp._judge_window; "+dropOutageSettings)
	// The same for every period.
	if err := WriteOutageSettings(ctx, conn, s.Outages); err != nil {
		return nil, err
	}
	families := make([][]Family, len(reqs))
	keys := make([]string, len(reqs))
	for i, req := range reqs {
		families[i] = all
		if len(req.Families) > 0 {
			families[i] = nil
			for _, f := range all {
				if slices.Contains(req.Families, f.Name) {
					families[i] = append(families[i], f)
				}
			}
		}
		key, err := json.Marshal(req.Targets)
		if err != nil {
			return nil, err
		}
		keys[i] = string(key)
	}
	out := make([][]Row, len(reqs))
	done := map[string][]bool{} // by batched family: its rows of the request are in out
	for i, req := range reqs {
		if err := writeParameters(ctx, conn, req.Period, s); err != nil {
			return nil, err
		}
		if err := writeCaseTargets(ctx, conn, req.Targets); err != nil {
			return nil, err
		}
		for _, f := range families[i] {
			b, isBatched := batched[f.Name]
			if !isBatched {
				r, err := runFamily(ctx, conn, f, req.Period, defs)
				if err != nil {
					return nil, fmt.Errorf("metrics %s: %w", f.Name, err)
				}
				out[i] = append(out[i], r...)
				continue
			}
			if done[f.Name] == nil {
				done[f.Name] = make([]bool, len(reqs))
			}
			if done[f.Name][i] {
				continue
			}
			// This request and every later one that asks for the family (with the
			// same targets, when it reads the judgements), in one pass.
			var batch []int
			for j := i; j < len(reqs); j++ {
				if (!b.judges || keys[j] == keys[i]) && slices.ContainsFunc(families[j], func(g Family) bool { return g.Name == f.Name }) {
					batch, done[f.Name][j] = append(batch, j), true
				}
			}
			if b.judges {
				span := reqs[batch[0]].Period
				for _, j := range batch[1:] {
					span = span.cover(reqs[j].Period)
				}
				if err := judged.use(ctx, conn, s, req.Targets, span); err != nil {
					return nil, err
				}
			}
			if err := runBatch(ctx, conn, f, reqs, batch, defs, out); err != nil {
				return nil, fmt.Errorf("metrics %s: %w", f.Name, err)
			}
		}
		SortRows(out[i])
	}
	return out, nil
}

// batched are the families that compute several periods in one pass, from the
// periods in _batch and the dates they touch in _batch_days; their last column,
// batch_seq, names the period of each row. A family that judges reads the judgements
// of the case targets: only the periods with the same targets share its pass.
var batched = map[string]struct{ judges bool }{
	"connection": {judges: true},
	"tickets":    {},
}

// runBatch runs a batched family once for the periods of the batch (for one that
// judges, their targets are in _case_targets and judged in _case_judgements), adding
// each request's rows to out.
func runBatch(ctx context.Context, conn *sql.Conn, f Family, reqs []Request, batch []int, defs map[string]Definition, out [][]Row) error {
	values := make([]string, len(batch))
	for k, j := range batch {
		p := reqs[j].Period
		values[k] = fmt.Sprintf("(%d, '%s'::TIMESTAMPTZ, '%s'::TIMESTAMPTZ, %t)", k,
			p.Start.Format("2006-01-02 15:04:05-07:00"), p.End.Format("2006-01-02 15:04:05-07:00"), !reqs[j].TargetsOnly)
	}
	if _, err := conn.ExecContext(ctx, "CREATE OR REPLACE TEMP TABLE _batch (seq INTEGER, start_at TIMESTAMPTZ, end_at TIMESTAMPTZ, by_group BOOLEAN); INSERT INTO _batch VALUES "+strings.Join(values, ", ")+"; "+sqlfiles.BatchDays); err != nil {
		return err
	}
	rows, err := conn.QueryContext(ctx, f.SQL)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var seq int
		r, keep, err := scanRow(rows, defs, &seq)
		if err != nil {
			return err
		}
		if keep {
			j := batch[seq]
			r.Period = reqs[j].Period.Label
			out[j] = append(out[j], r)
		}
	}
	return rows.Err()
}

// writeParameters stores the period (and the periods before it that rolling figures
// need) and the settings where every query can read them.
func writeParameters(ctx context.Context, conn *sql.Conn, p Period, s Settings) error {
	steps := map[string]int{"quarter": 7, "year": 1}[p.Kind] // none for a month or a day
	var values []string
	for i := 0; i <= steps; i++ {
		q := p
		if i > 0 {
			q = p.Previous(i)
		}
		values = append(values, fmt.Sprintf("(%d, '%s', '%s'::TIMESTAMPTZ, '%s'::TIMESTAMPTZ, %d, %f)",
			i, q.Label, q.Start.Format("2006-01-02 15:04:05-07:00"), q.End.Format("2006-01-02 15:04:05-07:00"), q.Months, q.Hours()))
	}
	stmts := []string{
		"CREATE OR REPLACE TEMP TABLE _periods (seq INTEGER, label VARCHAR, start_at TIMESTAMPTZ, end_at TIMESTAMPTZ, months INTEGER, hours DOUBLE)",
		"INSERT INTO _periods VALUES " + strings.Join(values, ", "),
		fmt.Sprintf("CREATE OR REPLACE TEMP TABLE _settings AS SELECT %d AS satisfied_min, %f AS rectify_wd, %f AS complaint_wd, %f AS repair_wd, %f AS backfill_wd, '%s' AS period_kind, coalesce(%s, 'legal') AS deadline_rule, %s::TIME AS office_close, %s::INTEGER[][] AS office_hours",
			s.SatisfiedMin, s.RectifyWD, s.ComplaintWD, s.RepairWD, s.BackfillWD, p.Kind, sqlString(s.DeadlineRule), sqlString(s.OfficeClose), officeHours(s.OfficeHours)),
		sqlfiles.Audit,
	}
	for _, q := range stmts {
		if _, err := conn.ExecContext(ctx, q); err != nil {
			return err
		}
	}
	return nil
}

// sqlString quotes a setting as an SQL string literal, or NULL when empty.
func sqlString(v string) string {
	if v == "" {
		return "NULL"
	}
	return "'" + strings.ReplaceAll(v, "'", "''") + "'"
}

// officeHours writes the office intervals as an SQL list, the defaults when none.
func officeHours(hours [][2]int) string {
	if len(hours) == 0 {
		hours = DefaultSettings().OfficeHours
	}
	parts := make([]string, len(hours))
	for i, h := range hours {
		parts[i] = fmt.Sprintf("[%d, %d]", h[0], h[1])
	}
	return "[" + strings.Join(parts, ", ") + "]"
}

// writeCaseTargets stores the case targets where the connection query reads them.
func writeCaseTargets(ctx context.Context, conn *sql.Conn, targets []CaseTarget) error {
	_, err := conn.ExecContext(ctx, `CREATE OR REPLACE TEMP TABLE _case_targets (
		target_id VARCHAR, metric_id VARCHAR, statistic VARCHAR, limit_value DOUBLE, utility VARCHAR,
		classes VARCHAR[], low_risk BOOLEAN, external_works BOOLEAN, business_types VARCHAR[],
		joint BOOLEAN, online BOOLEAN, channels VARCHAR[], max_capacity DOUBLE,
		min_capacity DOUBLE, enterprise_sizes VARCHAR[], area_types VARCHAR[], excludes VARCHAR[],
		from_stage VARCHAR, to_stage VARCHAR, agreed VARCHAR,
		in_hours BOOLEAN -- the limit is in clock hours, not working days
	)`)
	if err != nil {
		return err
	}
	for _, t := range targets {
		if !IsCaseMetric(t.MetricID) {
			return fmt.Errorf("target %s: %s is not a per-case metric", t.ID, t.MetricID)
		}
		var utility any
		if t.Utility != "" {
			utility = t.Utility
		}
		_, err := conn.ExecContext(ctx, `INSERT INTO _case_targets VALUES (?, ?, ?, ?, ?, ?::VARCHAR[], ?, ?, ?::VARCHAR[], ?, ?, ?::VARCHAR[], ?,
			?, ?::VARCHAR[], ?::VARCHAR[], ?::VARCHAR[], ?, ?, ?, ?)`,
			t.ID, t.MetricID, t.Statistic, t.Limit, utility, listOrNil(t.Classes), t.LowRisk, t.ExternalWorks,
			listOrNil(t.BusinessTypes), t.Joint, t.Online, listOrNil(t.Channels), t.MaxCapacity,
			t.MinCapacity, listOrNil(t.EnterpriseSizes), listOrNil(t.AreaTypes), listOrNil(t.Excludes),
			nilIfEmpty(t.FromStage), nilIfEmpty(t.ToStage), nilIfEmpty(t.Agreed), Unit(t.MetricID) == "h")
		if err != nil {
			return fmt.Errorf("target %s: %w", t.ID, err)
		}
	}
	return nil
}

// nilIfEmpty passes an empty string as NULL.
func nilIfEmpty(s string) any {
	if s == "" {
		return nil
	}
	return s
}

// listOrNil passes a list as a DuckDB list literal, or NULL when empty: a case
// target's filter selects all then.
func listOrNil(items []string) any {
	if len(items) == 0 {
		return nil
	}
	return sqlList(items)
}

func runFamily(ctx context.Context, conn *sql.Conn, f Family, p Period, defs map[string]Definition) ([]Row, error) {
	rows, err := conn.QueryContext(ctx, f.SQL)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Row
	for rows.Next() {
		r, keep, err := scanRow(rows, defs)
		if err != nil {
			return nil, err
		}
		if keep {
			r.Period = p.Label
			out = append(out, r)
		}
	}
	return out, rows.Err()
}

// scanRow reads a row of a metric query, and into extra any columns after the nine of
// the contract. A row with neither a record nor a value, nor a target, is not kept:
// there is nothing to report for its group.
func scanRow(rows *sql.Rows, defs map[string]Definition, extra ...any) (Row, bool, error) {
	var r Row
	var utility, class, district, area, target sql.NullString
	var value sql.NullFloat64
	dest := append([]any{&r.MetricID, &utility, &class, &district, &area, &r.Statistic, &value, &r.N, &target}, extra...)
	if err := rows.Scan(dest...); err != nil {
		return r, false, err
	}
	r.TargetID = target.String
	if r.N == 0 && !value.Valid && !target.Valid {
		return r, false, nil
	}
	r.Utility, r.CustomerClass, r.District, r.AreaType = utility.String, class.String, district.String, area.String
	r.Status = StatusNoTarget
	if value.Valid {
		v := value.Float64
		r.Value = &v
	} else {
		r.Status = StatusNoData
	}
	d, ok := defs[r.MetricID]
	if !ok {
		return r, false, fmt.Errorf("the query returns metric %q, which no header defines", r.MetricID)
	}
	r.Unit = d.Unit
	return r, true, nil
}

// SortRows orders rows by metric, utility, class, district, area type and statistic.
func SortRows(rows []Row) {
	sort.SliceStable(rows, func(i, j int) bool {
		a, b := rows[i], rows[j]
		for _, pair := range [][2]string{{a.MetricID, b.MetricID}, {a.TargetID, b.TargetID}, {a.Utility, b.Utility}, {a.CustomerClass, b.CustomerClass},
			{a.District, b.District}, {a.AreaType, b.AreaType}, {a.Statistic, b.Statistic}} {
			if pair[0] != pair[1] {
				return pair[0] < pair[1]
			}
		}
		return false
	})
}
