package ingest

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
)

// stageParquet lets DuckDB read the file, straight into the typing query; typed
// Parquet columns are turned to text so that one typing query serves every format.
// The columns are named as the file's schema writes them (DuckDB renames a second
// column differing only in case), and the rows typed are checked against the row
// count in the file's metadata.
func stageParquet(ctx context.Context, conn *sql.Conn, src source, o readerOptions) (*staged, error) {
	unreadable := func(err error) error {
		return fmt.Errorf("not a readable Parquet file (%s); export it again", oneLine(err))
	}
	var described []string
	if err := queryStrings(ctx, conn, &described, "SELECT column_name FROM (DESCRIBE SELECT * FROM read_parquet("+literal(src.path)+"))"); err != nil {
		return nil, unreadable(err)
	}
	var headers []string
	// The leaves of the schema's root, in order: what the writer named the columns.
	if err := queryStrings(ctx, conn, &headers, "SELECT name FROM parquet_schema("+literal(src.path)+") WHERE num_children IS NULL OR num_children = 0"); err != nil {
		return nil, unreadable(err)
	}
	if len(headers) != len(described) {
		headers = described // nested columns: matched by DuckDB's names
	}
	cm, err := mapHeaders(headers, o.profile, o.kinds, o.kind)
	if err != nil {
		return nil, err
	}
	st := cm.staged(formatParquet, "parquet")
	var selected []string
	for _, c := range cm.stagedColumns() {
		selected = append(selected, fmt.Sprintf("CAST(%s AS VARCHAR) AS %s", ident(described[cm.index[c]]), ident(c)))
	}
	rows := fmt.Sprintf(`(SELECT file_row_number AS _rec, file_row_number + 1 AS _line, %s
		FROM read_parquet(%s, file_row_number = true))`, strings.Join(selected, ", "), literal(src.path))
	if err := typeRows(ctx, conn, o.typed(st, rows)); err != nil {
		return nil, unreadable(err)
	}
	var inFile int64
	if err := conn.QueryRowContext(ctx, "SELECT coalesce(sum(num_rows), 0) FROM parquet_file_metadata("+literal(src.path)+")").Scan(&inFile); err != nil {
		return nil, unreadable(err)
	}
	if err := conn.QueryRowContext(ctx, "SELECT count(*) FROM _typed_rows").Scan(&st.records); err != nil {
		return nil, err
	}
	if st.records != inFile {
		return nil, fmt.Errorf("the file's metadata says %d rows but %d could be read; export it again", inFile, st.records)
	}
	return st, nil
}

func queryStrings(ctx context.Context, conn *sql.Conn, out *[]string, q string) error {
	rows, err := conn.QueryContext(ctx, q)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			return err
		}
		*out = append(*out, s)
	}
	return rows.Err()
}

// peekParquet reads the column names.
func peekParquet(ctx context.Context, db *sql.DB, src source, _ string) ([]string, error) {
	conn, err := db.Conn(ctx)
	if err != nil {
		return nil, err
	}
	defer conn.Close()
	var names []string
	err = queryStrings(ctx, conn, &names, "SELECT column_name FROM (DESCRIBE SELECT * FROM read_parquet("+literal(src.path)+"))")
	return names, err
}
