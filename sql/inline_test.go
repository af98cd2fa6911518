package sqlfiles

import (
	"slices"
	"strings"
	"testing"
)

func TestInlineWritesOutMacroCalls(t *testing.T) {
	defs := readMacros(`
-- a comment; with a semicolon
CREATE OR REPLACE MACRO span(a, b) AS b - a;
CREATE OR REPLACE MACRO late(c, n) AS span(c.start_at, c.end_at) > n + 1e-9;
CREATE OR REPLACE MACRO covers(t, c) AS
    -- a comment inside the body; is dropped
    (t.utility IS NULL OR c.utility = t.utility) AND c.kind <> 'a;b';
CREATE OR REPLACE MACRO total(xs) AS list_sum(list_transform(xs, h -> h[2] - h[1]));
CREATE OR REPLACE VIEW v AS SELECT 1 AS one;
`)
	tests := []struct {
		name, query, want string
	}{
		{"a plain call", "SELECT span(x, y) FROM r", "SELECT (y - x) FROM r"},
		{"an expression is one operand", "SELECT span(x + 1, y * 2)", "SELECT ((y * 2) - (x + 1))"},
		{"a row and its fields; nested calls; a number with an exponent",
			"SELECT late(c, 5) FROM cases c", "SELECT ((c.end_at - c.start_at) > 5 + 1e-9) FROM cases c"},
		{"a row alias handed on", "SELECT late(cs.c, t.n)", "SELECT ((cs.c.end_at - cs.c.start_at) > t.n + 1e-9)"},
		{"fields named like a parameter stay", "SELECT covers(x, y)",
			"SELECT ((x.utility IS NULL OR y.utility = x.utility) AND y.kind <> 'a;b')"},
		{"strings, quoted names and comments are not calls",
			"SELECT 'span(a, b)', \"span\"(1) -- span(a, b)\n", "SELECT 'span(a, b)', \"span\"(1) -- span(a, b)\n"},
		{"a name after a dot is not a call", "SELECT m.span(a, b)", "SELECT m.span(a, b)"},
		{"a macro's own definition is kept as written",
			"CREATE OR REPLACE MACRO twice(a, b) AS span(a, b) * 2;\nSELECT span(1, 2);",
			"CREATE OR REPLACE MACRO twice(a, b) AS span(a, b) * 2;\nSELECT (2 - 1);"},
		{"commas inside brackets belong to one argument", "SELECT span(f(1, 2), [3, 4][1])",
			"SELECT (([3, 4][1]) - (f(1, 2)))"},
		{"a lambda of the body", "SELECT total(hours)", "SELECT (list_sum(list_transform(hours, h -> h[2] - h[1])))"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := inline(tt.query, defs); got != tt.want {
				t.Errorf("inline(%q)\n got %q\nwant %q", tt.query, got, tt.want)
			}
		})
	}
	if _, ok := defs["v"]; ok {
		t.Error("a view was read as a macro")
	}
}

func TestInlineRefusesWhatItCannotWriteOut(t *testing.T) {
	defs := readMacros("CREATE OR REPLACE MACRO span(a, b) AS b - a;\n" +
		"CREATE OR REPLACE MACRO total(xs) AS list_sum(list_transform(xs, h -> h[2] - h[1]));\n")
	for _, q := range []string{
		"SELECT span(x)",                 // too few arguments
		"SELECT span(x, y, z)",           // too many
		"SELECT total(list_value(h, 1))", // the lambda would capture h
		"SELECT span(x, y",               // never closed
	} {
		t.Run(q, func(t *testing.T) {
			defer func() {
				if recover() == nil {
					t.Errorf("inline(%q) did not refuse", q)
				}
			}()
			inline(q, defs)
		})
	}
}

// The files as sent call no macro of their own outside the macros' definitions:
// each call that takes a row would pack the row into a struct again.
func TestEmbeddedQueriesAreWrittenOut(t *testing.T) {
	if len(macros) < 40 {
		t.Fatalf("read %d macros from calendar.sql and views.sql; they define more than 40", len(macros))
	}
	for name, text := range map[string]string{
		"calendar.sql": Calendar, "views.sql": Views, "audit.sql": Audit, "overdue.sql": Overdue,
		"judgements.sql": Judgements, "histogram.sql": Histogram, "drill.sql": Drill,
		"drill_cases.sql": DrillCases, "batch_days.sql": BatchDays,
	} {
		toks := tokenize(text)
		for i := 0; i < len(toks); i++ {
			if d, ok := macroDefinition(toks, i); ok {
				i = d.end
				continue
			}
			if _, ok := macros[toks[i]]; ok && i+1 < len(toks) && toks[i+1] == "(" && previousWord(toks, i) != "." {
				t.Errorf("%s still calls %s: %s", name, toks[i], strings.Join(toks[i:min(i+8, len(toks))], ""))
			}
		}
	}
}

func TestTokenize(t *testing.T) {
	tests := []struct {
		in   string
		want []string
	}{
		{"a.b_1 'it''s' \"x\"\"y\"", []string{"a", ".", "b_1", " ", "'it''s'", " ", `"x""y"`}},
		{"1.5e-3+2e+4 .5 1e", []string{"1.5e-3", "+", "2e+4", " ", ".5", " ", "1", "e"}},
		{"x -- 注释 ;\n/* a; b */h -> h[2]", []string{"x", " ", "-- 注释 ;", "\n", "/* a; b */", "h", " ", "->", " ", "h", "[", "2", "]"}},
		{"'未完", []string{"'未完"}},
		{"名称", []string{"名", "称"}},
	}
	for _, tt := range tests {
		if got := tokenize(tt.in); !slices.Equal(got, tt.want) {
			t.Errorf("tokenize(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}
