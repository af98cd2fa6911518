package ingest

import (
	"fmt"
	"strings"
)

// The SQL that settles which version of a record is kept (spec/inputs.md, loading
// rules): the latest recorded_at wins, else the latest file; every version that loses
// is kept in case_history for versioned kinds, so the integrity audit can see stage
// times that changed after the fact.

func keyMatch(k Kind, a, b string) string {
	var parts []string
	for _, c := range k.Key {
		parts = append(parts, fmt.Sprintf("%s.%s = %s.%s", a, ident(c), b, ident(c)))
	}
	return strings.Join(parts, " AND ")
}

func dataColumns(k Kind, alias string) string {
	var cols []string
	for _, c := range k.Columns {
		if alias != "" {
			cols = append(cols, alias+"."+ident(c.Name))
		} else {
			cols = append(cols, ident(c.Name))
		}
	}
	return strings.Join(cols, ", ")
}

// contentHash fingerprints a row's data columns; text keeps it independent of how
// each side typed its codes.
func contentHash(k Kind, alias string) string {
	var cols []string
	for _, c := range k.Columns {
		cols = append(cols, fmt.Sprintf("%s.%s::VARCHAR", alias, ident(c.Name)))
	}
	return "hash([" + strings.Join(cols, ", ") + "])"
}

// recordedAt is the column that orders versions, or NULL for kinds without one.
func recordedAt(k Kind, alias string) string {
	if _, ok := k.Column("recorded_at"); ok {
		return alias + ".recorded_at"
	}
	return "NULL::TIMESTAMPTZ"
}

func keyList(k Kind) string {
	var cols []string
	for _, c := range k.Key {
		cols = append(cols, ident(c))
	}
	return strings.Join(cols, ", ")
}

// repeatedKeysSQL counts keys that appear more than once among the file's good rows;
// most files have none, and then the version sorting below is skipped.
func repeatedKeysSQL(k Kind) string {
	return fmt.Sprintf(`SELECT count(*) FROM (SELECT 1 FROM _typed WHERE len(_problems) = 0 GROUP BY %s HAVING count(*) > 1)`, keyList(k))
}

// duplicatesSQL picks each key's version within the file into _win. Rows sharing a key
// and recorded_at but differing in content are ambiguous: all of them are rejected
// rather than one chosen by chance. Older versions go to _superseded.
func duplicatesSQL(k Kind, repeated bool) []string {
	if !repeated {
		return []string{
			`CREATE OR REPLACE TEMP TABLE _ambiguous (_rec BIGINT, _line BIGINT, reason VARCHAR)`,
			`CREATE OR REPLACE TEMP VIEW _win AS SELECT * EXCLUDE (_problems, _warnings) FROM _typed WHERE len(_problems) = 0`,
			`CREATE OR REPLACE TEMP VIEW _superseded AS SELECT * FROM _win LIMIT 0`,
		}
	}
	var keyDesc []string
	for _, c := range k.Key {
		keyDesc = append(keyDesc, fmt.Sprintf("g.%s::VARCHAR", ident(c)))
	}
	return []string{
		fmt.Sprintf(`CREATE OR REPLACE TEMP VIEW _good AS
			SELECT * EXCLUDE (_problems, _warnings), %s AS _hash, %s AS _at FROM _typed t WHERE len(_problems) = 0`,
			contentHash(k, "t"), recordedAt(k, "t")),
		fmt.Sprintf(`CREATE OR REPLACE TEMP TABLE _ambiguous AS
			SELECT g._rec, g._line,
			       'another row of this file has the same %s (' || concat_ws(', ', %s) || ') and recorded_at but different content; which one is right cannot be told' AS reason
			FROM _good g
			JOIN (SELECT %s, _at FROM _good GROUP BY ALL HAVING count(DISTINCT _hash) > 1) a
			  ON %s AND g._at IS NOT DISTINCT FROM a._at`,
			strings.Join(k.Key, ", "), strings.Join(keyDesc, ", "), keyList(k), keyMatch(k, "g", "a")),
		fmt.Sprintf(`CREATE OR REPLACE TEMP TABLE _win AS
			SELECT * EXCLUDE (_hash, _at) FROM _good
			WHERE _rec NOT IN (SELECT _rec FROM _ambiguous)
			QUALIFY row_number() OVER (PARTITION BY %s ORDER BY _at DESC NULLS LAST, _rec DESC) = 1`, keyList(k)),
		fmt.Sprintf(`CREATE OR REPLACE TEMP TABLE _superseded AS
			SELECT g.* EXCLUDE (_hash, _at) FROM _good g
			WHERE g._rec NOT IN (SELECT _rec FROM _ambiguous) AND g._rec NOT IN (SELECT _rec FROM _win)
			  AND NOT EXISTS (SELECT 1 FROM _good w JOIN _win USING (_rec) WHERE %s AND w._hash = g._hash)`, keyMatch(k, "w", "g")),
	}
}

