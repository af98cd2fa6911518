package ingest

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"strings"
)

// csvParser splits records out of physical lines. A quoted field may span lines; a
// quote inside an unquoted field is kept as written; text after a closing quote makes
// the row a reject, since what was meant cannot be told.
type csvParser struct {
	delim  byte
	fields []string
	cur    []byte
	state  int
	// problem is why the record being read cannot be loaded, set at the first one.
	problem string
	size    int
}

const (
	atFieldStart = iota
	inUnquoted
	inQuoted
	quoteInQuoted // a quote inside a quoted field: the end, or the first of ""
)

func (p *csvParser) reset() {
	p.fields, p.cur, p.state, p.problem, p.size = p.fields[:0], p.cur[:0], atFieldStart, "", 0
}

func (p *csvParser) emit() {
	p.fields = append(p.fields, string(p.cur))
	p.cur = p.cur[:0]
	p.state = atFieldStart
}

// feed parses one physical line and tells whether the record ends with it.
func (p *csvParser) feed(l textLine) bool {
	for _, c := range l.text {
		switch p.state {
		case atFieldStart:
			switch c {
			case '"':
				p.state = inQuoted
			case p.delim:
				p.emit()
			default:
				p.cur = append(p.cur, c)
				p.state = inUnquoted
			}
		case inUnquoted:
			if c == p.delim {
				p.emit()
			} else {
				p.cur = append(p.cur, c)
			}
		case inQuoted:
			if c == '"' {
				p.state = quoteInQuoted
			} else {
				p.cur = append(p.cur, c)
			}
		case quoteInQuoted:
			switch c {
			case '"':
				p.cur = append(p.cur, '"')
				p.state = inQuoted
			case p.delim:
				p.emit()
			default:
				if p.problem == "" {
					p.problem = fmt.Sprintf("field %d has text after its closing quote; quote the whole field and double any quote inside it (\"\")", len(p.fields)+1)
				}
				p.cur = append(p.cur, c)
				p.state = inUnquoted
			}
		}
	}
	if p.state == inQuoted {
		p.cur = append(p.cur, l.eol...) // the line break is part of the value, as written
		return false
	}
	p.emit()
	return true
}

// csvRecord is one record of a CSV file: its fields, or why it cannot be loaded.
type csvRecord struct {
	line    int64 // the physical line it starts on
	fields  []string
	problem string
}

// csvRecords reads records from a text file. Blank lines between records are not
// records. A quote that is never closed makes the whole file unreadable: everything
// after it would be one value.
type csvRecords struct {
	lines *lineReader
	p     csvParser
}

func (r *csvRecords) next() (csvRecord, error) {
	r.p.reset()
	var rec csvRecord
	for {
		l, err := r.lines.next()
		if errors.Is(err, io.EOF) {
			if rec.line != 0 {
				return rec, fmt.Errorf("line %d: a quoted field opened on this line is never closed, so the rest of the file would be one value; close the quote (or double it, \"\") and export again", rec.line)
			}
			return rec, io.EOF
		} else if err != nil {
			return rec, err
		}
		if rec.line == 0 {
			if len(l.text) == 0 && !l.tooLong {
				continue
			}
			rec.line = l.no
		}
		if l.bad != "" && r.p.problem == "" {
			r.p.problem = fmt.Sprintf("line %d is not valid %s text: %s; the row is not loaded (export it again, or give the right --encoding)", l.no, r.lines.encoding, l.bad)
		}
		r.p.size += len(l.text)
		if l.tooLong || r.p.size > maxRecordBytes {
			if r.p.state == inQuoted && l.no > rec.line {
				return rec, fmt.Errorf("line %d: a quoted field opened on this line runs past %d MiB, so a quote is probably never closed; close it and export again", rec.line, maxRecordBytes>>20)
			}
			rec.problem = fmt.Sprintf("the row is longer than %d MiB, which no export's row is; it is not loaded (check the export for a missing line break)", maxRecordBytes>>20)
			return rec, nil
		}
		if r.p.feed(l) {
			rec.fields, rec.problem = r.p.fields, r.p.problem
			return rec, nil
		}
	}
}

// sniffDelimiter picks the separator the header line uses most.
func sniffDelimiter(header string) byte {
	best, count := byte(','), 0
	for _, d := range []byte{',', '\t', ';', '|'} {
		if n := strings.Count(header, string(d)); n > count {
			best, count = d, n
		}
	}
	return best
}

