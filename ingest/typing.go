package ingest

import (
	"fmt"
	"sort"
	"strings"
)

// typingPlan is what the typing query needs to know about one staged file.
type typingPlan struct {
	kind      Kind
	staged    map[string]bool              // canonical columns present in _stage
	constants map[string]string            // canonical columns fixed by the profile
	codes     map[string]map[string]string // source code → canonical, per column
	districts int                          // rows in the districts list
	skipped   bool                         // the reader skipped records (see writeSkipped)
}

// typedSQL builds the query that turns the VARCHAR staging table into typed values and,
// for every row, the list of its problems. A row with no problem loads; a row with any
// goes to the rejects table, one line per problem. Doing this in one set-based query
// keeps the rules identical for every file format and fast on millions of rows.
func typedSQL(p typingPlan) string {
	var parsed, outer, problems []string
	joins := ""
	for _, c := range p.kind.Columns {
		raw := "NULL::VARCHAR"
		switch {
		case p.staged[c.Name]:
			raw = fmt.Sprintf("nullif(trim(s.%s), '')", ident(c.Name))
		case p.constants[c.Name] != "":
			raw = literal(p.constants[c.Name])
		}
		value := translated(raw, c, p.codes[c.Name])
		rawRef := ident("raw$" + c.Name) // what a problem quotes back to the user
		expr, why := parseExpr(value, rawRef, c)
		if c.Name == "district" && p.kind.Name != "districts" {
			expr, why, joins = districtExpr(value, rawRef, p.districts)
		}
		parsed = append(parsed, fmt.Sprintf("%s AS %s, %s AS %s", raw, ident("raw$"+c.Name), expr, ident(c.Name)))
		outer = append(outer, ident(c.Name))
		problems = append(problems, columnProblems(c, why)...)
	}
	problems = append(problems, rowProblems(p.kind)...)
	record := "s.rowid"
	if p.skipped {
		record = "s.rowid + (SELECT count(*) FROM _skipped_rank k WHERE k.d <= s.rowid)"
	}
	return fmt.Sprintf(`CREATE OR REPLACE TEMP TABLE _typed AS
WITH parsed AS (
    SELECT %s AS _rec, s._line,
        %s
    FROM _stage s%s
)
SELECT _rec, _line, %s,
    list_filter([
        %s
    ], p -> p IS NOT NULL) AS _problems
FROM parsed`,
		record, strings.Join(parsed, ",\n        "), joins,
		strings.Join(outer, ", "),
		strings.Join(problems, ",\n        "))
}

// translated maps source codes to canonical ones (case-insensitively), so that the
// profile's 高压 → hv_single and a plain "Power" → power both reach the cast.
func translated(raw string, c Column, codes map[string]string) string {
	m := map[string]string{}
	for _, code := range c.Codes {
		m[strings.ToLower(code)] = code
	}
	for from, to := range codes {
		m[strings.ToLower(strings.TrimSpace(from))] = to
	}
	if len(m) == 0 {
		return raw
	}
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var b strings.Builder
	fmt.Fprintf(&b, "CASE lower(%s)", raw)
	for _, k := range keys {
		fmt.Fprintf(&b, " WHEN %s THEN %s", literal(k), literal(m[k]))
	}
	fmt.Fprintf(&b, " ELSE %s END", raw)
	return b.String()
}

const (
	trueWords  = "'true', '1', 'yes', 'y', 't', '是', '有', '√'"
	falseWords = "'false', '0', 'no', 'n', 'f', '否', '无', '×'"
)

// parseExpr returns the SQL that types a translated value, and the reason given when
// a value is present but does not parse.
func parseExpr(v, rawRef string, c Column) (expr, reason string) {
	quoted := fmt.Sprintf(`'"' || %s || '"'`, rawRef)
	number := fmt.Sprintf("try_cast(replace(%s, ',', '') AS DOUBLE)", v)
	switch {
	case len(c.Codes) > 0:
		return fmt.Sprintf("try_cast(%s AS %s)", v, c.Type),
			fmt.Sprintf(`%s || ' is not a known code; use one of %s, or map it in a --mapping profile'`, quoted, strings.Join(c.Codes, ", "))
	case c.Type == "TIMESTAMP WITH TIME ZONE":
		// 2024/3/5 and 2024年3月5日 become 2024-3-5, which the cast reads; a value
		// without an offset is read in the session time zone.
		norm := fmt.Sprintf("trim(replace(replace(replace(replace(%s, '年', '-'), '月', '-'), '日', ' '), '/', '-'))", v)
		return fmt.Sprintf("try_cast(%s AS TIMESTAMPTZ)", norm),
			quoted + ` || ' is not a date-time; write it as 2024-03-05 14:30:00, 2024-03-05T14:30:00+08:00, 2024/3/5 14:30 or 2024年3月5日 14:30'`
	case c.Type == "BOOLEAN":
		return fmt.Sprintf("CASE WHEN lower(%[1]s) IN (%[2]s) THEN true WHEN lower(%[1]s) IN (%[3]s) THEN false END", v, trueWords, falseWords),
			quoted + ` || ' is not true or false (是/否); map it in a --mapping profile'`
	case c.Type == "DATE": // months: 2024-03, 2024/3, 2024年3月 or a date in the month
		norm := fmt.Sprintf("trim(replace(replace(replace(replace(%s, '年', '-'), '月', ''), '日', ''), '/', '-'))", v)
		return fmt.Sprintf("CASE WHEN regexp_full_match(%[1]s, '\\d{4}-\\d{1,2}') THEN try_cast(%[1]s || '-01' AS DATE) ELSE date_trunc('month', try_cast(%[1]s AS DATE)) END", norm),
			quoted + ` || ' is not a month; write it as 2024-03'`
	case c.Type == "TINYINT" || c.Type == "INTEGER" || c.Type == "BIGINT":
		return fmt.Sprintf("CASE WHEN %[1]s = trunc(%[1]s) THEN try_cast(%[1]s AS %[2]s) END", number, c.Type),
			quoted + ` || ' is not a whole number'`
	case c.Type == "DOUBLE" || strings.HasPrefix(c.Type, "DECIMAL"):
		return fmt.Sprintf("try_cast(%s AS %s)", number, c.Type), quoted + ` || ' is not a number'`
	default:
		return v, "''"
	}
}

