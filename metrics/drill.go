package metrics

import (
	"cmp"
	"context"
	"database/sql"
	"fmt"
	"slices"
	"time"

	sqlfiles "github.com/utilscore/utilscore/sql"
)

// DrillTarget is a target whose figure missed in the period, to be traced to the
// groups and the records behind the miss.
type DrillTarget struct {
	ID         string
	MetricID   string
	Statistic  string
	Comparison string  // "<=" or ">="
	Threshold  float64 // the figure the target asks for
	// Utility is the utility of the missed figure ("" for a figure across them).
	Utility string
	// AreaTypes are the area types the target names: its groups then include them.
	AreaTypes []string
}

// Dimensions of a contributor group.
const (
	ByDistrict = "district"
	ByClass    = "customer_class"
	ByArea     = "area_type"
)

// Contributor is one group (a district, a customer class or an area type) and its part
// in a missed figure.
type Contributor struct {
	Dimension string // ByDistrict, ByClass or ByArea
	Key       string // the district code, class or area type
	// Missed counts the group's records that missed: over their limit for a time or a
	// share target, not counted as achieved for a rate, on the wrong side of the
	// threshold for a median or a mean. Zero for a figure not traced to records.
	Missed int64
	N      int64    // the group's records the figure counts
	Value  *float64 // the group's own figure, in the target's statistic
	// ShareOfMissed is Missed over every missed record of the figure: the group's part
	// of the miss.
	ShareOfMissed float64
}

// Breakdown is what a missed figure is made of.
type Breakdown struct {
	Target DrillTarget
	// Traced: the figure counts cases or tickets, and the missed ones are listed.
	// Figures on outages, ratings or leakage are broken down by group only.
	Traced bool
	// RecordUnit is the unit of a record's value, limit and overrun (WD, h, count, CNY).
	RecordUnit string
	Missed, N  int64 // records that missed, and records the figure counts
	// Contributors are ranked within each dimension, the largest part of the miss first:
	// for shares and rates the most missed records, for other figures the worst value.
	Contributors []Contributor
}

// MissedRecord is one case or ticket that missed the target, judged as the figure
// judges it. It carries no name or address, and the phone masked.
type MissedRecord struct {
	Utility       string
	ID            string // case id or ticket id
	Kind          string // "case", or the ticket kind (complaint, repair, enquiry)
	District      string
	CustomerClass string // empty for a ticket
	AreaType      string
	Start         time.Time
	End           *time.Time // nil: not finished (未办结)
	Cancelled     *time.Time // cancelled or withdrawn after its deadline
	Value         *float64   // its own figure in the breakdown's RecordUnit; nil when the data lacks it
	Limit         *float64   // the limit (or, for a median or a mean, the threshold)
	Over          *float64   // how far past the limit: WD after the deadline day, or beyond an elapsed limit
	Phone         string     // masked (138****5678)
}

// Driller traces missed targets of one period on one connection: the cases are judged
// once, against the targets to be traced, then each target is drilled from that
// judgement.
type Driller struct {
	conn     *sql.Conn
	period   Period
	rows     []Row
	defs     map[string]Definition
	areas    map[string]string // district → area type, for the groups of figures not traced
	targets  []CaseTarget      // the case targets in force
	settings Settings
	judged   map[string]bool // the case targets the cases were judged against; nil: not yet
	// judgements are the run's (ShareJudgements), or the driller's own, dropped once
	// its period's judgements are gathered.
	judgements *judgementStore
}

