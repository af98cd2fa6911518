package metrics

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/utilscore/utilscore/sql"
)

// judgementStore keeps the judgements of the cases against sets of case targets
// (sql/judgements.sql) in an in-memory database that every connection of the
// instance sees. A judgement depends on the targets, the settings and the data, not
// on the period: the parts of one output (a report's figures, its year's pace, its
// drill-downs) can share one while the data does not change, instead of judging a
// million cases three times.
type judgementStore struct {
	db      *sql.DB
	name    string // the attached database
	mu      sync.Mutex
	sets    []judgedSet
	made    int  // tables made so far, for the next one's name
	dropped bool // a later use of the context judges on its own
	// shared: kept for a run, whose periods are not known in advance; every row is
	// kept. Otherwise only the rows the periods asked for.
	shared bool
}

// judgedSet is one judgement: of the cases against targets under settings, in the
// tables table+"_cases" and table+"_excluded".
type judgedSet struct {
	// from and to bound the periods whose rows were kept (zero: every period).
	from, to time.Time
	settings string
	targets  map[string]string // target id → the target, as JSON
	table    string
	closed   bool // every narrower target named is among the targets: others may use it
}

// judgementsMade names each store's database apart from the others' in the process.
var judgementsMade atomic.Int64

type judgementsKey struct{}

// ShareJudgements returns a context under which the metrics, pace and drill-downs
// computed on db judge the cases once for each set of targets and settings, and the
// function that drops those judgements. The data must not change before it is called.
func ShareJudgements(ctx context.Context, db *sql.DB) (context.Context, func(), error) {
	conn, err := db.Conn(ctx)
	if err != nil {
		return ctx, func() {}, err
	}
	defer conn.Close()
	j, err := newJudgements(ctx, db, conn)
	if err != nil {
		return ctx, func() {}, err
	}
	drop := func() {
		j.mu.Lock()
		defer j.mu.Unlock()
		j.drop(db.ExecContext)
	}
	j.shared = true
	return context.WithValue(ctx, judgementsKey{}, j), drop, nil
}

// newJudgements attaches an in-memory database for the judgements made on db, writable
// even when db is opened for reading. Everything is done on the connection at hand:
// db may allow only one.
func newJudgements(ctx context.Context, db *sql.DB, conn *sql.Conn) (*judgementStore, error) {
	j := &judgementStore{db: db, name: fmt.Sprintf("judged_%d", judgementsMade.Add(1))}
	if _, err := conn.ExecContext(ctx, "ATTACH ':memory:' AS "+j.name+" (READ_WRITE)"); err != nil {
		return nil, fmt.Errorf("a place for the judgements: %w", err)
	}
	return j, nil
}

// judgementsOf returns the judgements ctx shares on db, or new ones, made on conn (one
// of db's), that are not shared: the caller drops them (dropOn).
func judgementsOf(ctx context.Context, db *sql.DB, conn *sql.Conn) (*judgementStore, error) {
	if j, ok := ctx.Value(judgementsKey{}).(*judgementStore); ok && j.db == db && !j.isDropped() {
		return j, nil
	}
	return newJudgements(ctx, db, conn)
}

// dropOn drops every judgement kept, on conn.
func (j *judgementStore) dropOn(conn *sql.Conn) {
	j.mu.Lock()
	defer j.mu.Unlock()
	j.drop(conn.ExecContext)
}

func (j *judgementStore) drop(exec func(context.Context, string, ...any) (sql.Result, error)) {
	exec(context.Background(), "DETACH DATABASE IF EXISTS "+j.name)
	j.sets, j.dropped = nil, true
}

func (j *judgementStore) isDropped() bool {
	j.mu.Lock()
	defer j.mu.Unlock()
	return j.dropped
}

// dropCases drops the judged cases of every judgement kept, leaving the cases each
// target leaves to a narrower one: a driller that judged alone needs no more once it
// has gathered its period's judgements.
func (j *judgementStore) dropCases(ctx context.Context, conn *sql.Conn) error {
	j.mu.Lock()
	defer j.mu.Unlock()
	for _, s := range j.sets {
		if _, err := conn.ExecContext(ctx, "DROP TABLE "+s.table+"_cases"); err != nil {
			return err
		}
	}
	j.sets = nil
	return nil
}