// districtExpr matches a district given by code or by name to its code through the
// districts list. Without a list, only codes are accepted: a name cannot be matched.
func districtExpr(v, rawRef string, listed int) (expr, reason, joins string) {
	quoted := fmt.Sprintf(`'"' || %s || '"'`, rawRef)
	if listed == 0 {
		return fmt.Sprintf("CASE WHEN regexp_full_match(%s, '\\d{6}') THEN %[1]s END", v),
			quoted + ` || ' is not a 6-digit district code, and no districts list is loaded to match a name; load one (kind districts) first'`, ""
	}
	joins = fmt.Sprintf(`
    LEFT JOIN (SELECT district AS code FROM districts) dc ON dc.code = %[1]s
    LEFT JOIN (SELECT name, min(district) AS code FROM districts GROUP BY name) dn ON dn.name = %[1]s`, v)
	return "coalesce(dc.code, dn.code)",
		quoted + ` || ' is neither a code nor a name in the districts list; fix it or add the district to the list'`, joins
}

func problem(column, value, reason string) string {
	return fmt.Sprintf("{'column': %s, 'value': %s, 'reason': %s}", literal(column), value, reason)
}

// columnProblems lists the checks of one column: present when required, parsable,
// not negative where it is a count or quantity, and a plausible year for times.
func columnProblems(c Column, unparsable string) []string {
	raw, val := ident("raw$"+c.Name), ident(c.Name)
	var out []string
	if c.Required {
		out = append(out, fmt.Sprintf("CASE WHEN %s IS NULL THEN %s END", raw, problem(c.Name, "NULL", "'required value is missing'")))
	}
	out = append(out, fmt.Sprintf("CASE WHEN %s IS NOT NULL AND %s IS NULL THEN %s END", raw, val, problem(c.Name, raw, unparsable)))
	switch {
	case c.Type == "TINYINT" || c.Type == "INTEGER" || c.Type == "BIGINT" || c.Type == "DOUBLE" || strings.HasPrefix(c.Type, "DECIMAL"):
		out = append(out, fmt.Sprintf("CASE WHEN %s < 0 THEN %s END", val, problem(c.Name, raw, `'"' || `+raw+` || '" is negative; a count or quantity cannot be'`)))
	case c.Type == "TIMESTAMP WITH TIME ZONE":
		out = append(out, fmt.Sprintf("CASE WHEN %[1]s < TIMESTAMPTZ '1990-01-01' OR %[1]s >= TIMESTAMPTZ '2100-01-01' THEN %[2]s END", val,
			problem(c.Name, raw, `'"' || `+raw+` || '" has an implausible year'`)))
	}
	return out
}

// rowProblems are the checks across columns of a row.
func rowProblems(k Kind) []string {
	var out []string
	for _, iv := range k.Intervals {
		start, end := iv[0], iv[1]
		out = append(out, fmt.Sprintf("CASE WHEN %[2]s < %[1]s THEN %[3]s END", ident(start), ident(end),
			problem(end, ident("raw$"+end), fmt.Sprintf(`'%s ' || %s::VARCHAR || ' is before %s ' || %s::VARCHAR`, end, ident(end), start, ident(start)))))
	}
	if _, ok := k.Column("rating"); ok {
		out = append(out, fmt.Sprintf("CASE WHEN rating NOT BETWEEN 1 AND 5 THEN %s END",
			problem("rating", ident("raw$rating"), `'rating "' || rating || '" is outside 1 (非常不满意) to 5 (非常满意)'`)))
	}
	if _, ok := k.Column("customer_class"); ok {
		var arms []string
		for _, u := range []string{"power", "water", "gas", "telecom"} {
			arms = append(arms, fmt.Sprintf("WHEN '%s' THEN %s", u, sqlList(classesOf[u])))
		}
		allowed := "CASE utility::VARCHAR " + strings.Join(arms, " ") + " END"
		out = append(out, fmt.Sprintf("CASE WHEN NOT list_contains(%s, customer_class::VARCHAR) THEN %s END", allowed,
			problem("customer_class", ident("raw$customer_class"), fmt.Sprintf(`'customer class ' || customer_class::VARCHAR || ' is not a ' || utility::VARCHAR || ' class; use one of ' || array_to_string(%s, ', ')`, allowed))))
	}
	return out
}

func sqlList(items []string) string {
	q := make([]string, len(items))
	for i, s := range items {
		q[i] = literal(s)
	}
	return "[" + strings.Join(q, ", ") + "]"
}

// ident quotes an SQL identifier.
func ident(s string) string { return `"` + strings.ReplaceAll(s, `"`, `""`) + `"` }

// literal quotes an SQL string literal.
func literal(s string) string { return "'" + strings.ReplaceAll(s, "'", "''") + "'" }