// NewDriller prepares the drill-down of the period: the settings and case targets (the
// profile's in force, as policy.Evaluate passes them) judge the cases as the figures
// did; rows are the period's figures, whose groups break down the figures not traced.
// The cases are judged when the first targets are traced, against those alone.
func NewDriller(ctx context.Context, db *sql.DB, p Period, s Settings, targets []CaseTarget, rows []Row) (d *Driller, err error) {
	defer func() {
		if err != nil {
			err = fmt.Errorf("drill-down of %s: %w", p.Label, err)
		}
	}()
	families, err := Catalog()
	if err != nil {
		return nil, err
	}
	conn, err := db.Conn(ctx)
	if err != nil {
		return nil, err
	}
	d = &Driller{conn: conn, period: p, rows: rows, defs: Definitions(families), areas: map[string]string{}, targets: targets, settings: s}
	defer func() {
		if err != nil {
			d.Close()
		}
	}()
	if d.judgements, err = judgementsOf(ctx, db, conn); err != nil {
		return nil, err
	}
	if err := writeParameters(ctx, conn, p, s); err != nil {
		return nil, err
	}
	if _, err := conn.ExecContext(ctx, `CREATE OR REPLACE TEMP TABLE _drill_target (target_no INTEGER, target_id VARCHAR, metric_id VARCHAR,
		statistic VARCHAR, comparison VARCHAR, threshold DOUBLE, source VARCHAR, utility VARCHAR)`); err != nil {
		return nil, err
	}
	areaRows, err := conn.QueryContext(ctx, "SELECT district, any_value(area_type)::VARCHAR FROM districts WHERE area_type IS NOT NULL GROUP BY district")
	if err != nil {
		return nil, err
	}
	defer areaRows.Close()
	for areaRows.Next() {
		var district, area string
		if err := areaRows.Scan(&district, &area); err != nil {
			return nil, err
		}
		d.areas[district] = area
	}
	return d, areaRows.Err()
}

// Close drops the period's working tables and gives the connection back.
func (d *Driller) Close() error {
	d.conn.ExecContext(context.Background(), "DROP TABLE IF EXISTS temp._drill_order; DROP TABLE IF EXISTS temp._drill; DROP TABLE IF EXISTS temp._drill_judged; DROP TABLE IF EXISTS temp._drill_cases; DROP TABLE IF EXISTS temp._drill_target; "+
		"DROP VIEW IF EXISTS temp._case_judgements; DROP VIEW IF EXISTS temp._excluded_cases; DROP VIEW IF EXISTS temp._audit_findings; "+
		"DROP TABLE IF EXISTS temp._periods; DROP TABLE IF EXISTS temp._settings; DROP TABLE IF EXISTS temp._case_targets; DROP TABLE IF EXISTS temp._judge_window")
	if d.judgements != nil && !d.judgements.shared {
		d.judgements.dropOn(d.conn)
	}
	return d.conn.Close()
}

// source tells where a target's records come from: "clock" (cases judged once
// against a time limit), "case" (cases connected in the period), "ticket", or ""
// (a figure on outages, ratings or leakage: groups only).
func (d *Driller) source(t DrillTarget) (string, error) {
	def, ok := d.defs[t.MetricID]
	switch {
	case !ok:
		return "", fmt.Errorf("target %s: unknown metric %q", t.ID, t.MetricID)
	case def.PerCase && t.Statistic == "share_within":
		var clock bool
		if err := d.conn.QueryRowContext(context.Background(), "SELECT is_clock(?)", t.MetricID).Scan(&clock); err != nil {
			return "", err
		}
		if clock {
			return "clock", nil
		}
		return "case", nil
	case def.PerCase:
		return "case", nil
	case def.Family == "tickets" && t.Statistic == "rate":
		return "ticket", nil
	}
	return "", nil
}

