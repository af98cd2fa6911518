package ingest

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"fmt"
	"strings"
	"unicode"

	"github.com/duckdb/duckdb-go/v2"
	"golang.org/x/text/unicode/norm"
)

// normalizeKey is the form in which an identifier identifies a record: without the
// white space, NULs, byte-order marks and zero-width characters an export may leave
// around it, and in Unicode NFKC, so that "Ｃ１" and " C1\t" are the case C1.
func normalizeKey(s string) string {
	s = strings.TrimFunc(s, func(r rune) bool {
		switch r {
		case 0, '\ufeff', '\u200b', '\u200c', '\u200d', '\u2060':
			return true
		}
		return unicode.IsSpace(r)
	})
	return norm.NFKC.String(s)
}

// identifierColumns lists the staged text columns that identify something: the kind's
// key and every *_id column.
func identifierColumns(st *staged) []string {
	var out []string
	for _, c := range st.kind.Columns {
		if st.columns[c.Name] && c.Type == "VARCHAR" && (isKey(st.kind, c.Name) || strings.HasSuffix(c.Name, "_id")) {
			out = append(out, c.Name)
		}
	}
	return out
}

// normalizeKeys rewrites the identifiers in _stage to their normal form. Only values
// that are not plain printable ASCII are looked at in Go, so a clean export costs one
// scan per identifier column.
func normalizeKeys(ctx context.Context, conn *sql.Conn, st *staged) error {
	for _, col := range identifierColumns(st) {
		var raw []string
		q := fmt.Sprintf(`SELECT DISTINCT %[1]s FROM _stage WHERE %[1]s IS NOT NULL AND NOT regexp_full_match(%[1]s, '[!-~]+( [!-~]+)*')`, ident(col))
		if err := queryStrings(ctx, conn, &raw, q); err != nil {
			return err
		}
		var from, to []string
		for _, v := range raw {
			if n := normalizeKey(v); n != v {
				from, to = append(from, v), append(to, n)
			}
		}
		if len(from) == 0 {
			continue
		}
		if _, err := conn.ExecContext(ctx, "CREATE OR REPLACE TEMP TABLE _keyfix (raw VARCHAR, norm VARCHAR)"); err != nil {
			return err
		}
		err := conn.Raw(func(dc any) error {
			a, err := duckdb.NewAppender(dc.(driver.Conn), "temp", "main", "_keyfix")
			if err != nil {
				return err
			}
			for i := range from {
				var n driver.Value
				if to[i] != "" {
					n = to[i]
				}
				if err := a.AppendRow(from[i], n); err != nil {
					a.Close()
					return err
				}
			}
			return a.Close()
		})
		if err != nil {
			return err
		}
		if _, err := conn.ExecContext(ctx, fmt.Sprintf(`UPDATE _stage SET %[1]s = k.norm FROM _keyfix k WHERE _stage.%[1]s = k.raw`, ident(col))); err != nil {
			return err
		}
	}
	return nil
}
