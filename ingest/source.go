package ingest

import (
	"bufio"
	"bytes"
	"context"
	"database/sql"
	"database/sql/driver"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"

	"github.com/duckdb/duckdb-go/v2"
	"github.com/xuri/excelize/v2"
)

// File formats the loader reads.
const (
	formatCSV     = "csv"
	formatXLSX    = "xlsx"
	formatJSONL   = "jsonl"
	formatParquet = "parquet"
)

// formatOf tells the format from the file name.
func formatOf(path string) (format string, gzipped bool, err error) {
	name := strings.ToLower(filepath.Base(path))
	if strings.HasSuffix(name, ".gz") {
		gzipped, name = true, strings.TrimSuffix(name, ".gz")
	}
	switch filepath.Ext(name) {
	case ".csv", ".txt", ".tsv":
		return formatCSV, gzipped, nil
	case ".jsonl", ".ndjson":
		return formatJSONL, gzipped, nil
	case ".xlsx":
		if !gzipped {
			return formatXLSX, false, nil
		}
	case ".parquet":
		if !gzipped {
			return formatParquet, false, nil
		}
	case ".xls":
		return "", false, fmt.Errorf("the old .xls format is not read; save the sheet as .xlsx")
	}
	return "", false, fmt.Errorf("unknown file type; use .csv, .txt, .xlsx, .jsonl, .ndjson or .parquet (.csv and .jsonl may be .gz)")
}

// staged describes a file whose rows are in _stage, a temporary table or view with
// one VARCHAR column per canonical column found, plus _line (the physical line or
// sheet row, when the reader knows it), in file order.
type staged struct {
	// dropStage removes _stage once the rows are typed; afterTyping, when set, runs
	// then (a view over DuckDB's CSV reader learns of unsplittable rows only as it
	// is read).
	dropStage        string
	afterTyping      func(ctx context.Context, conn *sql.Conn) error
	format, encoding string
	kind             Kind
	columns          map[string]bool // canonical columns staged
	ignored          []string        // source headers no mapping knew
	// skipped are records that could not be split into columns; each was read and is
	// rejected. rec is the record's index among all the file's records.
	skipped []skippedRecord
	// csvDelim is set for CSV files read by DuckDB: their physical lines are found by
	// re-reading the text, only for rows that are rejected.
	csvDelim    rune
	textPath    string // the UTF-8 text DuckDB read (a decoded copy for other encodings)
	textGzipped bool
	cleanup     []func()
}

type skippedRecord struct {
	rec    int64
	line   int64 // 0 when unknown
	reason string
}

func (s *staged) close() {
	for _, f := range s.cleanup {
		f()
	}
}

// columnMap maps source headers to the columns of one kind.
type columnMap struct {
	kind    Kind
	index   map[string]int // canonical column → position among the source headers
	ignored []string
}

// mapHeaders matches the source headers to canonical columns and picks the kind.
func mapHeaders(headers []string, prof *MappingProfile, kinds []Kind, kindName string) (columnMap, error) {
	known := map[string]bool{}
	for _, k := range kinds {
		for _, c := range k.Columns {
			known[c.Name] = true
		}
	}
	index := map[string]int{}
	var unknown []string
	for i, h := range headers {
		if strings.TrimSpace(h) == "" {
			continue
		}
		canonical, ok := prof.canonicalColumn(h, known)
		if !ok {
			unknown = append(unknown, h)
			continue
		}
		if j, dup := index[canonical]; dup {
			return columnMap{}, fmt.Errorf("columns %q and %q both mean %s; drop one or map it elsewhere in a --mapping profile", headers[j], h, canonical)
		}
		index[canonical] = i
	}
	present := map[string]bool{}
	for c := range index {
		present[c] = true
	}
	for c := range prof.Constants {
		present[c] = true
	}
	if kindName == "" {
		kindName = prof.Kind
	}
	var kind Kind
	var err error
	if kindName != "" {
		if kind, err = kindByName(kinds, kindName); err == nil {
			if missing := kind.missing(present); len(missing) > 0 {
				err = fmt.Errorf("it lacks the required columns of %s: %s", kind.Name, strings.Join(missing, ", "))
			}
		}
	} else {
		kind, err = detectKind(kinds, present)
	}
	if err != nil {
		return columnMap{}, err
	}
	cm := columnMap{kind: kind, index: map[string]int{}, ignored: unknown}
	for c, i := range index {
		if _, ok := kind.Column(c); ok {
			cm.index[c] = i
		} else {
			cm.ignored = append(cm.ignored, headers[i])
		}
	}
	return cm, nil
}