// judge judges the cases against the case targets ts trace (with the narrower targets
// whose cases they leave, H9), unless they were judged already: a judgement against
// every target in force would judge cases no traced target reaches. The judgement is
// made again, for every target judged so far, when ts name one it was not made for.
func (d *Driller) judge(ctx context.Context, ts []DrillTarget, sources []string) error {
	want := map[string]bool{}
	for id := range d.judged {
		want[id] = true
	}
	fresh := d.judged == nil
	for i, t := range ts {
		if (sources[i] == "clock" || sources[i] == "case") && !want[t.ID] {
			want[t.ID], fresh = true, true
		}
	}
	if !fresh {
		return nil
	}
	// A narrower target's cases are found from its own filter, so it is written too,
	// with those narrower than it: the targets are then judged as the figures judge
	// them, and a run's shared judgement holds them.
	written := withNarrower(d.targets, want)
	if err := writeCaseTargets(ctx, d.conn, written); err != nil {
		return err
	}
	if err := d.judgements.use(ctx, d.conn, d.settings, written, d.period); err != nil {
		return err
	}
	if _, err := d.conn.ExecContext(ctx, sqlfiles.DrillCases); err != nil {
		return err
	}
	if !d.judgements.shared {
		// Its own judgement of every period: the period's rows are in _drill_judged.
		if err := d.judgements.dropCases(ctx, d.conn); err != nil {
			return err
		}
	}
	d.judged = want
	return nil
}

// drillPage is how many missed records one read takes (the driver holds a whole result).
const drillPage = 20_000

// Drill traces one missed target: start gets its breakdown (groups ranked), then each
// gets every record that missed, the furthest past its limit first, read a page at a
// time so a long list never sits in memory. A nil each asks for the breakdown alone.
func (d *Driller) Drill(ctx context.Context, t DrillTarget, start func(Breakdown) error, each func(MissedRecord) error) error {
	var every func(int, MissedRecord) error
	if each != nil {
		every = func(_ int, r MissedRecord) error { return each(r) }
	}
	return d.DrillAll(ctx, []DrillTarget{t}, func(bs []Breakdown) error { return start(bs[0]) }, every)
}

// DrillAll traces several missed targets in one go, for an output that shows every
// breakdown before any list: start gets the breakdowns in the order of ts, then each
// gets the missed records target by target (i is the target's index in ts), each
// target's furthest past its limit first. The targets are traced together, in one
// statement; the records wait in the database, not in memory. A nil each asks for the
// breakdowns alone.
func (d *Driller) DrillAll(ctx context.Context, ts []DrillTarget, start func([]Breakdown) error, each func(i int, r MissedRecord) error) (err error) {
	defer func() {
		if err != nil {
			err = fmt.Errorf("drill-down of %s: %w", d.period.Label, err)
		}
	}()
	sources := make([]string, len(ts))
	for i, t := range ts {
		if sources[i], err = d.source(t); err != nil {
			return err
		}
	}
	if err := d.judge(ctx, ts, sources); err != nil {
		return err
	}
	bs, err := d.trace(ctx, ts, sources)
	if err != nil {
		return err
	}
	if err := start(bs); err != nil || each == nil {
		return err
	}
	var total int64
	for _, b := range bs {
		if b.Traced {
			total += b.Missed
		}
	}
	if total == 0 {
		return nil
	}
	// The order is numbered once over the sort keys alone, and each page picks its
	// rows by number.
	if _, err := d.conn.ExecContext(ctx, `CREATE OR REPLACE TEMP TABLE _drill_order AS
		SELECT rowid AS rid, row_number() OVER (ORDER BY target_no, over DESC NULLS LAST, value DESC NULLS LAST, utility, record_id) AS seq
		FROM _drill WHERE missed`); err != nil {
		return err
	}
	for from := int64(0); from < total; from += drillPage {
		if err := d.page(ctx, from, each); err != nil {
			return err
		}
	}
	return nil
}

