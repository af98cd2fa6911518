package ingest

import (
	"fmt"
	"sort"
	"strings"
)

// typingPlan is what the typing query needs to know about one file.
type typingPlan struct {
	kind Kind
	// from is the relation of the file's rows: _rec (the record's index among the
	// file's records), _line, then a VARCHAR for each canonical column read (see
	// rowsFunction).
	from      string
	staged    map[string]bool              // canonical columns present in from
	constants map[string]string            // canonical columns fixed by the profile
	codes     map[string]map[string]string // source code → canonical, per column
	zone      localZone                    // where times without an offset are placed
}

// typedSQL builds the query that turns the file's text values into typed values and,
// for every row, the list of its problems. A row with no problem loads; a row with any
// goes to the rejects table, one line per problem. Doing this in one set-based query
// keeps the rules identical for every file format and fast on millions of rows.
//
// It has three layers: raw trims each staged value once; parsed translates codes and
// types the values; the outer query tests the checks, and builds the list of problems
// only for the few rows that fail one, so clean rows pay for one OR of the checks.
func typedSQL(p typingPlan) string {
	var raws, parsed, outer, checks, problems, warnChecks, warnings []string
	for _, c := range p.kind.Columns {
		raw := "NULL::VARCHAR"
		value := "s." + ident(c.Name)
		if isIdentifier(p.kind, c) {
			value = normalKeySQL(value)
		}
		switch {
		case p.staged[c.Name] && (c.Type == "VARCHAR" && c.Required || isKey(p.kind, c.Name)):
			// Identifiers are trimmed so " C1" and "C1" are one case.
			raw = fmt.Sprintf("nullif(trim(%s), '')", value)
		case p.staged[c.Name]:
			// Other values are trimmed only on the slow path of their parse, where a
			// clean value has failed: trimming every cell costs more than parsing it.
			raw = fmt.Sprintf("nullif(%s, '')", value)
		case p.constants[c.Name] != "":
			raw = literal(p.constants[c.Name])
		}
		rawRef := ident("raw$" + c.Name) // what a problem quotes back to the user
		raws = append(raws, fmt.Sprintf("%s AS %s", raw, rawRef))
		timed := c.Type == "TIMESTAMP WITH TIME ZONE" && p.staged[c.Name]
		if timed {
			raws = append(raws, fmt.Sprintf("%s AS %s", canonicalLocalTime("s."+ident(c.Name)), ident("ts$"+c.Name)))
		}
		slowRaw := ""
		if timed {
			slowRaw = fmt.Sprintf("(CASE WHEN %s IS NULL THEN %s END)", ident("ts$"+c.Name), rawRef)
		}
		expr, why := parseExpr(rawRef, slowRaw, c, p.codes[c.Name], p.zone)
		if timed {
			ts := ident("ts$" + c.Name)
			expr = fmt.Sprintf("CASE WHEN %s IS NOT NULL THEN %s WHEN %s IS NOT NULL THEN %s END", ts, inZone(ts, p.zone), rawRef, expr)
		}
		if resolvesDistrict(p.kind, c.Name) {
			// Matched to a code by typedView; kept as text here.
			expr, why = translated(rawRef, p.codes[c.Name]), "''"
			if len(p.codes[c.Name]) == 0 {
				expr = fmt.Sprintf("trim(%s)", rawRef)
			}
			outer = append(outer, rawRef)
		}
		parsed = append(parsed, fmt.Sprintf("%s, %s AS %s", rawRef, expr, ident(c.Name)))
		outer = append(outer, ident(c.Name))
		for _, chk := range columnChecks(c, why) {
			if p.kind.Lenient[c.Name] {
				warnChecks = append(warnChecks, chk.failing)
				warnings = append(warnings, chk.problem())
				continue
			}
			checks = append(checks, chk.failing)
			problems = append(problems, chk.problem())
		}
	}
	for _, chk := range rowChecks(p.kind) {
		checks = append(checks, chk.failing)
		problems = append(problems, chk.problem())
	}
	// A lenient column's value that fails a check is stored empty, with a warning.
	warned := "NULL::STRUCT(\"column\" VARCHAR, \"value\" VARCHAR, reason VARCHAR)[]"
	if len(warnChecks) > 0 {
		warned = fmt.Sprintf(`CASE WHEN coalesce(%s, false) THEN list_filter([
        %s
    ], p -> p IS NOT NULL) END`, strings.Join(wrapAll(warnChecks), "\n        OR "), strings.Join(warnings, ",\n        "))
		for i, o := range outer {
			for c := range p.kind.Lenient {
				if o == ident(c) {
					outer[i] = fmt.Sprintf("CASE WHEN NOT (%s) THEN %s END AS %s", strings.Join(wrapAll(lenientChecks(p.kind, c)), " OR "), o, o)
				}
			}
		}
	}
	// The query is a pure projection of the file's rows, each carrying its record
	// number, so it need not keep them in file order (see typeRows).
	return fmt.Sprintf(`CREATE OR REPLACE TEMP TABLE _typed_rows AS
WITH raw AS (
    SELECT s._rec, s._line,
        %s
    FROM %s s
), parsed AS (
    SELECT _rec, _line,
        %s
    FROM raw
)
SELECT _rec, _line, %s,
    CASE WHEN coalesce(%s, false) THEN list_filter([
        %s
    ], p -> p IS NOT NULL) ELSE [] END AS _problems,
    %s AS _warnings
FROM parsed`,
		strings.Join(raws, ",\n        "),
		p.from,
		strings.Join(parsed, ",\n        "),
		strings.Join(outer, ", "),
		strings.Join(wrapAll(checks), "\n        OR "),
		strings.Join(problems, ",\n        "),
		warned)
}