// stagedColumns lists the kind's columns the file has, in schema order.
func (cm columnMap) stagedColumns() []string {
	var out []string
	for _, c := range cm.kind.Columns {
		if _, ok := cm.index[c.Name]; ok {
			out = append(out, c.Name)
		}
	}
	return out
}

func (cm columnMap) staged(format, enc string) *staged {
	st := &staged{format: format, encoding: enc, kind: cm.kind, columns: map[string]bool{}, ignored: cm.ignored,
		dropStage: "DROP TABLE _stage"}
	for c := range cm.index {
		st.columns[c] = true
	}
	return st
}

// readerOptions are the per-load settings the readers need.
type readerOptions struct {
	profile  *MappingProfile
	kinds    []Kind
	kind     string
	encoding string
}

// stageCSV makes _stage a view over DuckDB's CSV reader, so the rows are read once, by
// the typing query. Go reads only the header line (to map it and find the delimiter)
// and, for files not in UTF-8, writes a decoded copy.
func stageCSV(ctx context.Context, conn *sql.Conn, path string, gzipped bool, o readerOptions) (*staged, error) {
	text, err := openText(path, gzipped, o.encoding)
	if err != nil {
		return nil, err
	}
	defer text.Close()
	br := bufio.NewReader(text)
	firstRaw, err := br.ReadString('\n')
	if err != nil && !errors.Is(err, io.EOF) {
		return nil, fmt.Errorf("cannot read the header line: %w", err)
	}
	first := strings.TrimRight(strings.TrimPrefix(firstRaw, "\ufeff"), "\r\n")
	if strings.TrimSpace(first) == "" {
		return nil, fmt.Errorf("the file is empty or its first line is blank; the first line must hold the column headers")
	}
	delim := sniffDelimiter(first)
	hr := csv.NewReader(strings.NewReader(first))
	hr.Comma = delim
	headers, err := hr.Read()
	if err != nil {
		return nil, fmt.Errorf("cannot read the header line: %w", err)
	}
	cm, err := mapHeaders(headers, o.profile, o.kinds, o.kind)
	if err != nil {
		return nil, err
	}
	st := cm.staged(formatCSV, text.Encoding)
	st.csvDelim = delim
	st.textPath = path
	compression := "none"
	if text.Encoding == encUTF8 || text.Encoding == encUTF8BOM {
		if gzipped {
			compression, st.textGzipped = "gzip", true
		}
	} else {
		// DuckDB reads UTF-8 only (its encodings extension is not available offline):
		// write the decoded text beside the system's temporary files.
		tmp, err := os.CreateTemp("", "utilscore-*.csv")
		if err != nil {
			return nil, err
		}
		st.cleanup = append(st.cleanup, func() { os.Remove(tmp.Name()) })
		_, err = io.Copy(tmp, io.MultiReader(strings.NewReader(firstRaw), br))
		if cerr := tmp.Close(); err == nil {
			err = cerr
		}
		if err != nil {
			st.close()
			return nil, fmt.Errorf("cannot decode the %s text: %w", text.Encoding, err)
		}
		st.textPath = tmp.Name()
	}

	// Every column is read as VARCHAR under a name of our own: the canonical name when
	// the header is mapped, a placeholder otherwise. Typing happens in SQL afterwards.
	var colDefs []string
	for i := range headers {
		name := fmt.Sprintf("_unmapped_%d", i)
		for c, j := range cm.index {
			if j == i {
				name = c
			}
		}
		colDefs = append(colDefs, fmt.Sprintf("%s: 'VARCHAR'", literal(name)))
	}
	var selected []string
	for _, c := range cm.stagedColumns() {
		selected = append(selected, ident(c))
	}
	q := fmt.Sprintf(`CREATE OR REPLACE TEMP VIEW _stage AS
		SELECT NULL::BIGINT AS _line, %s
		FROM read_csv(%s, header = true, auto_detect = false, columns = {%s},
			delim = %s, quote = '"', escape = '"', compression = %s, encoding = 'utf-8',
			store_rejects = true, rejects_table = '_csv_rejects', rejects_scan = '_csv_scans')`,
		strings.Join(selected, ", "), literal(st.textPath), strings.Join(colDefs, ", "),
		literal(string(delim)), literal(compression))
	if _, err := conn.ExecContext(ctx, q); err != nil {
		st.close()
		return nil, fmt.Errorf("reading the CSV: %w", err)
	}
	st.dropStage = "DROP VIEW _stage"
	st.afterTyping = func(ctx context.Context, conn *sql.Conn) error {
		// DuckDB numbers records from 1 with the header as record 1.
		rows, err := conn.QueryContext(ctx, `SELECT line - 2, arg_min(error_message, column_idx) FROM _csv_rejects GROUP BY line ORDER BY line`)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var sk skippedRecord
			if err := rows.Scan(&sk.rec, &sk.reason); err != nil {
				return err
			}
			sk.reason = "the row cannot be split into the header's columns: " + sk.reason
			st.skipped = append(st.skipped, sk)
		}
		return rows.Err()
	}
	return st, nil
}