// trace judges the records of the targets traced to records (source not "") into
// _drill, each under its index in ts, and breaks every target down.
func (d *Driller) trace(ctx context.Context, ts []DrillTarget, sources []string) ([]Breakdown, error) {
	bs := make([]Breakdown, len(ts))
	if _, err := d.conn.ExecContext(ctx, "DELETE FROM _drill_target"); err != nil {
		return nil, err
	}
	traced := false
	for i, t := range ts {
		bs[i] = Breakdown{Target: t, Traced: sources[i] != "", RecordUnit: d.defs[t.MetricID].Unit}
		if !bs[i].Traced {
			bs[i].Contributors = d.groupsFromRows(t)
			continue
		}
		if sources[i] == "ticket" {
			bs[i].RecordUnit = "WD"
		}
		if _, err := d.conn.ExecContext(ctx, "INSERT INTO _drill_target VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
			i, t.ID, t.MetricID, t.Statistic, t.Comparison, t.Threshold, sources[i], nilIfEmpty(t.Utility)); err != nil {
			return nil, fmt.Errorf("target %s: %w", t.ID, err)
		}
		traced = true
	}
	if !traced {
		return bs, nil
	}
	if _, err := d.conn.ExecContext(ctx, sqlfiles.Drill); err != nil {
		return nil, err
	}
	if err := d.groups(ctx, bs); err != nil {
		return nil, err
	}
	rows, err := d.conn.QueryContext(ctx, "SELECT target_no, count(*) FILTER (missed), count(*) FROM _drill GROUP BY target_no")
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var no int
		var missed, n int64
		if err := rows.Scan(&no, &missed, &n); err != nil {
			return nil, err
		}
		bs[no].Missed, bs[no].N = missed, n
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	for i := range bs {
		if !bs[i].Traced {
			continue
		}
		for j := range bs[i].Contributors {
			if bs[i].Missed > 0 {
				bs[i].Contributors[j].ShareOfMissed = float64(bs[i].Contributors[j].Missed) / float64(bs[i].Missed)
			}
		}
	}
	return bs, nil
}

func (d *Driller) page(ctx context.Context, from int64, each func(int, MissedRecord) error) error {
	rows, err := d.conn.QueryContext(ctx, `SELECT r.target_no, r.utility, r.record_id, r.record_kind, r.district, coalesce(r.customer_class, ''),
			coalesce(r.area_type, ''), r.start_at, r.end_at, r.cancelled_at, r.value, r.limit_value, r.over, coalesce(r.contact_phone, '')
		FROM (SELECT rid, seq FROM _drill_order WHERE seq > ? AND seq <= ?) o JOIN _drill r ON r.rowid = o.rid
		ORDER BY o.seq`, from, from+drillPage)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var r MissedRecord
		var no int
		var end, cancelled sql.NullTime
		var value, limit, over sql.NullFloat64
		if err := rows.Scan(&no, &r.Utility, &r.ID, &r.Kind, &r.District, &r.CustomerClass, &r.AreaType, &r.Start,
			&end, &cancelled, &value, &limit, &over, &r.Phone); err != nil {
			return err
		}
		r.End, r.Cancelled = nullTime(end), nullTime(cancelled)
		r.Value, r.Limit, r.Over = nullFloat(value), nullFloat(limit), nullFloat(over)
		if r.Phone != "" {
			r.Phone = MaskPhone(r.Phone)
		}
		if err := each(no, r); err != nil {
			return err
		}
	}
	return rows.Err()
}

// groups breaks each traced target's records down by district, class and (where the
// target names them) area type.
func (d *Driller) groups(ctx context.Context, bs []Breakdown) error {
	rows, err := d.conn.QueryContext(ctx, `SELECT r.target_no,
			CASE WHEN grouping(district) = 0 THEN 'district' WHEN grouping(customer_class) = 0 THEN 'customer_class' ELSE 'area_type' END,
			coalesce(district, customer_class, area_type), count(*) FILTER (missed), count(*),
			CASE any_value(t.statistic) WHEN 'median' THEN median(value) WHEN 'mean' THEN avg(value) WHEN 'p90' THEN quantile_cont(value, 0.9)
				WHEN 'max' THEN max(value) ELSE 1 - count(*) FILTER (missed) / count(*) END
		FROM _drill r JOIN _drill_target t ON t.target_no = r.target_no
		GROUP BY GROUPING SETS ((r.target_no, district), (r.target_no, customer_class), (r.target_no, area_type))
		HAVING coalesce(district, customer_class, area_type) IS NOT NULL`)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var no int
		var c Contributor
		var value sql.NullFloat64
		if err := rows.Scan(&no, &c.Dimension, &c.Key, &c.Missed, &c.N, &value); err != nil {
			return err
		}
		if c.Dimension == ByArea && len(bs[no].Target.AreaTypes) == 0 {
			continue // groups by area type only for a target that names them
		}
		c.Value = nullFloat(value)
		bs[no].Contributors = append(bs[no].Contributors, c)
	}
	if err := rows.Err(); err != nil {
		return err
	}
	for i := range bs {
		if bs[i].Traced {
			rank(bs[i].Contributors, bs[i].Target, true)
		}
	}
	return nil
}

