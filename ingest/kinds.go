package ingest

import (
	"context"
	"database/sql"
	"fmt"
	"io/fs"
	"regexp"
	"sort"
	"strings"

	sqlfiles "github.com/utilscore/utilscore/sql"
	metricsql "github.com/utilscore/utilscore/sql/metrics"
)

// Column is one canonical input column, as the schema declares it.
type Column struct {
	Name     string
	Type     string   // DuckDB type: VARCHAR, TIMESTAMP WITH TIME ZONE, BOOLEAN, BIGINT, an ENUM name…
	Required bool     // NOT NULL in the schema
	Codes    []string // the allowed codes when Type is an ENUM
}

// Kind is one kind of input file (spec/inputs.md) and the table it loads into.
type Kind struct {
	Name    string
	Columns []Column // data columns, in schema order (load_id and source_line excluded)
	Key     []string // identifies a record across exports
	// Versioned kinds keep every superseded version in case_history.
	Versioned bool
	// Intervals are pairs (start, end) where an end before its start is rejected.
	Intervals [][2]string
	// Lenient are the optional columns no figure reads: a bad value in one loads the
	// row with the field empty and a warning, instead of rejecting the row.
	Lenient map[string]bool
}

// kindRules are the facts about each kind that a CREATE TABLE cannot state.
var kindRules = []Kind{
	{Name: "cases", Key: []string{"utility", "case_id"}, Versioned: true,
		Intervals: [][2]string{{"applied_at", "connected_at"}, {"applied_at", "closed_at"}}},
	{Name: "case_events", Key: []string{"utility", "case_id", "stage", "occurred_at"}},
	{Name: "outages", Key: []string{"utility", "outage_id"}, Intervals: [][2]string{{"start_at", "end_at"}}},
	{Name: "customer_base", Key: []string{"utility", "district", "area_type", "month"}},
	{Name: "tickets", Key: []string{"utility", "ticket_id"},
		Intervals: [][2]string{{"received_at", "closed_at"}, {"received_at", "responded_at"}}},
	{Name: "evaluations", Key: []string{"utility", "evaluation_id"}, Intervals: [][2]string{{"rated_at", "rectified_at"}}},
	{Name: "water_balance", Key: []string{"utility", "district", "month"}},
	{Name: "districts", Key: []string{"district"}},
}

// classesOf lists the customer classes each utility may use (spec/inputs.md).
var classesOf = map[string][]string{
	"power":   {"residential", "lv_zero", "lv_nonres", "hv_single", "hv_dual"},
	"water":   {"residential", "nonres_dn40", "nonres_dn100", "nonres_large", "real_estate"},
	"gas":     {"residential", "nonres_general", "nonres_large"},
	"telecom": {"individual", "business", "key_account"},
}

// lineageColumns are added by the loader, never read from a file.
var lineageColumns = map[string]bool{"load_id": true, "source_row": true}

// Kinds reads the kinds' columns back from the database schema.
func Kinds(ctx context.Context, db *sql.DB) (_ []Kind, err error) {
	defer wrap(&err, "reading the kinds of log from the schema")
	kinds := make([]Kind, len(kindRules))
	copy(kinds, kindRules)
	for i := range kinds {
		rows, err := db.QueryContext(ctx, `
			SELECT column_name, data_type, is_nullable = 'NO'
			FROM information_schema.columns
			WHERE table_schema = 'main' AND table_name = ?
			ORDER BY ordinal_position`, kinds[i].Name)
		if err != nil {
			return nil, err
		}
		for rows.Next() {
			var c Column
			if err := rows.Scan(&c.Name, &c.Type, &c.Required); err != nil {
				rows.Close()
				return nil, err
			}
			if lineageColumns[c.Name] {
				continue
			}
			c.Codes = enumCodes(c.Type)
			kinds[i].Columns = append(kinds[i].Columns, c)
		}
		rows.Close()
		if len(kinds[i].Columns) == 0 {
			return nil, fmt.Errorf("schema has no table %s", kinds[i].Name)
		}
	}
	used, err := figureWords()
	if err != nil {
		return nil, err
	}
	for i, k := range kinds {
		kinds[i].Lenient = map[string]bool{}
		for _, c := range k.Columns {
			if !c.Required && !isKey(k, c.Name) && !used[c.Name] && !inInterval(k, c.Name) {
				kinds[i].Lenient[c.Name] = true
			}
		}
	}
	return kinds, nil
}