// sniffDelimiter picks the separator the header line uses most.
func sniffDelimiter(header string) rune {
	best, count := ',', 0
	for _, d := range []rune{',', '\t', ';', '|'} {
		if n := strings.Count(header, string(d)); n > count {
			best, count = d, n
		}
	}
	return best
}

// recordLines re-reads CSV text and returns the physical line on which each of the
// wanted records starts (records indexed from 0 after the header). A record ends at a
// newline outside quotes; counting quote characters per line is enough to know that
// (an escaped "" counts twice), and much faster than splitting the fields. Blank lines
// between records are not records, as for DuckDB's reader.
func recordLines(path string, gzipped bool, wanted map[int64]bool) (map[int64]int64, error) {
	text, err := openText(path, gzipped, encUTF8)
	if err != nil {
		return nil, err
	}
	defer text.Close()
	br := bufio.NewReaderSize(text, 1<<20)
	out := make(map[int64]int64, len(wanted))
	rec, line, start := int64(-1), int64(0), int64(0) // the header is record -1
	inQuotes := false
	for len(out) < len(wanted) {
		chunk, err := br.ReadSlice('\n')
		if len(chunk) > 0 {
			line++
			if !inQuotes {
				if len(bytes.TrimRight(chunk, "\r\n")) == 0 {
					continue // a blank line between records
				}
				start = line
			}
			// A line longer than the buffer arrives in pieces: only the last ends a line.
			for errors.Is(err, bufio.ErrBufferFull) {
				if bytes.Count(chunk, []byte{'"'})%2 == 1 {
					inQuotes = !inQuotes
				}
				chunk, err = br.ReadSlice('\n')
			}
			if bytes.Count(chunk, []byte{'"'})%2 == 1 {
				inQuotes = !inQuotes
			}
			if !inQuotes {
				if wanted[rec] {
					out[rec] = start
				}
				rec++
			}
		}
		if errors.Is(err, io.EOF) {
			break
		} else if err != nil {
			return out, err
		}
	}
	return out, nil
}

// rowSink appends staged rows from Go readers into _stage.
type rowSink struct {
	appender *duckdb.Appender
	columns  []string
	values   []driver.Value
}

func newRowSink(ctx context.Context, conn *sql.Conn, columns []string) (*rowSink, error) {
	defs := []string{"_line BIGINT"}
	for _, c := range columns {
		defs = append(defs, ident(c)+" VARCHAR")
	}
	if _, err := conn.ExecContext(ctx, "CREATE OR REPLACE TEMP TABLE _stage ("+strings.Join(defs, ", ")+")"); err != nil {
		return nil, err
	}
	sink := &rowSink{columns: columns, values: make([]driver.Value, len(columns)+1)}
	err := conn.Raw(func(dc any) error {
		a, err := duckdb.NewAppender(dc.(driver.Conn), "temp", "main", "_stage")
		sink.appender = a
		return err
	})
	return sink, err
}