// lenientChecks are the failing conditions of a lenient column's checks.
func lenientChecks(k Kind, column string) []string {
	c, _ := k.Column(column)
	var out []string
	for _, chk := range columnChecks(c, "''") {
		out = append(out, chk.failing)
	}
	return out
}

// check is one validation: the condition under which a row fails it, and the problem
// it then records.
type check struct {
	failing, column, value, reason string
}

func (c check) problem() string {
	return fmt.Sprintf("CASE WHEN %s THEN {'column': %s, 'value': %s, 'reason': %s} END", c.failing, literal(c.column), c.value, c.reason)
}

// wrapAll turns each condition into one that is false, not NULL, where its operands are NULL.
func wrapAll(conds []string) []string {
	out := make([]string, len(conds))
	for i, c := range conds {
		out[i] = "coalesce(" + c + ", false)"
	}
	return out
}

// translated maps source codes to canonical ones through the profile, case- and
// space-insensitively, with one map look-up per value however many codes it lists.
// Values the profile does not name pass through.
func translated(v string, codes map[string]string) string {
	if len(codes) == 0 {
		return v
	}
	keys := make([]string, 0, len(codes))
	for k := range codes {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	pairs := make([]string, 0, len(keys))
	seen := map[string]bool{}
	for _, k := range keys {
		key := strings.ToLower(strings.TrimSpace(k))
		if !seen[key] {
			seen[key] = true
			pairs = append(pairs, literal(key)+": "+literal(codes[k]))
		}
	}
	return fmt.Sprintf("coalesce(MAP {%s}[lower(trim(%s))], trim(%s))", strings.Join(pairs, ", "), v, v)
}

func isKey(k Kind, column string) bool {
	for _, c := range k.Key {
		if c == column {
			return true
		}
	}
	return false
}

// fastPathSafe tells whether a clean value can be cast directly: not when the profile
// maps one of the column's own codes to another, which the direct cast would miss.
func fastPathSafe(c Column, codes map[string]string) bool {
	for from, to := range codes {
		for _, code := range c.Codes {
			if strings.EqualFold(strings.TrimSpace(from), code) && to != code {
				return false
			}
		}
	}
	return true
}

const (
	trueWords  = "'true', '1', 'yes', 'y', 't', '是', '有', '√'"
	falseWords = "'false', '0', 'no', 'n', 'f', '否', '无', '×'"
)

// parseExpr returns the SQL that types a raw value, and the reason given when a value
// is present but does not parse. Each type tries the direct cast of a clean value
// first; only a value that fails it is trimmed, translated and normalised, so that a
// clean export, the common case, pays for one cast per cell.
//
// The slow path reads its value through a guard that is NULL where the fast path
// succeeded: DuckDB computes a repeated subexpression once for every row, before any
// CASE or coalesce could skip it, so an unguarded slow path would be paid on every cell.
// slowRaw, when set, is that guarded value already (times: see typedSQL).
func parseExpr(raw, slowRaw string, c Column, codes map[string]string, zone localZone) (expr, reason string) {
	quoted := fmt.Sprintf(`'"' || %s || '"'`, raw)
	slowOf := func(v string) string {
		if len(codes) == 0 {
			return fmt.Sprintf("trim(%s)", v)
		}
		return translated(v, codes)
	}
	guarded := func(fast string) string { return fmt.Sprintf("(CASE WHEN %s IS NULL THEN %s END)", fast, raw) }
	withFastPath := func(cast func(string) string) string {
		if !fastPathSafe(c, codes) {
			return cast(slowOf(raw))
		}
		fast := cast(raw)
		return fmt.Sprintf("coalesce(%s, %s)", fast, cast(slowOf(guarded(fast))))
	}
	number := func(v string) string {
		if v == raw {
			return fmt.Sprintf("try_cast(%s AS DOUBLE)", v)
		}
		return fmt.Sprintf("try_cast(%s AS DOUBLE)", withoutGroupCommas(v))
	}
	switch {
	case len(c.Codes) > 0:
		// A case-insensitive match of a canonical code: "Power" is power.
		canonical := map[string]string{}
		for _, code := range c.Codes {
			canonical[code] = code
		}
		for k, v := range codes {
			canonical[k] = v
		}
		slowOf = func(v string) string { return translated(v, canonical) }
		return withFastPath(func(v string) string { return fmt.Sprintf("try_cast(%s AS %s)", v, c.Type) }),
			fmt.Sprintf(`%s || ' is not a known code; use one of %s, or map it in a --mapping profile'`, quoted, strings.Join(c.Codes, ", "))
	case c.Type == "TIMESTAMP WITH TIME ZONE":
		// 2024/3/5 and 2024年3月5日 become 2024-3-5. Each value is converted on its own
		// (see timeExpr); the cheap form is tried on the raw value first.
		if slowRaw == "" {
			slowRaw = raw
		}
		norm := fmt.Sprintf("trim(replace(replace(replace(replace(replace(%s, '年', '-'), '月', '-'), '日 ', ' '), '日', ' '), '/', '-'))", slowOf(slowRaw))
		return fmt.Sprintf("coalesce(%s, %s)", timeExpr(slowRaw, zone), timeExpr(norm, zone)),
			quoted + ` || ' is not a date-time; write it as 2024-03-05 14:30:00, 2024-03-05T14:30:00+08:00, 2024/3/5 14:30 or 2024年3月5日 14:30'`
	case c.Type == "BOOLEAN":
		fast := fmt.Sprintf("CASE %s WHEN 'true' THEN true WHEN 'false' THEN false END", raw)
		slow := slowOf(guarded(fast))
		return fmt.Sprintf("coalesce(%[1]s, CASE WHEN list_contains([%[3]s], lower(%[2]s)) THEN true WHEN list_contains([%[4]s], lower(%[2]s)) THEN false END)", fast, slow, trueWords, falseWords),
			quoted + ` || ' is not true or false (是/否); map it in a --mapping profile'`
	case c.Type == "DATE": // months: 2024-03, 2024/3, 2024年3月 or a date in the month
		norm := fmt.Sprintf("trim(replace(replace(replace(replace(%s, '年', '-'), '月', ''), '日', ''), '/', '-'))", slowOf(raw))
		return fmt.Sprintf("CASE WHEN regexp_full_match(%[1]s, '\\d{4}-\\d{1,2}') THEN try_cast(%[1]s || '-01' AS DATE) ELSE date_trunc('month', try_cast(%[1]s AS DATE)) END", norm),
			quoted + ` || ' is not a month; write it as 2024-03'`
	case c.Type == "TINYINT" || c.Type == "INTEGER" || c.Type == "BIGINT":
		return withFastPath(func(v string) string {
				return fmt.Sprintf("CASE WHEN %[1]s = trunc(%[1]s) THEN try_cast(%[1]s AS %[2]s) END", number(v), c.Type)
			}),
			quoted + ` || ' is not a whole number'`
	case c.Type == "DOUBLE" || strings.HasPrefix(c.Type, "DECIMAL"):
		return withFastPath(func(v string) string {
				if v == raw {
					return fmt.Sprintf("try_cast(%s AS %s)", v, c.Type)
				}
				return fmt.Sprintf("try_cast(%s AS %s)", withoutGroupCommas(v), c.Type)
			}),
			quoted + ` || ' is not a number'`
	default:
		if len(codes) > 0 {
			return slowOf(raw), "''"
		}
		return raw, "''"
	}
}

// withoutGroupCommas drops the commas of a number written with thousands groups
// (1,500 or 12,345.6); any other comma stays, so 1,5 is not a number rather than 15.
func withoutGroupCommas(v string) string {
	return fmt.Sprintf(`CASE WHEN regexp_full_match(%[1]s, '[+-]?\d{1,3}(,\d{3})+(\.\d*)?') THEN replace(%[1]s, ',', '') ELSE %[1]s END`, v)
}

// Times: a local date-time, or one followed by Z or a numeric offset. Zone names are
// not read: DuckDB's text-to-TIMESTAMPTZ cast carries a zone named in one value on to
// the next values of its batch, so no value is ever given that cast.
const (
	localTimePattern  = `\d{4}-\d{1,2}-\d{1,2}(?:[ T]\d{1,2}:\d{1,2}(?::\d{1,2}(?:\.\d{1,6})?)?)?`
	offsetTimePattern = `(` + localTimePattern + `) ?(Z|[+-]\d{2}(?::?\d{2})?)`
)

// canonicalLocalTime reads a value in the common form 2024-03-05 14:30:00, which
// fills its 19 characters and so holds no offset or zone name, as a TIMESTAMP; other
// values give NULL and take the general path. Reading it once, in the raw layer,
// spares the general path's pattern matching on nearly every cell.
func canonicalLocalTime(v string) string {
	return fmt.Sprintf(`CASE WHEN length(%[1]s) = 19 AND %[1]s[5] = '-' AND %[1]s[8] = '-' AND %[1]s[14] = ':' AND %[1]s[17] = ':'
		THEN try_cast(%[1]s AS TIMESTAMP) END`, v)
}

// inZone places a local TIMESTAMP in the zone, each value on its own.
func inZone(local string, zone localZone) string {
	rules := fmt.Sprintf("timezone(%s, %s)", literal(zone.name), local)
	if zone.since == 0 {
		return rules
	}
	return fmt.Sprintf("CASE WHEN %[1]s >= TIMESTAMP '%[2]d-01-01' THEN to_timestamp(epoch_us(%[1]s) / 1e6 - %[3]d) ELSE %[4]s END",
		local, zone.since, zone.offset, rules)
}

// timeExpr converts one text value to TIMESTAMPTZ, or NULL when it is not a time.
func timeExpr(v string, zone localZone) string {
	local := fmt.Sprintf("try_cast(%s AS TIMESTAMP)", v)
	part := func(i int) string { return fmt.Sprintf("regexp_extract(%s, '^%s$', %d)", v, offsetTimePattern, i) }
	offset := part(2)
	seconds := fmt.Sprintf(`(CASE WHEN %[1]s = 'Z' THEN 0 ELSE (CASE WHEN left(%[1]s, 1) = '-' THEN -1 ELSE 1 END) *
		(try_cast(substr(%[1]s, 2, 2) AS INTEGER) * 3600 + coalesce(try_cast(right(replace(%[1]s, ':', ''), 2) AS INTEGER) * (length(replace(%[1]s, ':', '')) = 5)::INTEGER, 0) * 60) END)`, offset)
	return fmt.Sprintf(`CASE WHEN regexp_full_match(%[1]s, '%[2]s') THEN %[3]s
		WHEN regexp_full_match(%[1]s, '%[4]s') THEN to_timestamp(epoch_us(try_cast(%[5]s AS TIMESTAMP)) / 1e6 - %[6]s) END`,
		v, localTimePattern, inZone(local, zone), offsetTimePattern, part(1), seconds)
}

// resolvesDistrict tells whether a column holds a district to be matched to the list.
func resolvesDistrict(k Kind, column string) bool {
	return column == "district" && k.Name != "districts"
}

// typedView matches the typed rows' districts to codes.
//
// A district given by name is matched to its code through the districts list; one the
// list does not know, or a name when there is no list, is a problem of the row.
func typedView(district bool, listed int) string {
	if !district {
		return "CREATE OR REPLACE TEMP VIEW _typed AS SELECT * FROM _typed_rows"
	}
	resolved := `CASE WHEN regexp_full_match(t.district, '\d{6}') THEN t.district END`
	reason := `'"' || t."raw$district" || '" is not a 6-digit district code, and no districts list is loaded to match a name; load one (kind districts) first'`
	joins := ""
	if listed > 0 {
		resolved = "coalesce(dc.code, dn.code)"
		reason = `'"' || t."raw$district" || '" is neither a code nor a name in the districts list; fix it or add the district to the list'`
		joins = `
		LEFT JOIN (SELECT DISTINCT district AS code FROM districts) dc ON dc.code = t.district
		LEFT JOIN (SELECT name, min(district) AS code FROM districts GROUP BY name) dn ON dn.name = t.district`
	}
	return fmt.Sprintf(`CREATE OR REPLACE TEMP VIEW _typed AS
		SELECT t.* EXCLUDE (district, _problems), %[1]s AS district,
			CASE WHEN t."raw$district" IS NOT NULL AND %[1]s IS NULL
			     THEN list_append(t._problems, {'column': 'district', 'value': t."raw$district", 'reason': %[2]s})
			     ELSE t._problems END AS _problems
		FROM _typed_rows t%[3]s`, resolved, reason, joins)
}

// columnChecks lists the checks of one column: present when required, parsable,
// not negative where it is a count or quantity, and a plausible year for times.
func columnChecks(c Column, unparsable string) []check {
	raw, val := ident("raw$"+c.Name), ident(c.Name)
	var out []check
	if c.Required {
		out = append(out, check{raw + " IS NULL", c.Name, "NULL", "'required value is missing'"})
	}
	out = append(out, check{fmt.Sprintf("%s IS NOT NULL AND %s IS NULL", raw, val), c.Name, raw, unparsable})
	switch {
	case c.Type == "DOUBLE":
		out = append(out, check{"NOT isfinite(" + val + ")", c.Name, raw, `'"' || ` + raw + ` || '" is not a finite number'`},
			check{val + " < 0", c.Name, raw, `'"' || ` + raw + ` || '" is negative; a count or quantity cannot be'`})
	case c.Type == "TINYINT" || c.Type == "INTEGER" || c.Type == "BIGINT" || strings.HasPrefix(c.Type, "DECIMAL"):
		out = append(out, check{val + " < 0", c.Name, raw, `'"' || ` + raw + ` || '" is negative; a count or quantity cannot be'`})
	case c.Type == "TIMESTAMP WITH TIME ZONE":
		out = append(out, check{fmt.Sprintf("(%[1]s < TIMESTAMPTZ '1990-01-01' OR %[1]s >= TIMESTAMPTZ '2100-01-01')", val), c.Name, raw,
			`'"' || ` + raw + ` || '" has an implausible year'`})
	}
	return out
}

// rowChecks are the checks across columns of a row.
func rowChecks(k Kind) []check {
	var out []check
	for _, iv := range k.Intervals {
		start, end := iv[0], iv[1]
		out = append(out, check{fmt.Sprintf("%s < %s", ident(end), ident(start)), end, ident("raw$" + end),
			fmt.Sprintf(`'%s ' || %s::VARCHAR || ' is before %s ' || %s::VARCHAR`, end, ident(end), start, ident(start))})
	}
	if _, ok := k.Column("rating"); ok {
		out = append(out, check{"rating NOT BETWEEN 1 AND 5", "rating", ident("raw$rating"),
			`'rating "' || rating || '" is outside 1 (非常不满意) to 5 (非常满意)'`})
	}
	if _, ok := k.Column("customer_class"); ok {
		var arms []string
		for _, u := range []string{"power", "water", "gas", "telecom"} {
			arms = append(arms, fmt.Sprintf("WHEN '%s' THEN %s", u, sqlList(classesOf[u])))
		}
		allowed := "CASE utility::VARCHAR " + strings.Join(arms, " ") + " END"
		out = append(out, check{fmt.Sprintf("NOT list_contains(%s, customer_class::VARCHAR)", allowed), "customer_class", ident("raw$customer_class"),
			fmt.Sprintf(`'customer class ' || customer_class::VARCHAR || ' is not a ' || utility::VARCHAR || ' class; use one of ' || array_to_string(%s, ', ')`, allowed)})
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
