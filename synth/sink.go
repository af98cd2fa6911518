package synth

import (
	"bufio"
	"compress/gzip"
	"database/sql"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	_ "github.com/duckdb/duckdb-go/v2" // Parquet files are written by DuckDB's COPY
	"github.com/xuri/excelize/v2"
	"golang.org/x/text/encoding/simplifiedchinese"
)

// sink receives the rows of one output file.
type sink interface {
	write(row []string) error
	close() error
}

// csvSink writes CSV, optionally in GB18030 (as Excel on Chinese Windows saves it),
// with a UTF-8 byte-order mark, or gzipped.
type csvSink struct {
	f      *os.File
	closer []io.Closer
	w      *csv.Writer
	buf    *bufio.Writer
}

type csvOptions struct {
	gbk, bom, gzip bool
}

func newCSV(path string, header []string, o csvOptions) (*csvSink, error) {
	f, err := os.Create(path)
	if err != nil {
		return nil, err
	}
	s := &csvSink{f: f}
	var w io.Writer = f
	if o.gzip {
		gz := gzip.NewWriter(f)
		s.closer = append(s.closer, gz)
		w = gz
	}
	s.buf = bufio.NewWriterSize(w, 1<<20)
	w = s.buf
	if o.gbk {
		w = simplifiedchinese.GB18030.NewEncoder().Writer(w)
	}
	if o.bom {
		w.Write([]byte("\ufeff"))
	}
	s.w = csv.NewWriter(w)
	return s, s.w.Write(header)
}

func (s *csvSink) write(row []string) error { return s.w.Write(row) }

func (s *csvSink) close() error {
	s.w.Flush()
	err := s.w.Error()
	if ferr := s.buf.Flush(); err == nil {
		err = ferr
	}
	for i := len(s.closer) - 1; i >= 0; i-- {
		if cerr := s.closer[i].Close(); err == nil {
			err = cerr
		}
	}
	if cerr := s.f.Close(); err == nil {
		err = cerr
	}
	return err
}

// jsonlSink writes one JSON object per line; empty values are left out.
type jsonlSink struct {
	header []string
	f      *os.File
	gz     *gzip.Writer
	buf    *bufio.Writer
}

func newJSONL(path string, header []string, gzipped bool) (*jsonlSink, error) {
	f, err := os.Create(path)
	if err != nil {
		return nil, err
	}
	s := &jsonlSink{header: header, f: f}
	var w io.Writer = f
	if gzipped {
		s.gz = gzip.NewWriter(f)
		w = s.gz
	}
	s.buf = bufio.NewWriterSize(w, 1<<20)
	return s, nil
}

func (s *jsonlSink) write(row []string) error {
	obj := make(map[string]string, len(row))
	for i, v := range row {
		if v != "" {
			obj[s.header[i]] = v
		}
	}
	b, err := json.Marshal(obj)
	if err != nil {
		return err
	}
	s.buf.Write(b)
	return s.buf.WriteByte('\n')
}

func (s *jsonlSink) close() error {
	err := s.buf.Flush()
	if s.gz != nil {
		if cerr := s.gz.Close(); err == nil {
			err = cerr
		}
	}
	if cerr := s.f.Close(); err == nil {
		err = cerr
	}
	return err
}

// xlsxSink streams rows into one sheet; columns named in dateCols become real Excel
// date cells, as a utility's export would have them.
type xlsxSink struct {
	path     string
	f        *excelize.File
	sw       *excelize.StreamWriter
	row      int
	dateCols map[int]bool
	style    int
}

func newXLSX(path, sheet string, header []string, dateCols map[string]bool) (*xlsxSink, error) {
	f := excelize.NewFile()
	if err := f.SetSheetName("Sheet1", sheet); err != nil {
		return nil, err
	}
	style, err := f.NewStyle(&excelize.Style{NumFmt: 22}) // m/d/yy h:mm
	if err != nil {
		return nil, err
	}
	sw, err := f.NewStreamWriter(sheet)
	if err != nil {
		return nil, err
	}
	s := &xlsxSink{path: path, f: f, sw: sw, row: 1, dateCols: map[int]bool{}, style: style}
	cells := make([]any, len(header))
	for i, h := range header {
		cells[i] = h
		if dateCols[h] {
			s.dateCols[i] = true
		}
	}
	return s, sw.SetRow("A1", cells)
}

func (s *xlsxSink) write(row []string) error {
	s.row++
	if s.row > excelize.TotalRows {
		return fmt.Errorf("%s: a sheet holds at most %d rows; generate fewer cases, or the other formats", s.path, excelize.TotalRows)
	}
	cells := make([]any, len(row))
	for i, v := range row {
		cells[i] = v
		if v == "" {
			cells[i] = nil
		} else if s.dateCols[i] {
			if t, err := time.Parse("2006-01-02 15:04:05", v); err == nil {
				cells[i] = excelize.Cell{Value: t, StyleID: s.style}
			}
		}
	}
	cell, _ := excelize.CoordinatesToCellName(1, s.row)
	return s.sw.SetRow(cell, cells)
}

func (s *xlsxSink) close() error {
	if err := s.sw.Flush(); err != nil {
		return err
	}
	if err := s.f.SaveAs(s.path); err != nil {
		return err
	}
	return s.f.Close()
}

// parquetSink collects the rows in a CSV beside the target and has DuckDB convert it,
// with the time columns typed as a real export's would be.
type parquetSink struct {
	*csvSink
	tmp, path string
	types     map[string]string
	header    []string
}

func newParquet(path string, header []string, types map[string]string) (*parquetSink, error) {
	tmp := strings.TrimSuffix(path, filepath.Ext(path)) + ".tmp.csv"
	c, err := newCSV(tmp, header, csvOptions{})
	if err != nil {
		return nil, err
	}
	return &parquetSink{csvSink: c, tmp: tmp, path: path, types: types, header: header}, nil
}

func (s *parquetSink) close() error {
	if err := s.csvSink.close(); err != nil {
		return err
	}
	defer os.Remove(s.tmp)
	db, err := sql.Open("duckdb", "")
	if err != nil {
		return err
	}
	defer db.Close()
	var cols []string
	for _, h := range s.header {
		t := s.types[h]
		if t == "" {
			t = "VARCHAR"
		}
		cols = append(cols, fmt.Sprintf("'%s': '%s'", h, t))
	}
	_, err = db.Exec(fmt.Sprintf(`COPY (SELECT * FROM read_csv('%s', header = true, auto_detect = false, columns = {%s}))
		TO '%s' (FORMAT parquet)`, s.tmp, strings.Join(cols, ", "), s.path))
	return err
}