// add appends one row; cells holds the value of each staged column ("" = missing).
func (s *rowSink) add(line int64, cells []string) error {
	s.values[0] = line
	for i, v := range cells {
		if v == "" {
			s.values[i+1] = nil
		} else {
			s.values[i+1] = v
		}
	}
	return s.appender.AppendRow(s.values...)
}

func (s *rowSink) close() error { return s.appender.Close() }

// stageXLSX streams the rows of one sheet into _stage. Cells are read raw, so a date
// cell arrives as its Excel serial number and is turned into a time here.
func stageXLSX(ctx context.Context, conn *sql.Conn, path string, o readerOptions) (*staged, error) {
	f, err := excelize.OpenFile(path)
	if err != nil {
		return nil, fmt.Errorf("not a readable .xlsx workbook: %w", err)
	}
	defer f.Close()
	sheet := o.profile.Sheet
	sheets := f.GetSheetList()
	if sheet == "" && len(sheets) > 0 {
		sheet = sheets[0]
	}
	if idx, _ := f.GetSheetIndex(sheet); idx < 0 {
		return nil, fmt.Errorf("the workbook has no sheet %q; its sheets are %s", sheet, strings.Join(sheets, ", "))
	}
	props, _ := f.GetWorkbookProps()
	date1904 := props.Date1904 != nil && *props.Date1904
	rows, err := f.Rows(sheet)
	if err != nil {
		return nil, err
	}
	defer rows.Close()

	var st *staged
	var cm columnMap
	var sink *rowSink
	var order []string
	var timeCols []bool
	sheetRow, rec := int64(0), int64(0)
	for rows.Next() {
		sheetRow++
		cells, err := rows.Columns(excelize.Options{RawCellValue: true})
		if err != nil {
			return nil, fmt.Errorf("sheet %s row %d: %w", sheet, sheetRow, err)
		}
		if isBlank(cells) {
			continue
		}
		if st == nil { // the first non-blank row holds the headers
			if cm, err = mapHeaders(cells, o.profile, o.kinds, o.kind); err != nil {
				return nil, err
			}
			st = cm.staged(formatXLSX, "xlsx")
			order = cm.stagedColumns()
			for _, c := range order {
				col, _ := cm.kind.Column(c)
				timeCols = append(timeCols, col.Type == "TIMESTAMP WITH TIME ZONE" || col.Type == "DATE")
			}
			if sink, err = newRowSink(ctx, conn, order); err != nil {
				return nil, err
			}
			continue
		}
		values := make([]string, len(order))
		for i, c := range order {
			if j := cm.index[c]; j < len(cells) {
				values[i] = strings.TrimSpace(cells[j])
				if timeCols[i] {
					values[i] = fromExcelSerial(values[i], date1904)
				}
			}
		}
		if err := sink.add(sheetRow, values); err != nil {
			return nil, err
		}
		rec++
	}
	if err := rows.Error(); err != nil {
		return nil, err
	}
	if st == nil {
		return nil, fmt.Errorf("sheet %s is empty; its first row must hold the column headers", sheet)
	}
	return st, sink.close()
}

// fromExcelSerial turns an Excel serial date-time (days since 1899-12-30) into text
// the typing query reads; other values pass through unchanged.
func fromExcelSerial(v string, date1904 bool) string {
	serial, err := strconv.ParseFloat(v, 64)
	if err != nil || serial <= 0 {
		return v
	}
	t, err := excelize.ExcelDateToTime(serial, date1904)
	if err != nil {
		return v
	}
	return t.Round(1e9).Format("2006-01-02 15:04:05")
}

func isBlank(cells []string) bool {
	for _, c := range cells {
		if strings.TrimSpace(c) != "" {
			return false
		}
	}
	return true
}