// groupsFromRows breaks a figure not traced to records down by the period's rows of
// the same metric and statistic for its utility: per district, class and area type.
// A target on some area types takes the districts of those types only.
func (d *Driller) groupsFromRows(t DrillTarget) []Contributor {
	var out []Contributor
	for _, r := range d.rows {
		if r.TargetID != "" || r.MetricID != t.MetricID || r.Statistic != t.Statistic || r.Utility != t.Utility {
			continue
		}
		var c Contributor
		switch {
		case r.District != "" && r.CustomerClass == "" && r.AreaType == "":
			if len(t.AreaTypes) > 0 && !slices.Contains(t.AreaTypes, d.areas[r.District]) {
				continue
			}
			c = Contributor{Dimension: ByDistrict, Key: r.District}
		case r.CustomerClass != "" && r.District == "" && r.AreaType == "":
			c = Contributor{Dimension: ByClass, Key: r.CustomerClass}
		case r.AreaType != "" && r.District == "" && r.CustomerClass == "":
			if len(t.AreaTypes) > 0 && !slices.Contains(t.AreaTypes, r.AreaType) {
				continue
			}
			c = Contributor{Dimension: ByArea, Key: r.AreaType}
		default:
			continue
		}
		c.N, c.Value = r.N, r.Value
		out = append(out, c)
	}
	rank(out, t, false)
	return out
}

// rank orders contributors by dimension (district, class, area type), then the largest
// part of the miss first: for a share or a rate traced to records, the most missed
// records; otherwise the value furthest on the wrong side (highest for a "<=" target).
func rank(cs []Contributor, t DrillTarget, traced bool) {
	order := map[string]int{ByDistrict: 0, ByClass: 1, ByArea: 2}
	byCount := traced && (t.Statistic == "share_within" || t.Statistic == "rate")
	worse := func(a, b *float64) int { // negative when a is worse than b
		switch {
		case a == nil && b == nil:
			return 0
		case a == nil:
			return 1
		case b == nil:
			return -1
		case t.Comparison == "<=":
			return cmp.Compare(*b, *a)
		}
		return cmp.Compare(*a, *b)
	}
	slices.SortStableFunc(cs, func(a, b Contributor) int {
		if c := cmp.Compare(order[a.Dimension], order[b.Dimension]); c != 0 {
			return c
		}
		if byCount {
			if c := cmp.Compare(b.Missed, a.Missed); c != 0 {
				return c
			}
		}
		if c := worse(a.Value, b.Value); c != 0 {
			return c
		}
		if c := cmp.Compare(b.N, a.N); c != 0 {
			return c
		}
		return cmp.Compare(a.Key, b.Key)
	})
}

// MaskPhone keeps the first three and last four digits: 138****5678.
func MaskPhone(p string) string {
	r := []rune(p)
	if len(r) < 8 {
		return "****"
	}
	return string(r[:3]) + "****" + string(r[len(r)-4:])
}

func nullTime(t sql.NullTime) *time.Time {
	if !t.Valid {
		return nil
	}
	return &t.Time
}

func nullFloat(f sql.NullFloat64) *float64 {
	if !f.Valid {
		return nil
	}
	return &f.Float64
}
