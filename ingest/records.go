package ingest

import (
	"bytes"
	"context"
	"database/sql"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/encoding/simplifiedchinese"
	"golang.org/x/text/transform"
)

// recordScan counts the records of a delimited text or JSON Lines file from its
// bytes, apart from the parser, so that a record the parser loses is noticed. It
// follows the grammar the parser is meant to follow (a quote opens a field only at
// its start, "" is a quote inside one) but it is stricter about line ends: a carriage
// return outside quotes that is not part of the line end ends a record too, as it does
// in exports written with classic Mac line ends. The parser does not split there, so
// such a file is refused with the record it would have glued to the one before.
type recordScan struct {
	delim byte // 0 until the first non-blank line, whose most used separator it is
	json  bool // JSON Lines: quotes are JSON strings, white space is not content
	gb    bool // GB18030: the byte after a lead byte is never a separator
	// at, when set, is told where each record starts, once its line is known not to
	// be over-long (such a line is one record, as the parser reads it).
	at func(start recordStart)

	records int64 // records seen, the header included
	line    int64 // the current physical line, from 1
	col     int64 // bytes of the current line seen
	started bool  // the current record has content
	crRun   int   // carriage returns seen and not yet judged
	state   int   // atFieldStart, inUnquoted, inQuoted, quoteInQuoted (as csvParser)
	escaped bool  // JSON: the last byte was a backslash inside a string
	trail   bool  // GB18030: the next byte is a trail byte
	header  []byte
	// The records started on the current line, kept until its end tells whether it
	// is over-long.
	lineStart    int64 // records when the line began
	startedAtBOL bool  // a record was under way when the line began
	pending      []recordStart
}

// recordStart is where a record begins, with the first bytes of it.
type recordStart struct {
	line, offset int64
	excerpt      []byte
}

const excerptBytes = 60

func (s *recordScan) Write(p []byte) (int, error) {
	if s.line == 0 {
		s.line = 1
	}
	if s.delim == 0 && !s.json {
		return s.sniff(p)
	}
	for i := 0; i < len(p); {
		// The common case: outside quotes, the rest of a line holding neither a quote
		// nor a carriage return is one record, or part of one, if it holds anything.
		if s.crRun == 0 && s.state != inQuoted && !s.trail {
			if end := bytes.IndexByte(p[i:], '\n'); end >= 0 {
				seg := p[i : i+end]
				if bytes.IndexByte(seg, '"') < 0 && bytes.IndexByte(seg, '\r') < 0 {
					if j := s.firstContent(seg); j >= 0 {
						s.content(s.col+int64(j), p[i+j:])
					}
					s.col += int64(end)
					s.endLine(true, true)
					i += end + 1
					continue
				}
			}
		}
		s.byte(p, i)
		i++
	}
	return len(p), nil
}

// firstContent is the offset of the first byte of seg that makes a record, or -1.
func (s *recordScan) firstContent(seg []byte) int {
	if !s.json {
		if len(seg) > 0 {
			return 0
		}
		return -1
	}
	for j, c := range seg {
		if !isJSONSpace(c) {
			return j
		}
	}
	return -1
}

func isJSONSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\v' || c == '\f' }

// sniff holds the bytes up to the end of the first non-blank line, whose separators
// choose the delimiter, then scans them.
func (s *recordScan) sniff(p []byte) (int, error) {
	s.header = append(s.header, p...)
	for {
		end := bytes.IndexByte(s.header, '\n')
		if end < 0 && len(s.header) <= maxRecordBytes {
			return len(p), nil
		}
		if end < 0 {
			end = len(s.header) - 1
		}
		held := s.header
		if line := bytes.TrimSuffix(held[:end], []byte("\r")); len(line) > 0 {
			s.delim = sniffDelimiter(string(line))
			s.header = nil
			s.Write(held)
			return len(p), nil
		}
		// A blank line before the headers holds no field: any delimiter scans it.
		s.header = nil
		s.delim = ','
		s.Write(held[:end+1])
		s.delim = 0
		s.header = append(s.header, held[end+1:]...)
	}
}

// content marks the current record as under way from the byte at offset of the
// current line; rest is what follows from there.
func (s *recordScan) content(offset int64, rest []byte) {
	if s.started {
		return
	}
	s.started = true
	if s.at != nil {
		n := min(len(rest), excerptBytes)
		if i := bytes.IndexAny(rest[:n], "\r\n"); i >= 0 {
			n = i
		}
		s.pending = append(s.pending, recordStart{line: s.line, offset: offset, excerpt: append([]byte(nil), rest[:n]...)})
	}
}