// stageJSONL reads one JSON object per line. The keys of the first lines decide the
// kind; a line that is not a JSON object is rejected with its line number.
func stageJSONL(ctx context.Context, conn *sql.Conn, path string, gzipped bool, o readerOptions) (*staged, error) {
	text, err := openText(path, gzipped, o.encoding)
	if err != nil {
		return nil, err
	}
	defer text.Close()
	type line struct {
		no   int64
		text string
	}
	br := bufio.NewReaderSize(text, 1<<20)
	readLine := func() (string, error) {
		s, err := br.ReadString('\n')
		if errors.Is(err, io.EOF) && s != "" {
			err = nil
		}
		return strings.TrimRight(s, "\r\n"), err
	}
	// Look ahead to collect the keys.
	var ahead []line
	keySet := map[string]bool{}
	var lineNo int64
	for len(ahead) < 1000 {
		s, err := readLine()
		if errors.Is(err, io.EOF) {
			break
		} else if err != nil {
			return nil, err
		}
		lineNo++
		ahead = append(ahead, line{lineNo, s})
		var obj map[string]json.RawMessage
		if json.Unmarshal([]byte(s), &obj) == nil {
			for k := range obj {
				keySet[k] = true
			}
		}
	}
	keys := make([]string, 0, len(keySet))
	for k := range keySet {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	if len(keys) == 0 {
		return nil, fmt.Errorf("no JSON object in the first lines; a .jsonl file holds one object per line")
	}
	cm, err := mapHeaders(keys, o.profile, o.kinds, o.kind)
	if err != nil {
		return nil, err
	}
	st := cm.staged(formatJSONL, text.Encoding)
	order := cm.stagedColumns()
	keyOf := make([]string, len(order))
	for i, c := range order {
		keyOf[i] = keys[cm.index[c]]
	}
	sink, err := newRowSink(ctx, conn, order)
	if err != nil {
		return nil, err
	}
	values := make([]string, len(order))
	rec := int64(0)
	handle := func(l line) error {
		if strings.TrimSpace(l.text) == "" {
			return nil
		}
		defer func() { rec++ }()
		dec := json.NewDecoder(strings.NewReader(l.text))
		dec.UseNumber()
		var obj map[string]any
		if err := dec.Decode(&obj); err != nil {
			st.skipped = append(st.skipped, skippedRecord{rec: rec, line: l.no, reason: "not a JSON object: " + err.Error()})
			return nil
		}
		for i, k := range keyOf {
			values[i] = jsonText(obj[k])
		}
		return sink.add(l.no, values)
	}
	for _, l := range ahead {
		if err := handle(l); err != nil {
			return nil, err
		}
	}
	for {
		s, err := readLine()
		if errors.Is(err, io.EOF) {
			break
		} else if err != nil {
			return nil, err
		}
		lineNo++
		if err := handle(line{lineNo, s}); err != nil {
			return nil, err
		}
	}
	return st, sink.close()
}

func jsonText(v any) string {
	switch x := v.(type) {
	case nil:
		return ""
	case string:
		return x
	case json.Number:
		return x.String()
	case bool:
		return strconv.FormatBool(x)
	default:
		b, _ := json.Marshal(x)
		return string(b)
	}
}

// stageParquet lets DuckDB read the file; typed Parquet columns are turned to text so
// that one typing query serves every format.
func stageParquet(ctx context.Context, conn *sql.Conn, path string, o readerOptions) (*staged, error) {
	rows, err := conn.QueryContext(ctx, "SELECT column_name FROM (DESCRIBE SELECT * FROM read_parquet("+literal(path)+"))")
	if err != nil {
		return nil, fmt.Errorf("not a readable Parquet file: %w", err)
	}
	var headers []string
	for rows.Next() {
		var h string
		if err := rows.Scan(&h); err != nil {
			rows.Close()
			return nil, err
		}
		headers = append(headers, h)
	}
	rows.Close()
	cm, err := mapHeaders(headers, o.profile, o.kinds, o.kind)
	if err != nil {
		return nil, err
	}
	st := cm.staged(formatParquet, "parquet")
	var selected []string
	for _, c := range cm.stagedColumns() {
		selected = append(selected, fmt.Sprintf("CAST(%s AS VARCHAR) AS %s", ident(headers[cm.index[c]]), ident(c)))
	}
	q := fmt.Sprintf(`CREATE OR REPLACE TEMP TABLE _stage AS
		SELECT file_row_number + 1 AS _line, %s
		FROM read_parquet(%s, file_row_number = true)
		ORDER BY file_row_number`, strings.Join(selected, ", "), literal(path))
	if _, err := conn.ExecContext(ctx, q); err != nil {
		return nil, fmt.Errorf("reading the Parquet file: %w", err)
	}
	return st, nil
}
