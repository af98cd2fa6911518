package ingest

import (
	"bytes"
	"context"
	"database/sql"
	"fmt"
	"io"
	"path/filepath"
	"strings"
	"unicode/utf8"
)

// File formats the loader reads.
const (
	formatCSV     = "csv"
	formatXLSX    = "xlsx"
	formatJSONL   = "jsonl"
	formatParquet = "parquet"
)

// A reader reads one file's rows into the typing query (readerOptions.typed), which
// leaves them typed in _typed_rows (see staged).
type reader func(ctx context.Context, conn *sql.Conn, src source, o readerOptions) (*staged, error)

// A peeker reads only a file's headers, to tell its kind before it is loaded.
type peeker func(ctx context.Context, db *sql.DB, src source, enc string) ([]string, error)

// source is a file to read.
type source struct {
	path    string
	gzipped bool
}

// fileFormat is one format: the extensions that name it and its reader. A new format
// is one file holding its reader and one row here.
type fileFormat struct {
	name       string
	extensions []string
	gzip       bool // may be gzipped (name.ext.gz)
	read       reader
	peek       peeker
}

var fileFormats = []fileFormat{
	{formatCSV, []string{".csv", ".txt", ".tsv"}, true, stageCSV, peekCSV},
	{formatJSONL, []string{".jsonl", ".ndjson"}, true, stageJSONL, peekJSONL},
	{formatXLSX, []string{".xlsx"}, false, stageXLSX, peekXLSX},
	{formatParquet, []string{".parquet"}, false, stageParquet, peekParquet},
}

// peekKind tells the kind a file's headers name, or "" when they name none.
func (l *Loader) peekKind(ctx context.Context, path string) string {
	ff, gzipped, err := formatOf(path)
	if err != nil {
		return ""
	}
	headers, err := ff.peek(ctx, l.db, source{path: path, gzipped: gzipped}, l.opts.Encoding)
	if err != nil {
		return ""
	}
	cm, err := mapHeaders(headers, l.opts.Profile, l.kinds, l.opts.Kind)
	if err != nil {
		return ""
	}
	return cm.kind.Name
}

// guessEncoding judges a text file's encoding on its first bytes, for peeking only:
// a load judges it on the whole file.
func guessEncoding(src source, forced string) string {
	if forced != "" {
		return forced
	}
	raw, err := openRaw(src.path, src.gzipped)
	if err != nil {
		return encUTF8
	}
	defer raw.Close()
	head := make([]byte, 1<<16)
	n, _ := io.ReadFull(raw, head)
	head = head[:n]
	switch {
	case bytes.HasPrefix(head, []byte{0xEF, 0xBB, 0xBF}):
		return encUTF8BOM
	case bytes.HasPrefix(head, []byte{0xFF, 0xFE}):
		return encUTF16LE
	case bytes.HasPrefix(head, []byte{0xFE, 0xFF}):
		return encUTF16BE
	}
	if i := bytes.LastIndexByte(head, '\n'); i >= 0 {
		head = head[:i]
	}
	if utf8.Valid(head) {
		return encUTF8
	}
	return encGB18030
}

// formatOf tells the format from the file name.
func formatOf(path string) (fileFormat, bool, error) {
	name := strings.ToLower(filepath.Base(path))
	gzipped := strings.HasSuffix(name, ".gz")
	ext := filepath.Ext(strings.TrimSuffix(name, ".gz"))
	for _, f := range fileFormats {
		for _, e := range f.extensions {
			if e == ext && (f.gzip || !gzipped) {
				return f, gzipped, nil
			}
		}
	}
	if ext == ".xls" {
		return fileFormat{}, false, fmt.Errorf("the old .xls format is not read; save the sheet as .xlsx")
	}
	return fileFormat{}, false, fmt.Errorf("unknown file type; use .csv, .txt, .xlsx, .jsonl, .ndjson or .parquet (.csv and .jsonl may be .gz)")
}

// staged describes a file whose rows were read as text, one value per canonical column
// found, plus _line (the physical line or sheet row), in file order, and typed into
// _typed_rows.
type staged struct {
	format, encoding string
	kind             Kind
	columns          map[string]bool // canonical columns read
	ignored          []string        // source headers no mapping knew
	// skipped are records that could not be split into columns; each was read and is
	// rejected. rec is the record's index among all the file's records.
	skipped []skippedRecord
	// records is how many records the reader read, staged or skipped.
	records int64
}

type skippedRecord struct {
	rec    int64
	line   int64 // 0 when unknown
	reason string
}

func (s *staged) skip(rec, line int64, reason string) {
	s.skipped = append(s.skipped, skippedRecord{rec: rec, line: line, reason: reason})
}

// readerOptions are the per-load settings the readers need.
type readerOptions struct {
	profile  *MappingProfile
	kinds    []Kind
	kind     string
	encoding string
	// typed is the query that types the rows of st, read from the relation from,
	// into _typed_rows (typedSQL).
	typed func(st *staged, from string) string
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
	st := &staged{format: format, encoding: enc, kind: cm.kind, columns: map[string]bool{}, ignored: cm.ignored}
	for c := range cm.index {
		st.columns[c] = true
	}
	return st
}