// byte judges one byte; p[i] is it and p[i+1:] what follows in this write.
func (s *recordScan) byte(p []byte, i int) {
	c := p[i]
	if c == '\n' && s.json {
		// A JSON Lines record is one line, whatever its quotes say.
		s.crRun = 0
		s.endLine(true, true)
		return
	}
	if s.state == inQuoted {
		if c == '\n' {
			s.endLine(false, true)
			return
		}
		s.col++
		if !s.json {
			if c == '"' {
				s.state = quoteInQuoted
			}
			return
		}
		switch {
		case s.escaped:
			s.escaped = false
		case c == '\\':
			s.escaped = true
		case c == '"':
			s.state = atFieldStart
		}
		return
	}
	if s.crRun > 0 {
		switch c {
		case '\n':
			if s.crRun > 1 && !s.json { // the carriage returns before the line end's are content
				s.content(s.col-int64(s.crRun), p[i:i])
			}
			s.crRun = 0
			s.endLine(true, true)
			return
		case '\r':
			s.crRun++
			s.col++
			return
		}
		// c follows carriage returns that end no line: the last of them ends the
		// record, unless nothing came before it on the line, where it is the record's
		// first byte.
		switch {
		case s.json: // white space in JSON
			s.endRecord()
		case s.started || s.crRun > 1:
			s.content(s.col-int64(s.crRun), p[i:i])
			s.endRecord()
		default:
			s.content(s.col-1, p[i:])
		}
		s.crRun = 0
	}
	switch c {
	case '\r':
		s.crRun = 1
		s.col++
		return
	case '\n':
		s.endLine(true, true)
		return
	}
	s.col++
	if s.trail {
		s.trail = false
		return
	}
	if s.gb && c >= 0x81 {
		s.trail = true
	}
	if s.json {
		if !isJSONSpace(c) {
			s.content(s.col-1, p[i:])
		}
		if c == '"' {
			s.state = inQuoted
		}
		return
	}
	s.content(s.col-1, p[i:])
	switch s.state {
	case atFieldStart:
		switch c {
		case '"':
			s.state = inQuoted
		case s.delim:
		default:
			s.state = inUnquoted
		}
	case quoteInQuoted:
		switch c {
		case '"': // the first of ""
			s.state = inQuoted
		case s.delim:
			s.state = atFieldStart
		default:
			s.state = inUnquoted
		}
	case inUnquoted:
		if c == s.delim {
			s.state = atFieldStart
		}
	}
}

func (s *recordScan) endRecord() {
	if s.started {
		s.records++
	}
	s.started, s.state, s.trail, s.escaped = false, atFieldStart, false, false
}

// endLine ends the current physical line (newline: with a line break); closed says
// the record ends with it. A line longer than the parser holds is one record however
// it is written, as the parser reads it.
func (s *recordScan) endLine(closed, newline bool) {
	lineBytes := s.col
	if newline {
		lineBytes++
	}
	if closed {
		s.endRecord()
	}
	if lineBytes > maxRecordBytes && !s.startedAtBOL {
		s.endRecord()
		s.records = s.lineStart + 1
		if len(s.pending) > 1 {
			s.pending = s.pending[:1]
		}
	}
	if s.at != nil {
		for _, r := range s.pending {
			s.at(r)
		}
		s.pending = s.pending[:0]
	}
	s.line++
	s.col = 0
	s.lineStart, s.startedAtBOL = s.records, s.started
}

// close ends the last line, which may lack a line break.
func (s *recordScan) close() {
	if s.delim == 0 && !s.json && len(s.header) > 0 {
		s.delim = sniffDelimiter(string(s.header))
		held := s.header
		s.header = nil
		s.Write(held)
	}
	if !s.json && (s.crRun > 1 || s.crRun == 1 && !s.started) {
		s.content(s.col-int64(s.crRun), nil)
	}
	s.crRun = 0
	if s.col > 0 || s.started {
		s.endLine(true, false)
	}
}

// scanRecords counts a text file's records with a scan of its own.
func scanRecords(src source, enc string, s *recordScan) error {
	raw, err := openRaw(src.path, src.gzipped)
	if err != nil {
		return err
	}
	defer raw.Close()
	var r io.Reader = raw
	switch enc {
	case encUTF16LE, encUTF16BE:
		r = transform.NewReader(raw, utf16Decoder(enc))
	case encUTF8BOM:
		s.skipBOM(raw)
	}
	if _, err := io.Copy(s, r); err != nil {
		return err
	}
	s.close()
	return nil
}

