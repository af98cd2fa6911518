package sqlfiles

import (
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"
)

// Inline writes out, in a query, every call of the scalar macros that calendar.sql and
// views.sql define, as DuckDB itself expands them: each parameter of the body replaced
// by its argument, until no call is left. The macros' own definitions are left as
// written.
//
// The macros stay the one definition of each clock and limit; the queries are sent
// written out because of how DuckDB 1.5 passes a row to a macro. A macro given a table
// alias (target_covers(t, c), connection_time_of(ci, c)) receives the whole row packed
// into a struct, once for every call and every nested call, and unpacks the one field
// it reads: on the judgement of a million cases, a third of its time (docs/scale.md,
// "Rows handed to macros"). Written out, c.applied_at is a column again.
func Inline(query string) string {
	return inline(query, macros)
}

// macro is a scalar macro of calendar.sql or views.sql: its parameters and its body,
// as written (tokens) and with the calls in it written out, where each parameter is
// a placeholder token: a call then costs one pass over its body.
type macro struct {
	params   []string
	body     []string
	expanded []string
	lambdas  []string // the lambda parameters of expanded (h in h -> h[2] - h[1])
}

// placeholder stands for the k-th parameter in an expanded body: no SQL token begins
// with a NUL, so no name of the body can be taken for it.
func placeholder(k int) string { return "\x00" + strconv.Itoa(k) }

// macros are the scalar macros of calendar.sql and views.sql, read from their text.
var macros = readMacros(calendarSQL + "\n" + viewsSQL)

// readMacros reads every "CREATE OR REPLACE MACRO name(params) AS body;" of script (the
// body ends at the first semicolon outside strings and comments), then writes out the
// calls in each body.
func readMacros(script string) map[string]*macro {
	out := map[string]*macro{}
	toks := tokenize(script)
	for i := 0; i < len(toks); i++ {
		d, ok := macroDefinition(toks, i)
		if !ok {
			continue
		}
		var body []string
		for j := d.body; j < d.end; j++ {
			if isComment(toks[j]) {
				// Dropped with the whitespace after it, which one line break stands for.
				if j+1 < d.end && isSpace(toks[j+1]) {
					j++
				}
				body = append(body, "\n")
				continue
			}
			body = append(body, toks[j])
		}
		out[d.name] = &macro{params: d.params, body: trimSpace(body)}
		i = d.end
	}
	for name := range out {
		expandBody(name, out, map[string]bool{})
	}
	return out
}

// definition is where a macro's definition lies among tokens: its body from the
// token at body to the one before end, the semicolon (or the end of the tokens).
type definition struct {
	name      string
	params    []string
	body, end int
}

var macroHead = regexp.MustCompile(`^CREATE\s+OR\s+REPLACE\s+MACRO\s+(\w+)\s*\(([^)]*)\)\s*AS$`)

// macroDefinition reads the definition of a scalar macro that begins at toks[i], if
// one does.
func macroDefinition(toks []string, i int) (definition, bool) {
	if toks[i] != "CREATE" || !startsStatement(toks, i) {
		return definition{}, false
	}
	// The head ends at the first AS: no parameter is named AS.
	j := i
	for j < len(toks) && toks[j] != "AS" {
		j++
	}
	head := macroHead.FindStringSubmatch(strings.Join(toks[i:min(j+1, len(toks))], ""))
	if head == nil {
		return definition{}, false
	}
	d := definition{name: head[1], body: j + 1, end: j + 1}
	for d.end < len(toks) && toks[d.end] != ";" {
		d.end++
	}
	for _, p := range strings.Split(head[2], ",") {
		if p = strings.TrimSpace(p); p != "" {
			d.params = append(d.params, p)
		}
	}
	return d, true
}

