package sqlfiles

import (
	"fmt"
	"regexp"
	"strings"
)

// Inline writes out, in a query, every call of the scalar macros that calendar.sql and
// views.sql define, as DuckDB itself expands them: each parameter of the body replaced
// by its argument, until no call is left.
//
// The macros stay the one definition of each clock and limit; the queries are sent
// written out because of how DuckDB 1.5 passes a row to a macro. A macro given a table
// alias (target_covers(t, c), connection_time_of(ci, c)) receives the whole row packed
// into a struct, once for every call and every nested call, and unpacks the one field
// it reads: on the judgement of a million cases, a third of its time (docs/scale.md,
// "Rows handed to macros"). Written out, c.applied_at is a column again.
func Inline(query string) string {
	return inline(query, macros, 0)
}

// macro is a scalar macro of calendar.sql or views.sql: its parameters and its body.
type macro struct {
	params []string
	body   []string // tokens
}

// macros are the scalar macros of calendar.sql and views.sql, read from their text.
var macros = readMacros(calendarSQL + "\n" + viewsSQL)

var macroHead = regexp.MustCompile(`^CREATE\s+OR\s+REPLACE\s+MACRO\s+(\w+)\s*\(([^)]*)\)\s*AS$`)

// readMacros reads every "CREATE OR REPLACE MACRO name(params) AS body;" of script; the
// body ends at the first semicolon outside strings and comments.
func readMacros(script string) map[string]macro {
	out := map[string]macro{}
	toks := tokenize(script)
	for i := 0; i < len(toks); i++ {
		if toks[i] != "CREATE" || !startsStatement(toks, i) {
			continue
		}
		// The head ends at the first AS: no parameter is named AS.
		j := i
		for j < len(toks) && toks[j] != "AS" {
			j++
		}
		head := macroHead.FindStringSubmatch(strings.Join(toks[i:min(j+1, len(toks))], ""))
		if head == nil {
			continue
		}
		j++
		var body []string
		for ; j < len(toks) && toks[j] != ";"; j++ {
			if isComment(toks[j]) {
				// Dropped with the whitespace after it, which one line break stands for.
				if j+1 < len(toks) && isSpace(toks[j+1]) {
					j++
				}
				body = append(body, "\n")
				continue
			}
			body = append(body, toks[j])
		}
		for len(body) > 0 && isSpace(body[0]) {
			body = body[1:]
		}
		for len(body) > 0 && isSpace(body[len(body)-1]) {
			body = body[:len(body)-1]
		}
		var params []string
		for _, p := range strings.Split(head[2], ",") {
			if p = strings.TrimSpace(p); p != "" {
				params = append(params, p)
			}
		}
		out[head[1]] = macro{params: params, body: body}
		i = j
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

// inline writes out the calls of macros in query. depth guards against a macro that
// calls itself, which DuckDB refuses too.
func inline(query string, macros map[string]macro, depth int) string {
	if depth > 32 {
		panic("sqlfiles: macros nested more than 32 deep: " + query)
	}
	toks := tokenize(query)
	var out strings.Builder
	for i := 0; i < len(toks); i++ {
		m, ok := macros[toks[i]]
		if !ok || i+1 >= len(toks) || toks[i+1] != "(" || previousWord(toks, i) == "." || previousWord(toks, i) == "MACRO" {
			out.WriteString(toks[i])
			continue
		}
		args, end := arguments(toks, i+1)
		if len(args) != len(m.params) {
			panic(fmt.Sprintf("sqlfiles: %s takes %d arguments, called with %d: %s", toks[i], len(m.params), len(args), strings.Join(toks[i:end+1], "")))
		}
		with := map[string]string{}
		for k, p := range m.params {
			with[p] = asOperand(args[k])
		}
		checkLambdas(toks[i], m, args)
		var body strings.Builder
		for k, t := range m.body {
			if a, ok := with[t]; ok && previousWord(m.body, k) != "." {
				body.WriteString(a)
			} else {
				body.WriteString(t)
			}
		}
		out.WriteString("(" + inline(body.String(), macros, depth+1) + ")")
		i = end
	}
	return out.String()
}

// arguments splits the call whose opening parenthesis is toks[open] into its
// arguments (as text, trimmed) and returns the index of its closing parenthesis.
func arguments(toks []string, open int) ([]string, int) {
	var args []string
	var arg strings.Builder
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
				if a := strings.TrimSpace(arg.String()); a != "" || len(args) > 0 {
					args = append(args, a)
				}
				return args, k
			}
		case t == "," && depth == 1:
			args = append(args, strings.TrimSpace(arg.String()))
			arg.Reset()
			continue
		}
		arg.WriteString(toks[k])
	}
	panic("sqlfiles: a macro call without its closing parenthesis: " + strings.Join(toks[open:], ""))
}

// asOperand keeps an argument one operand wherever the body puts it: a name or a
// literal as it is, anything else in parentheses.
func asOperand(arg string) string {
	if simpleArgument.MatchString(arg) {
		return arg
	}
	return "(" + arg + ")"
}

var simpleArgument = regexp.MustCompile(`^(?:[A-Za-z_][A-Za-z0-9_.]*|[0-9.]+|'(?:[^']|'')*')$`)

// checkLambdas refuses an argument that names a lambda parameter of the body (h in
// h -> h[2] - h[1]): written out, the lambda would capture it.
func checkLambdas(name string, m macro, args []string) {
	for k, t := range m.body {
		if t != "->" {
			continue
		}
		param := previousWord(m.body, k)
		for _, a := range args {
			for _, w := range tokenize(a) {
				if w == param {
					panic(fmt.Sprintf("sqlfiles: an argument of %s names %s, a lambda parameter of its body", name, param))
				}
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

// token is one token of SQL, as far as inlining needs: a string literal, a quoted
// name, a comment, a word, a number (1e-9 is one, not 1 and a name e), a run of
// whitespace, the arrow of a lambda, or one other character.
var token = regexp.MustCompile(`'(?:[^']|'')*'|"(?:[^"]|"")*"|--[^\n]*|/\*(?s:.*?)\*/|[A-Za-z_][A-Za-z0-9_]*|[0-9]*\.?[0-9]+(?:[eE][-+]?[0-9]+)?|\s+|->|.`)

func tokenize(s string) []string { return token.FindAllString(s, -1) }

func isSpace(t string) bool   { return strings.TrimSpace(t) == "" }
func isComment(t string) bool { return strings.HasPrefix(t, "--") || strings.HasPrefix(t, "/*") }