// stageCSV reads a delimited text file: the first non-blank record holds the headers,
// and every later record is either staged or rejected with its line and reason.
func stageCSV(ctx context.Context, conn *sql.Conn, src source, o readerOptions) (*staged, error) {
	scan := &recordScan{}
	survey, err := surveyText(src.path, src.gzipped, o.encoding, scan)
	if err != nil {
		return nil, err
	}
	lines, err := openLines(src.path, src.gzipped, survey.encoding)
	if err != nil {
		return nil, err
	}
	defer lines.Close()
	recs := &csvRecords{lines: lines}

	// The header line: read apart to find the delimiter.
	var first textLine
	for {
		if first, err = lines.next(); errors.Is(err, io.EOF) {
			return nil, fmt.Errorf("the file is empty; its first line must hold the column headers")
		} else if err != nil {
			return nil, err
		}
		if len(first.text) > 0 || first.tooLong {
			break
		}
	}
	if first.bad != "" {
		return nil, fmt.Errorf("line %d (the headers) is not valid %s text: %s; %s", first.no, survey.encoding, first.bad, encodingHint(survey))
	}
	if first.tooLong {
		return nil, fmt.Errorf("line %d (the headers) is longer than %d MiB; the first line must hold the column headers", first.no, maxRecordBytes>>20)
	}
	recs.p.delim = sniffDelimiter(string(first.text))
	if !recs.p.feed(first) {
		return nil, fmt.Errorf("line %d: the header line opens a quote it never closes; fix the headers", first.no)
	}
	if recs.p.problem != "" {
		return nil, fmt.Errorf("line %d (the headers): %s", first.no, recs.p.problem)
	}
	headers := append([]string(nil), recs.p.fields...)
	cm, err := mapHeaders(headers, o.profile, o.kinds, o.kind)
	if err != nil {
		return nil, err
	}
	st := cm.staged(formatCSV, survey.encoding)
	order := cm.stagedColumns()
	index := make([]int, len(order))
	for i, c := range order {
		index[i] = cm.index[c]
	}
	sink := newRowSink(ctx, conn, st, order, o)
	defer sink.abort()
	values := make([]string, len(order))
	rec := int64(0)
	for {
		r, err := recs.next()
		if errors.Is(err, io.EOF) {
			break
		} else if err != nil {
			return nil, err
		}
		switch {
		case r.problem != "":
			st.skip(rec, r.line, r.problem)
		case len(r.fields) != len(headers):
			st.skip(rec, r.line, fmt.Sprintf("the row has %d fields where the header has %d; fix the row (a missing or extra %q, or an unquoted one inside a value)",
				len(r.fields), len(headers), string(recs.p.delim)))
		default:
			for i, j := range index {
				values[i] = r.fields[j]
			}
			if err := sink.add(rec, r.line, values); err != nil {
				return nil, err
			}
		}
		rec++
	}
	st.records = rec
	if err := sink.close(); err != nil {
		return nil, err
	}
	if err := checkRecords(ctx, conn, src, survey.encoding, scan, recs.p.delim, st); err != nil {
		return nil, err
	}
	if lines.line != survey.lines {
		return nil, fmt.Errorf("the file has %d lines but %d were read; it changed while being loaded, or its text is damaged: export it again", survey.lines, lines.line)
	}
	return st, nil
}

// encodingHint says what to do about a header line not valid in the encoding used.
func encodingHint(s textSurvey) string {
	switch {
	case s.encoding != encGB18030 && s.badGB.count == 0 && s.nonASCII > 0:
		return "the file looks like GB18030/GBK: drop --encoding, or give --encoding gbk"
	case s.encoding != encUTF8 && s.badUTF8.count == 0 && s.nonASCII > 0:
		return "the file looks like UTF-8: drop --encoding, or give --encoding utf-8"
	}
	return "export it again as UTF-8, or give the right --encoding"
}

// peekCSV reads the header line.
func peekCSV(_ context.Context, _ *sql.DB, src source, enc string) ([]string, error) {
	lines, err := openLines(src.path, src.gzipped, guessEncoding(src, enc))
	if err != nil {
		return nil, err
	}
	defer lines.Close()
	for {
		l, err := lines.next()
		if err != nil {
			return nil, err
		}
		if len(l.text) == 0 || l.bad != "" || l.tooLong {
			if l.bad != "" || l.tooLong {
				return nil, fmt.Errorf("no readable header line")
			}
			continue
		}
		p := csvParser{delim: sniffDelimiter(string(l.text))}
		p.feed(l)
		return p.fields, nil
	}
}
