package reports

import (
	"context"
	"database/sql"
	"fmt"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/utilscore/utilscore/domain"
	"github.com/utilscore/utilscore/metrics"
	"github.com/utilscore/utilscore/policy"
)

// Traced is a missed target and what its figure is made of.
type Traced struct {
	Missed    policy.Missed
	Breakdown metrics.Breakdown
}

// MissedTargets is the drill-down of a period's missed targets, read as the outputs
// write it: Trace gives every missed target of a utility ("" = all) with its
// breakdown to start, then their missed records to each, target by target (i indexes
// what start got), read a page at a time (each nil: breakdowns only). Summarize gives
// the same targets with the first n records of each, for an output that lists only
// those; after a Trace of the utility it is served from what that Trace read.
type MissedTargets interface {
	Trace(utility string, start func([]Traced) error, each func(i int, r metrics.MissedRecord) error) error
	Summarize(utility string, n int) ([]Summary, error)
}

// SummaryRecords is the most records per target a Summary holds: what a dashboard
// page lists (the printed report lists fewer).
const SummaryRecords = 100

// Summary is a missed target with the first of its records, in list order (the
// furthest past the limit first).
type Summary struct {
	Traced
	Records []metrics.MissedRecord
}

// storedDrill traces the missed targets of an evaluation in the database it came
// from, within the context of the Collect that made it. Each full trace keeps its
// summaries, so the workbook's list and the printed report of one run drill the
// database once.
type storedDrill struct {
	ctx context.Context
	db  *sql.DB
	ev  *policy.Evaluation

	mu        sync.Mutex
	summaries map[string][]Summary // by utility
}

// Trace drills every missed figure of the utility. A figure across utilities is traced
// only where every utility is shown (utility ""): its groups mix them.
func (s *storedDrill) Trace(utility string, start func([]Traced) error, each func(int, metrics.MissedRecord) error) error {
	var todo []policy.Missed
	var targets []metrics.DrillTarget
	for _, m := range s.ev.Missed() {
		if utility == "" || m.Row.Utility == utility {
			todo = append(todo, m)
			targets = append(targets, m.Drill)
		}
	}
	if len(todo) == 0 {
		s.keep(utility, nil)
		return start(nil)
	}
	d, err := s.ev.NewDriller(s.ctx, s.db)
	if err != nil {
		return err
	}
	defer d.Close()
	var summaries []Summary
	var every func(int, metrics.MissedRecord) error
	if each != nil {
		every = func(i int, r metrics.MissedRecord) error {
			if len(summaries[i].Records) < SummaryRecords {
				summaries[i].Records = append(summaries[i].Records, r)
			}
			return each(i, r)
		}
	}
	err = d.DrillAll(s.ctx, targets, func(bs []metrics.Breakdown) error {
		traced := make([]Traced, len(bs))
		summaries = make([]Summary, len(bs))
		for i, b := range bs {
			traced[i] = Traced{Missed: todo[i], Breakdown: b}
			summaries[i].Traced = traced[i]
		}
		return start(traced)
	}, every)
	if err == nil && each != nil {
		s.keep(utility, summaries)
	}
	return err
}

func (s *storedDrill) keep(utility string, summaries []Summary) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.summaries == nil {
		s.summaries = map[string][]Summary{}
	}
	s.summaries[utility] = summaries
}

// Summarize gives the utility's missed targets with the first n (at most
// SummaryRecords) records of each, tracing them unless a Trace already did.
func (s *storedDrill) Summarize(utility string, n int) ([]Summary, error) {
	if n > SummaryRecords {
		return nil, fmt.Errorf("a summary of the missed records holds at most %d per target, not %d", SummaryRecords, n)
	}
	s.mu.Lock()
	kept, ok := s.summaries[utility]
	s.mu.Unlock()
	if !ok {
		err := s.Trace(utility, func([]Traced) error { return nil }, func(int, metrics.MissedRecord) error { return nil })
		if err != nil {
			return nil, err
		}
		s.mu.Lock()
		kept = s.summaries[utility]
		s.mu.Unlock()
	}
	out := make([]Summary, len(kept))
	for i, k := range kept {
		out[i] = Summary{Traced: k.Traced, Records: k.Records[:min(n, len(k.Records))]}
	}
	return out, nil
}

// TraceMissed is the drill-down of an evaluation read from db, for outputs written
// within ctx.
func TraceMissed(ctx context.Context, db *sql.DB, ev *policy.Evaluation) MissedTargets {
	return &storedDrill{ctx: ctx, db: db, ev: ev}
}