// use makes the views _case_judgements and _excluded_cases on conn the judgement of
// the cases against targets (written in _case_targets) under s (written in
// _settings), holding at least the rows that periods within span read: the rows of
// those targets in a judgement kept that holds each of them with the same settings
// and over span, or a new judgement, then kept.
func (j *judgementStore) use(ctx context.Context, conn *sql.Conn, s Settings, targets []CaseTarget, span Period) error {
	settings, err := json.Marshal(s)
	if err != nil {
		return err
	}
	want := make(map[string]string, len(targets))
	ids := make([]string, 0, len(targets))
	for _, t := range targets {
		b, err := json.Marshal(t)
		if err != nil {
			return err
		}
		want[t.ID], ids = string(b), append(ids, t.ID)
	}
	// A target whose narrower targets are not all wanted is judged without them,
	// as it would be alone: no judgement kept holds it.
	closed := true
	for _, t := range targets {
		for _, id := range t.Excludes {
			if _, ok := want[id]; !ok {
				closed = false
			}
		}
	}
	j.mu.Lock()
	defer j.mu.Unlock()
	from, to := span.Start, span.End
	if j.shared {
		from, to = time.Time{}, time.Time{}
	}
	var set *judgedSet
	if closed {
		set = j.find(string(settings), want, from, to)
	}
	if set == nil {
		start, end := "NULL::TIMESTAMPTZ", "NULL::TIMESTAMPTZ"
		if !from.IsZero() {
			start, end = "'"+from.Format(time.RFC3339Nano)+"'::TIMESTAMPTZ", "'"+to.Format(time.RFC3339Nano)+"'::TIMESTAMPTZ"
		}
		if _, err := conn.ExecContext(ctx, "CREATE OR REPLACE TEMP TABLE _judge_window AS SELECT "+start+" AS start_at, "+end+" AS end_at"); err != nil {
			return err
		}
		j.made++
		table := fmt.Sprintf("%s.j%d", j.name, j.made)
		judge := strings.NewReplacer("{{excluded}}", table+"_excluded", "{{judged}}", table+"_cases").Replace(sqlfiles.Judgements)
		if _, err := conn.ExecContext(ctx, judge); err != nil {
			return fmt.Errorf("cases judged against their limits: %w", err)
		}
		j.sets = append(j.sets, judgedSet{from: from, to: to, settings: string(settings), targets: want, table: table, closed: closed})
		set = &j.sets[len(j.sets)-1]
	}
	var only string
	if len(set.targets) > len(want) {
		only = fmt.Sprintf(" WHERE list_contains(%s::VARCHAR[], target_id)", sqlList(ids))
	}
	_, err = conn.ExecContext(ctx, "CREATE OR REPLACE TEMP VIEW _excluded_cases AS SELECT * FROM "+set.table+"_excluded"+only+
		"; CREATE OR REPLACE TEMP VIEW _case_judgements AS SELECT * FROM "+set.table+"_cases"+only)
	return err
}

// find returns the judgement kept under settings that holds every target wanted as it
// is, over the span from–to (zero: every period), or nil. A target's cases depend
// only on it and on the narrower targets it names, which are among those wanted; a
// span within a kept one reads a part of its rows.
func (j *judgementStore) find(settings string, want map[string]string, from, to time.Time) *judgedSet {
	for i, s := range j.sets {
		if !s.closed || s.settings != settings {
			continue
		}
		if !s.from.IsZero() && (from.IsZero() || from.Before(s.from) || to.After(s.to)) {
			continue
		}
		holds := true
		for id, t := range want {
			if s.targets[id] != t {
				holds = false
				break
			}
		}
		if holds {
			return &j.sets[i]
		}
	}
	return nil
}

// withNarrower returns the targets of all that are wanted or narrower than a wanted one
// (Excludes, at any depth), in their order in all.
func withNarrower(all []CaseTarget, want map[string]bool) []CaseTarget {
	byID := make(map[string]CaseTarget, len(all))
	for _, t := range all {
		byID[t.ID] = t
	}
	keep := map[string]bool{}
	var add func(id string)
	add = func(id string) {
		if keep[id] {
			return
		}
		keep[id] = true
		for _, n := range byID[id].Excludes {
			add(n)
		}
	}
	for id := range want {
		add(id)
	}
	var out []CaseTarget
	for _, t := range all {
		if keep[t.ID] {
			out = append(out, t)
		}
	}
	return out
}
