package ingest

import (
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

// isIdentifier tells whether a column identifies something: the kind's key and
// every *_id text column.
func isIdentifier(k Kind, c Column) bool {
	return c.Type == "VARCHAR" && (isKey(k, c.Name) || strings.HasSuffix(c.Name, "_id"))
}

// keyFunction is normalizeKey as an SQL function, for the typing query.
const keyFunction = "utilscore_normal_key"

// normalKeySQL is the SQL of an identifier's normal form. Only values that are not
// plain printable ASCII are handed to Go, so a clean export costs one pattern match
// per identifier.
func normalKeySQL(v string) string {
	return fmt.Sprintf("CASE WHEN regexp_full_match(%[1]s, '[!-~]+( [!-~]+)*') THEN %[1]s ELSE %[2]s(%[1]s) END", v, keyFunction)
}

type normalKeyFunction struct{}

func (normalKeyFunction) Config() duckdb.ScalarFuncConfig {
	varchar, _ := duckdb.NewTypeInfo(duckdb.TYPE_VARCHAR)
	return duckdb.ScalarFuncConfig{InputTypeInfos: []duckdb.TypeInfo{varchar}, ResultTypeInfo: varchar}
}

func (normalKeyFunction) Executor() duckdb.ScalarFuncExecutor {
	return duckdb.ScalarFuncExecutor{RowExecutor: func(args []driver.Value) (any, error) {
		s, _ := args[0].(string)
		return normalizeKey(s), nil
	}}
}