// skipBOM drops a UTF-8 byte-order mark, as the line reader does.
func (s *recordScan) skipBOM(r io.Reader) {
	head := make([]byte, 3)
	n, _ := io.ReadFull(r, head)
	if !bytes.Equal(head[:n], []byte{0xEF, 0xBB, 0xBF}) {
		s.Write(head[:n])
	}
}

// lostRecord compares the records a parser read, by the line each starts on, with the
// scan's, and says where they first part: the record the parser lost, with its line
// and first characters. header says the first record of the scan is the headers.
func lostRecord(src source, enc string, scan recordScan, parsed []int64, header bool) error {
	var first *recordStart
	i := 0
	skip := header
	scan = recordScan{delim: scan.delim, json: scan.json, gb: scan.gb}
	scan.at = func(r recordStart) {
		if skip {
			skip = false
			return
		}
		if first == nil && (i >= len(parsed) || parsed[i] != r.line) {
			first = &r
		}
		i++
	}
	if err := scanRecords(src, enc, &scan); err != nil {
		return err
	}
	if first == nil {
		if i < len(parsed) {
			return fmt.Errorf("line %d holds a record the parser read but a count of the file's records did not find; nothing was loaded (report this with the file)", parsed[i])
		}
		return nil
	}
	where := fmt.Sprintf("line %d", first.line)
	why := "it changed while being loaded, or its text is damaged: export it again"
	if first.offset > 0 {
		where += fmt.Sprintf(" byte %d", first.offset+1)
		why = "a carriage return alone ends the record before it; export the file with CRLF or LF line ends"
	}
	return fmt.Errorf("the file holds %d records but %d were read; the first one lost starts at %s: %s; %s",
		scan.records-boolInt(header), len(parsed), where, excerpt(first.excerpt, enc), why)
}

func boolInt(b bool) int64 {
	if b {
		return 1
	}
	return 0
}

// excerpt shows the first characters of a record on one line.
func excerpt(b []byte, enc string) string {
	if enc == encGB18030 {
		if dec, _, err := transform.Bytes(simplifiedchinese.GB18030.NewDecoder(), b); err == nil {
			b = dec
		}
	}
	var out strings.Builder
	for n := 0; len(b) > 0 && n < 30; n++ {
		r, size := utf8.DecodeRune(b)
		if r == utf8.RuneError && size <= 1 {
			break // a character cut by the excerpt's end, or not text
		}
		out.WriteRune(r)
		b = b[size:]
	}
	s := fmt.Sprintf("%q", out.String())
	if len(b) > 0 {
		s = s[:len(s)-1] + `…"`
	}
	return s
}

// checkRecords refuses a file whose parser read other records than the scan counted,
// naming the first one lost. The scan ran during the survey with a delimiter of its
// own choosing and before the encoding was known; where either could change what it
// saw, it is run again with the parser's.
func checkRecords(ctx context.Context, conn *sql.Conn, src source, enc string, scan *recordScan, delim byte, st *staged) error {
	header := !scan.json
	if !scan.json && (scan.delim != delim || enc == encGB18030 && !scan.gb && delim == '|') {
		scan = &recordScan{delim: delim, gb: enc == encGB18030}
		if err := scanRecords(src, enc, scan); err != nil {
			return err
		}
	}
	if scan.records-boolInt(header) == st.records {
		return nil
	}
	parsed, err := parsedLines(ctx, conn, st)
	if err != nil {
		return err
	}
	return lostRecord(src, enc, *scan, parsed, header)
}

// parsedLines lists the line each record the reader read starts on, in file order:
// the staged rows and the skipped ones, by their record number.
func parsedLines(ctx context.Context, conn *sql.Conn, st *staged) ([]int64, error) {
	rows, err := conn.QueryContext(ctx, "SELECT _line FROM _typed_rows ORDER BY _rec")
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	parsed := make([]int64, 0, st.records)
	k := 0
	skipped := func() {
		for k < len(st.skipped) && st.skipped[k].rec == int64(len(parsed)) {
			parsed = append(parsed, st.skipped[k].line)
			k++
		}
	}
	for rows.Next() {
		var line int64
		if err := rows.Scan(&line); err != nil {
			return nil, err
		}
		skipped()
		parsed = append(parsed, line)
	}
	skipped()
	return parsed, rows.Err()
}