// figureWords are the words of every query behind a figure, the audit and the
// overdue list: a column none of them names is read by no figure. Reading the
// queries themselves keeps this from drifting from what the figures use.
func figureWords() (map[string]bool, error) {
	texts := []string{sqlfiles.Views, sqlfiles.Audit, sqlfiles.Overdue, sqlfiles.Histogram}
	files, err := fs.Glob(metricsql.Files, "*.sql")
	if err != nil {
		return nil, err
	}
	for _, f := range files {
		b, err := fs.ReadFile(metricsql.Files, f)
		if err != nil {
			return nil, err
		}
		texts = append(texts, string(b))
	}
	words := map[string]bool{}
	for _, t := range texts {
		for _, w := range sqlWord.FindAllString(t, -1) {
			words[strings.ToLower(w)] = true
		}
	}
	return words, nil
}

var sqlWord = regexp.MustCompile(`[A-Za-z_][A-Za-z0-9_]*`)

func inInterval(k Kind, column string) bool {
	for _, iv := range k.Intervals {
		if iv[0] == column || iv[1] == column {
			return true
		}
	}
	return false
}

// enumCodes reads the code list out of an ENUM('a', 'b') type, or nil for other types.
func enumCodes(typ string) []string {
	if !strings.HasPrefix(typ, "ENUM(") {
		return nil
	}
	inner := strings.TrimSuffix(strings.TrimPrefix(typ, "ENUM("), ")")
	var codes []string
	for _, q := range strings.Split(inner, ", ") {
		codes = append(codes, strings.Trim(q, "'"))
	}
	return codes
}

// Column returns the kind's column of that name.
func (k Kind) Column(name string) (Column, bool) {
	for _, c := range k.Columns {
		if c.Name == name {
			return c, true
		}
	}
	return Column{}, false
}

func (k Kind) columnSet() map[string]bool {
	set := map[string]bool{}
	for _, c := range k.Columns {
		set[c.Name] = true
	}
	return set
}

// missing lists the required columns absent from present.
func (k Kind) missing(present map[string]bool) []string {
	var out []string
	for _, c := range k.Columns {
		if c.Required && !present[c.Name] {
			out = append(out, c.Name)
		}
	}
	return out
}

// detectKind picks the kind whose required columns the file has; when several fit,
// the one that uses most of the file's columns.
func detectKind(kinds []Kind, present map[string]bool) (Kind, error) {
	best, bestScore, tie := -1, -1, false
	for i, k := range kinds {
		if len(k.missing(present)) > 0 {
			continue
		}
		score := 0
		for c := range present {
			if _, ok := k.Column(c); ok {
				score++
			}
		}
		switch {
		case score > bestScore:
			best, bestScore, tie = i, score, false
		case score == bestScore:
			tie = true
		}
	}
	if best >= 0 && !tie {
		return kinds[best], nil
	}
	if tie {
		return Kind{}, fmt.Errorf("its headers fit more than one kind of log; say which with --kind")
	}
	// Explain against the closest kind, so the message lists what is missing.
	var msgs []string
	for _, k := range kinds {
		msgs = append(msgs, fmt.Sprintf("%s lacks %s", k.Name, strings.Join(k.missing(present), ", ")))
	}
	sort.Slice(msgs, func(i, j int) bool { return strings.Count(msgs[i], ",") < strings.Count(msgs[j], ",") })
	return Kind{}, fmt.Errorf("its headers fit no kind of log (%s); map the headers with a --mapping profile or name the kind with --kind", strings.Join(msgs[:min(3, len(msgs))], "; "))
}

func kindByName(kinds []Kind, name string) (Kind, error) {
	var names []string
	for _, k := range kinds {
		if k.Name == name {
			return k, nil
		}
		names = append(names, k.Name)
	}
	return Kind{}, fmt.Errorf("unknown kind %q; the kinds are %s", name, strings.Join(names, ", "))
}