// FigureText says in Chinese what the missed figure came to: a share with the count
// behind it ("80.0%（16/20件达标），未达标4件"), another figure with its unit and n.
func FigureText(t Traced) string {
	r, b := t.Missed.Row, t.Breakdown
	if r.Value == nil {
		return "无数据"
	}
	switch {
	case r.Statistic == "share_within" || r.Unit == "rate":
		s := pct(*r.Value)
		if b.Traced {
			s += fmt.Sprintf("（%d/%d件达标），未达标%d件", b.N-b.Missed, b.N, b.Missed)
		} else {
			s += fmt.Sprintf("（%d件）", r.N)
		}
		return s
	}
	s := or(statisticZH, r.Statistic) + " " + amount(*r.Value, r.Unit) + fmt.Sprintf("（%d件）", r.N)
	if b.Traced && b.Missed > 0 {
		s += fmt.Sprintf("，%d件超过%s", b.Missed, amount(t.Missed.Target.Threshold, r.Unit))
	}
	return s
}

// GroupText says in Chinese what one group contributed: its missed records and their
// part of the miss, and its own figure.
func GroupText(t Traced, c metrics.Contributor, districts map[string]string) string {
	label := GroupLabel(c, districts)
	own := "无数据"
	if c.Value != nil {
		own = amount(*c.Value, t.Missed.Row.Unit)
		if t.Missed.Row.Statistic == "share_within" || t.Missed.Row.Unit == "rate" {
			own = pct(*c.Value)
		}
	}
	if !t.Breakdown.Traced {
		return fmt.Sprintf("%s：%s（%d件）", label, own, c.N)
	}
	if t.Missed.Row.Statistic == "share_within" || t.Missed.Row.Statistic == "rate" {
		return fmt.Sprintf("%s：未达标%d件，占全部未达标的%s；本组达标%s（%d件）", label, c.Missed, pct(c.ShareOfMissed), own, c.N)
	}
	return fmt.Sprintf("%s：%s %s（%d件），%d件超过目标", label, or(statisticZH, t.Missed.Row.Statistic), own, c.N, c.Missed)
}

// GroupLabel names a group: a district with its name, a class or an area type in Chinese.
func GroupLabel(c metrics.Contributor, districts map[string]string) string {
	switch c.Dimension {
	case metrics.ByDistrict:
		if name := districts[c.Key]; name != "" {
			return c.Key + " " + name
		}
		return c.Key
	case metrics.ByClass:
		return or(classZH, c.Key)
	}
	return or(areaZH, c.Key)
}

// DimensionZH names the dimensions of the groups.
var DimensionZH = map[string]string{metrics.ByDistrict: "区县", metrics.ByClass: "客户类别", metrics.ByArea: "区域类型"}

// TopGroups keeps the first n groups of each dimension (they come ranked); of a share
// or a rate traced to records, only groups with a missed record.
func TopGroups(t Traced, n int) []metrics.Contributor {
	var out []metrics.Contributor
	seen := map[string]int{}
	counted := t.Breakdown.Traced && (t.Missed.Row.Statistic == "share_within" || t.Missed.Row.Statistic == "rate")
	for _, c := range t.Breakdown.Contributors {
		if counted && c.Missed == 0 {
			continue
		}
		if seen[c.Dimension] < n {
			out = append(out, c)
		}
		seen[c.Dimension]++
	}
	return out
}

// RecordEnd says how a missed record stands: its end, 未办结, or its cancellation.
func RecordEnd(r metrics.MissedRecord, loc *time.Location) string {
	switch {
	case r.Cancelled != nil:
		return "撤销 " + r.Cancelled.In(loc).Format("2006-01-02 15:04")
	case r.End != nil:
		return r.End.In(loc).Format("2006-01-02 15:04")
	}
	return "未办结"
}

// RecordClassZH names a missed record's customer class; a ticket has none (—).
func RecordClassZH(r metrics.MissedRecord) string {
	if r.CustomerClass == "" {
		return "—"
	}
	return or(classZH, r.CustomerClass)
}

// RecordUnitZH names the unit of a record's figures: 工作日, 小时, 个, 元.
func RecordUnitZH(unit string) string {
	if u, ok := unitZH[unit]; ok {
		return u
	}
	return domain.Or(domain.UnitZH, unit)
}

// RecordKindZH names what a missed record is.
var RecordKindZH = map[string]string{"case": "工单", "complaint": "投诉", "repair": "报修", "enquiry": "咨询"}

func pct(x float64) string { return strconv.FormatFloat(100*x, 'f', 1, 64) + "%" }

// amount writes a figure with its unit: 3.5个工作日, 12.25小时, 2个, 300元.
func amount(x float64, unit string) string {
	places := 1
	switch unit {
	case "h", "CNY":
		places = 2
	case "count":
		places = 1
		if x == float64(int64(x)) {
			places = 0
		}
	}
	return strings.TrimSuffix(strconv.FormatFloat(x, 'f', places, 64), ".0") + domain.Or(domain.UnitZH, unit)
}