// mergeSQL writes the file's winning versions into the kind's table.
//
// The stored versions of the file's keys are found through the key columns alone,
// and their content is then read by row id, which DuckDB turns into a filter on the
// scan: only the row groups holding them are read. So a night costs about the same
// whatever the history holds, where joining the whole table on the key read every
// column of every stored row, three times.
func mergeSQL(k Kind, loadID int64) []string {
	table := ident(k.Name)
	differs := "st._hash <> i._hash"
	incomingWins := "true"
	if _, ok := k.Column("recorded_at"); ok {
		incomingWins = "(st._at IS NULL OR i._at IS NULL OR i._at >= st._at)"
	}
	cols := dataColumns(k, "")
	wcols := dataColumns(k, "w")
	// Both sides are brought down to a fingerprint and a time before they are
	// compared, so the joins that compare them carry a few numbers a row: joining
	// the file's whole rows with a million stored versions is what ran out of memory
	// under the load's memory limit.
	q := []string{
		fmt.Sprintf(`CREATE OR REPLACE TEMP TABLE _match AS
			SELECT s.rowid AS _rid, w._rec FROM %s s JOIN _win w ON %s`, table, keyMatch(k, "s", "w")),
		fmt.Sprintf(`CREATE OR REPLACE TEMP TABLE _stored AS
			SELECT m._rid, m._rec, s.load_id AS _by_load, %s AS _hash, %s AS _at
			FROM %s s JOIN _match m ON s.rowid = m._rid`, contentHash(k, "s"), recordedAt(k, "s"), table),
		fmt.Sprintf(`CREATE OR REPLACE TEMP TABLE _incoming AS
			SELECT w._rec, %s AS _hash, %s AS _at FROM _win w WHERE w._rec IN (SELECT _rec FROM _match)`,
			contentHash(k, "w"), recordedAt(k, "w")),
		fmt.Sprintf(`CREATE OR REPLACE TEMP TABLE _replaced AS
			SELECT st._rid FROM _stored st JOIN _incoming i USING (_rec) WHERE %s AND %s`, differs, incomingWins),
		fmt.Sprintf(`CREATE OR REPLACE TEMP TABLE _lost AS
			SELECT i._rec, st._by_load AS by_load FROM _stored st JOIN _incoming i USING (_rec) WHERE %s AND NOT %s`, differs, incomingWins),
	}
	if k.Versioned {
		q = append(q, fmt.Sprintf(`INSERT INTO case_history SELECT *, %d FROM %s WHERE rowid IN (SELECT _rid FROM _replaced)`, loadID, table))
	}
	q = append(q,
		fmt.Sprintf(`DELETE FROM %s WHERE rowid IN (SELECT _rid FROM _replaced)`, table),
		// A key whose stored version stays (the same content, or a newer one) is not
		// inserted again.
		fmt.Sprintf(`INSERT INTO %[1]s (%[2]s, load_id, source_row)
			SELECT %[3]s, %[4]d, w._rec + 1 FROM _win w
			WHERE w._rec NOT IN (SELECT _rec FROM _stored WHERE _rid NOT IN (SELECT _rid FROM _replaced))`, table, cols, wcols, loadID))
	if k.Versioned {
		q = append(q,
			fmt.Sprintf(`INSERT INTO case_history (%[1]s, load_id, source_row, superseded_by_load)
				SELECT %[2]s, %[3]d, w._rec + 1, l.by_load FROM _win w JOIN _lost l USING (_rec)`, cols, wcols, loadID),
			fmt.Sprintf(`INSERT INTO case_history (%[1]s, load_id, source_row, superseded_by_load)
				SELECT %[2]s, %[3]d, w._rec + 1, %[3]d FROM _superseded w`, cols, wcols, loadID))
	}
	return q
}