// expandBody writes out the calls in the body of the macro name, after those of the
// macros it calls; calling marks the macros being expanded, to refuse a macro that
// calls itself, which DuckDB refuses too.
func expandBody(name string, macros map[string]*macro, calling map[string]bool) {
	m := macros[name]
	if m.expanded != nil {
		return
	}
	if calling[name] {
		panic("sqlfiles: the macro " + name + " calls itself")
	}
	calling[name] = true
	for k, t := range m.body {
		if _, ok := macros[t]; ok && k+1 < len(m.body) && m.body[k+1] == "(" {
			expandBody(t, macros, calling)
		}
	}
	delete(calling, name)
	at := make(map[string][]string, len(m.params))
	for k, p := range m.params {
		at[p] = []string{placeholder(k)}
	}
	m.expanded = expand(substitute(m.body, at), macros)
	for k, t := range m.expanded {
		if t == "->" {
			m.lambdas = append(m.lambdas, previousWord(m.expanded, k))
		}
	}
}

// substitute replaces in body each name that args has, but a field (after a dot).
func substitute(body []string, args map[string][]string) []string {
	out := make([]string, 0, len(body))
	for k, t := range body {
		if a, ok := args[t]; ok && previousWord(body, k) != "." {
			out = append(out, a...)
		} else {
			out = append(out, t)
		}
	}
	return out
}

// startsStatement tells whether the token at i begins a statement: the first token of
// the script, or the first after a semicolon, whitespace and comments aside.
func startsStatement(toks []string, i int) bool {
	for k := i - 1; k >= 0; k-- {
		switch {
		case toks[k] == ";":
			return true
		case isSpace(toks[k]) || isComment(toks[k]):
		default:
			return false
		}
	}
	return true
}

// inline writes out the calls of macros in query.
func inline(query string, macros map[string]*macro) string {
	return strings.Join(expand(tokenize(query), macros), "")
}

// expand writes out the calls of macros in toks: each call's arguments are written
// out, then put in place of the placeholders of the macro's expanded body.
func expand(toks []string, macros map[string]*macro) []string {
	out := make([]string, 0, len(toks))
	for i := 0; i < len(toks); i++ {
		// A macro's own definition is kept as written: the macro stays in the
		// database for queries written by hand, and is created at every open.
		if d, ok := macroDefinition(toks, i); ok {
			out = append(out, toks[i:d.end]...)
			i = d.end - 1
			continue
		}
		m, ok := macros[toks[i]]
		if !ok || i+1 >= len(toks) || toks[i+1] != "(" || previousWord(toks, i) == "." {
			out = append(out, toks[i])
			continue
		}
		args, end := arguments(toks, i+1)
		if len(args) != len(m.params) {
			panic(fmt.Sprintf("sqlfiles: %s takes %d arguments, called with %d: %s", toks[i], len(m.params), len(args), strings.Join(toks[i:end+1], "")))
		}
		at := make(map[string][]string, len(args))
		for k := range m.params {
			at[placeholder(k)] = asOperand(expand(args[k], macros))
		}
		checkLambdas(toks[i], m, at)
		out = append(out, "(")
		for _, t := range m.expanded {
			if a, ok := at[t]; ok {
				out = append(out, a...)
			} else {
				out = append(out, t)
			}
		}
		out = append(out, ")")
		i = end
	}
	return out
}

// arguments splits the call whose opening parenthesis is toks[open] into its
// arguments (their tokens, whitespace trimmed) and returns the index of its closing
// parenthesis.
func arguments(toks []string, open int) ([][]string, int) {
	var args [][]string
	var arg []string
	depth := 0
	for k := open; k < len(toks); k++ {
		switch t := toks[k]; {
		case t == "(" || t == "[":
			depth++
			if depth == 1 {
				continue
			}
		case t == ")" || t == "]":
			depth--
			if depth == 0 {
				if arg = trimSpace(arg); len(arg) > 0 || len(args) > 0 {
					args = append(args, arg)
				}
				return args, k
			}
		case t == "," && depth == 1:
			args = append(args, trimSpace(arg))
			arg = nil
			continue
		}
		arg = append(arg, toks[k])
	}
	panic("sqlfiles: a macro call without its closing parenthesis: " + strings.Join(toks[open:], ""))
}

// asOperand keeps an argument one operand wherever the body puts it: a name, a
// qualified name or a literal as it is, anything else in parentheses.
func asOperand(arg []string) []string {
	if isName(arg) || len(arg) == 1 && isLiteral(arg[0]) {
		return arg
	}
	return append(append([]string{"("}, arg...), ")")
}

// isName tells whether toks are a name, qualified or not (c, cs.c, t.metric_id).
func isName(toks []string) bool {
	if len(toks)%2 == 0 {
		return false
	}
	for k, t := range toks {
		if k%2 == 0 && !isWord(t) || k%2 == 1 && t != "." {
			return false
		}
	}
	return true
}

// isWord tells whether a token is a name, or a parameter's placeholder, which is put
// in place as one operand.
func isWord(t string) bool {
	c := t[0]
	return c == '_' || c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c == 0
}

// isLiteral tells whether a token is a string or a number.
func isLiteral(t string) bool {
	c := t[0]
	return c == '\'' || c >= '0' && c <= '9' || c == '.'
}

func trimSpace(toks []string) []string {
	for len(toks) > 0 && isSpace(toks[0]) {
		toks = toks[1:]
	}
	for len(toks) > 0 && isSpace(toks[len(toks)-1]) {
		toks = toks[:len(toks)-1]
	}
	return toks
}

// checkLambdas refuses an argument that names a lambda parameter of the body, or of
// a macro it calls: written out, the lambda could capture it.
func checkLambdas(name string, m *macro, args map[string][]string) {
	for _, param := range m.lambdas {
		for _, a := range args {
			if slices.Contains(a, param) {
				panic(fmt.Sprintf("sqlfiles: an argument of %s names %s, a lambda parameter of its body", name, param))
			}
		}
	}
}

// previousWord is the token before toks[i], whitespace and comments aside.
func previousWord(toks []string, i int) string {
	for k := i - 1; k >= 0; k-- {
		if !isSpace(toks[k]) && !isComment(toks[k]) {
			return toks[k]
		}
	}
	return ""
}

// tokenize splits SQL into tokens, as far as inlining needs: a string literal, a
// quoted name, a comment, a word, a number (1e-9 is one, not 1 and a name e), a run
// of whitespace, the arrow of a lambda, or one other character.
func tokenize(s string) []string {
	var toks []string
	for i := 0; i < len(s); {
		n := tokenLength(s[i:])
		toks = append(toks, s[i:i+n])
		i += n
	}
	return toks
}

// tokenLength is the length of the token that s begins with.
func tokenLength(s string) int {
	c := s[0]
	switch {
	case c == '\'' || c == '"':
		for i := 1; i < len(s); i++ {
			if s[i] == c {
				if i+1 < len(s) && s[i+1] == c { // a doubled quote stays inside
					i++
					continue
				}
				return i + 1
			}
		}
		return len(s)
	case strings.HasPrefix(s, "--"):
		if i := strings.IndexByte(s, '\n'); i >= 0 {
			return i
		}
		return len(s)
	case strings.HasPrefix(s, "/*"):
		if i := strings.Index(s[2:], "*/"); i >= 0 {
			return i + 4
		}
		return len(s)
	case strings.HasPrefix(s, "->"):
		return 2
	case isNameByte(c) && !isDigit(c):
		i := 1
		for i < len(s) && isNameByte(s[i]) {
			i++
		}
		return i
	case isDigit(c) || c == '.' && len(s) > 1 && isDigit(s[1]):
		i := 1
		for i < len(s) && (isDigit(s[i]) || s[i] == '.') {
			i++
		}
		if i+1 < len(s) && (s[i] == 'e' || s[i] == 'E') {
			j := i + 1
			if s[j] == '-' || s[j] == '+' {
				j++
			}
			if j < len(s) && isDigit(s[j]) {
				for i = j; i < len(s) && isDigit(s[i]); i++ {
				}
			}
		}
		return i
	case c == ' ' || c == '\t' || c == '\n' || c == '\r':
		i := 1
		for i < len(s) && (s[i] == ' ' || s[i] == '\t' || s[i] == '\n' || s[i] == '\r') {
			i++
		}
		return i
	}
	_, n := utf8.DecodeRuneInString(s)
	return n
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }
func isNameByte(c byte) bool {
	return c == '_' || isDigit(c) || c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z'
}

func isSpace(t string) bool   { return strings.TrimSpace(t) == "" }
func isComment(t string) bool { return strings.HasPrefix(t, "--") || strings.HasPrefix(t, "/*") }
