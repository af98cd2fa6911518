package ingest

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/encoding/simplifiedchinese"
	"golang.org/x/text/encoding/unicode"
	"golang.org/x/text/transform"
)

// Text encodings the loader reads.
const (
	encUTF8    = "utf-8"
	encUTF8BOM = "utf-8-bom"
	encGB18030 = "gb18030" // a superset of GBK and GB2312: what Excel on Chinese Windows writes
	encUTF16LE = "utf-16le"
	encUTF16BE = "utf-16be"
)

// Limits that keep one hostile file from exhausting the machine.
const (
	// maxRecordBytes bounds one record (a line, or several joined by a quoted line
	// break): a longer one is rejected, and only this much of it is ever held.
	maxRecordBytes = 1 << 20
	// A compressed file may expand at most maxExpansion times its compressed size
	// once past expansionGrace bytes, and never past maxUncompressed.
	maxExpansion    = 100
	expansionGrace  = 64 << 20
	maxUncompressed = 16 << 30
)

// normalizeEncoding accepts the names people use for an --encoding.
func normalizeEncoding(name string) (string, error) {
	switch strings.ToLower(strings.ReplaceAll(name, "_", "-")) {
	case "", "auto":
		return "", nil
	case "utf-8", "utf8":
		return encUTF8, nil
	case "utf-8-bom", "utf-8-sig":
		return encUTF8BOM, nil
	case "gbk", "gb2312", "gb18030", "cp936":
		return encGB18030, nil
	case "utf-16", "utf-16le", "utf16":
		return encUTF16LE, nil
	case "utf-16be":
		return encUTF16BE, nil
	}
	return "", fmt.Errorf("unknown encoding %q; use utf-8, gbk, gb18030 or utf-16", name)
}

// openRaw opens a file's bytes, decompressed when gzipped. Decompression is bounded
// by size and by ratio, and a damaged stream is an error that says so.
func openRaw(path string, gzipped bool) (io.ReadCloser, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	if !gzipped {
		return f, nil
	}
	counted := &byteCounter{r: bufio.NewReaderSize(f, 1<<16)}
	gz, err := gzip.NewReader(counted)
	if err != nil {
		f.Close()
		return nil, fmt.Errorf("not a readable gzip file (%v); compress it again with gzip", err)
	}
	return &boundedGzip{gz: gz, file: f, compressed: counted}, nil
}

type byteCounter struct {
	r *bufio.Reader
	n int64
}

func (c *byteCounter) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += int64(n)
	return n, err
}

func (c *byteCounter) ReadByte() (byte, error) {
	b, err := c.r.ReadByte()
	if err == nil {
		c.n++
	}
	return b, err
}

type boundedGzip struct {
	gz         *gzip.Reader
	file       *os.File
	compressed *byteCounter
	n          int64
}

func (b *boundedGzip) Read(p []byte) (int, error) {
	n, err := b.gz.Read(p)
	b.n += int64(n)
	switch {
	case b.n > maxUncompressed:
		return n, fmt.Errorf("the gzip expands past %d GiB; split the export into smaller files", maxUncompressed>>30)
	case b.n > expansionGrace && b.n > maxExpansion*b.compressed.n:
		return n, fmt.Errorf("the gzip expands more than %d times its size (%d MiB from %d KiB), which no export does; it is refused as a decompression bomb",
			maxExpansion, b.n>>20, b.compressed.n>>10)
	case err != nil && !errors.Is(err, io.EOF):
		if errors.Is(err, gzip.ErrHeader) && b.n > 0 {
			return n, fmt.Errorf("bytes after the end of the compressed data are not gzip (%d bytes decompressed); the file is damaged or was joined to another: compress it again", b.n)
		}
		return n, fmt.Errorf("the gzip is damaged after %d decompressed bytes (%v); compress the export again", b.n, err)
	}
	return n, err
}

func (b *boundedGzip) Close() error {
	b.gz.Close()
	return b.file.Close()
}

// textSurvey is what one pass over a text file's bytes learns: its encoding, judged on
// the whole file, and its number of physical lines, counted apart from the parsers so
// that a record a parser loses is noticed.
type textSurvey struct {
	encoding string
	lines    int64 // physical lines (a last line without a newline counts)
	nonASCII int64 // lines holding a byte above 0x7F
	badUTF8  badLines
	badGB    badLines
}

// badLines counts the lines that are not valid in one encoding, and where the first is.
type badLines struct {
	count        int64
	line, offset int64
	bytes        []byte
}

func (b *badLines) note(line int64, text []byte, off int) {
	if b.count == 0 {
		b.line, b.offset = line, int64(off)
		b.bytes = append([]byte(nil), text[off:min(off+4, len(text))]...)
	}
	b.count++
}

func (b badLines) String() string {
	return fmt.Sprintf("line %d, byte %d (% X)", b.line, b.offset+1, b.bytes)
}

// surveyText reads the whole file once. forced, when set, is the encoding to use;
// otherwise a byte-order mark decides, else the encoding the file is valid in: UTF-8
// when at least three in four of its non-ASCII lines are valid UTF-8, else GB18030
// when at least three in four are valid GB18030. The broken lines are then rejected
// row by row; a file broken in both is refused, with both reasons.
//
// scan, when set, counts the file's records on the same pass (see recordScan).
func surveyText(path string, gzipped bool, forced string, scan *recordScan) (textSurvey, error) {
	raw, err := openRaw(path, gzipped)
	if err != nil {
		return textSurvey{}, err
	}
	defer raw.Close()
	br := bufio.NewReaderSize(raw, 1<<16)
	head, _ := br.Peek(3)
	var s textSurvey
	var r io.Reader = br
	switch {
	case forced == encUTF16LE || forced == encUTF16BE || forced == "" && (bytes.HasPrefix(head, []byte{0xFF, 0xFE}) || bytes.HasPrefix(head, []byte{0xFE, 0xFF})):
		s.encoding = forced
		if s.encoding == "" {
			s.encoding = encUTF16LE
			if head[0] == 0xFE {
				s.encoding = encUTF16BE
			}
		}
		r = transform.NewReader(br, utf16Decoder(s.encoding))
	case forced == "" && bytes.HasPrefix(head, []byte{0xEF, 0xBB, 0xBF}):
		s.encoding = encUTF8BOM
	default:
		s.encoding = forced
	}
	lr := bufio.NewReaderSize(r, 1<<16)
	if scan != nil {
		scan.gb = s.encoding == encGB18030
		if s.encoding == encUTF8BOM {
			lr.Discard(3) // as the line reader drops it
		}
	}
	for {
		chunk, err := lr.ReadSlice('\n')
		if scan != nil {
			scan.Write(chunk)
		}
		if len(chunk) > 0 {
			s.lines++
			// A line longer than the buffer arrives in pieces; it is judged piece by
			// piece (such a line is rejected as too long anyway).
			for {
				if i := firstNonASCII(chunk); i >= 0 {
					s.nonASCII++
					if off := invalidUTF8(chunk); off >= 0 {
						s.badUTF8.note(s.lines, chunk, off)
					}
					if off := invalidGB18030(chunk); off >= 0 {
						s.badGB.note(s.lines, chunk, off)
					}
				}
				if !errors.Is(err, bufio.ErrBufferFull) {
					break
				}
				chunk, err = lr.ReadSlice('\n')
				if scan != nil {
					scan.Write(chunk)
				}
			}
		}
		if errors.Is(err, io.EOF) {
			break
		} else if err != nil {
			return s, err
		}
	}
	if scan != nil {
		scan.close()
	}
	if s.encoding != "" {
		return s, nil
	}
	// Multi-byte text that is valid UTF-8 is strong evidence of UTF-8 (GBK text
	// almost never is), while most byte pairs are valid GBK: UTF-8 is judged first.
	switch {
	case s.badUTF8.count == 0 || s.nonASCII-s.badUTF8.count >= 3*s.badUTF8.count:
		s.encoding = encUTF8
	case s.badGB.count == 0 || s.badGB.count*4 <= s.nonASCII:
		s.encoding = encGB18030
	default:
		return s, fmt.Errorf("the text is neither UTF-8 (invalid at %s) nor GB18030/GBK (invalid at %s); export it again as UTF-8, or name the encoding with --encoding",
			s.badUTF8, s.badGB)
	}
	return s, nil
}

func utf16Decoder(enc string) transform.Transformer {
	if enc == encUTF16BE {
		return unicode.UTF16(unicode.BigEndian, unicode.UseBOM).NewDecoder()
	}
	return unicode.UTF16(unicode.LittleEndian, unicode.UseBOM).NewDecoder()
}

func firstNonASCII(b []byte) int {
	for i, c := range b {
		if c >= 0x80 {
			return i
		}
	}
	return -1
}

// invalidUTF8 returns the offset of the first byte that is not part of a valid UTF-8
// sequence, or -1.
func invalidUTF8(b []byte) int {
	if utf8.Valid(b) {
		return -1
	}
	for i := 0; i < len(b); {
		r, size := utf8.DecodeRune(b[i:])
		if r == utf8.RuneError && size <= 1 {
			return i
		}
		i += size
	}
	return -1
}

// invalidGB18030 returns the offset of the first byte that does not start a valid
// GB18030 sequence (one, two or four bytes), or -1.
func invalidGB18030(b []byte) int {
	for i := 0; i < len(b); {
		c := b[i]
		switch {
		case c < 0x80:
			i++
			continue
		case c == 0x80 || c == 0xFF || i+1 >= len(b):
			return i
		}
		d := b[i+1]
		switch {
		case d >= 0x40 && d <= 0xFE && d != 0x7F:
			i += 2
		case d >= 0x30 && d <= 0x39 && i+3 < len(b) && b[i+2] >= 0x81 && b[i+2] <= 0xFE && b[i+3] >= 0x30 && b[i+3] <= 0x39:
			i += 4
		default:
			return i
		}
	}
	return -1
}

// lineReader hands out a text file's physical lines as UTF-8, decoded strictly: a line
// that is not valid in the file's encoding comes with the reason, never with a
// replacement character. Lines longer than maxRecordBytes are cut, and the rest is
// skipped without being held.
type lineReader struct {
	raw      io.ReadCloser
	br       *bufio.Reader
	encoding string
	line     int64 // lines handed out so far
	gb       transform.Transformer
	buf      []byte
}

type textLine struct {
	no      int64
	text    []byte // without the line ending; valid UTF-8 unless bad is set
	eol     []byte // "\n", "\r\n" or "" at the end of the file
	bad     string // why the line is not valid text in the encoding
	tooLong bool   // the line was longer than maxRecordBytes; text holds its start
}

func openLines(path string, gzipped bool, enc string) (*lineReader, error) {
	raw, err := openRaw(path, gzipped)
	if err != nil {
		return nil, err
	}
	br := bufio.NewReaderSize(raw, 1<<16)
	var r io.Reader = br
	switch enc {
	case encUTF16LE, encUTF16BE:
		r = transform.NewReader(br, utf16Decoder(enc))
	case encUTF8BOM:
		if head, _ := br.Peek(3); bytes.Equal(head, []byte{0xEF, 0xBB, 0xBF}) {
			br.Discard(3)
		}
	}
	lr := &lineReader{raw: raw, br: bufio.NewReaderSize(r, 1<<16), encoding: enc}
	if enc == encGB18030 {
		lr.gb = simplifiedchinese.GB18030.NewDecoder()
	}
	return lr, nil
}

func (lr *lineReader) Close() error { return lr.raw.Close() }

// next returns the next line, or io.EOF after the last.
func (lr *lineReader) next() (textLine, error) {
	lr.buf = lr.buf[:0]
	tooLong := false
	for {
		chunk, err := lr.br.ReadSlice('\n')
		if !tooLong {
			if len(lr.buf)+len(chunk) > maxRecordBytes {
				tooLong = true
				lr.buf = append(lr.buf, chunk[:maxRecordBytes-len(lr.buf)]...)
			} else {
				lr.buf = append(lr.buf, chunk...)
			}
		}
		if errors.Is(err, bufio.ErrBufferFull) {
			continue
		}
		if err != nil && !errors.Is(err, io.EOF) {
			return textLine{}, err
		}
		if len(lr.buf) == 0 && errors.Is(err, io.EOF) {
			return textLine{}, io.EOF
		}
		break
	}
	lr.line++
	l := textLine{no: lr.line, tooLong: tooLong}
	text := lr.buf
	switch {
	case tooLong:
	case bytes.HasSuffix(text, []byte("\r\n")):
		text, l.eol = text[:len(text)-2], text[len(text)-2:]
	case bytes.HasSuffix(text, []byte("\n")):
		text, l.eol = text[:len(text)-1], text[len(text)-1:]
	}
	l.text = text
	if tooLong {
		return l, nil
	}
	switch lr.encoding {
	case encGB18030:
		if off := invalidGB18030(text); off >= 0 {
			l.bad = fmt.Sprintf("byte %d (% X) is not valid GB18030/GBK text", off+1, text[off:min(off+2, len(text))])
			return l, nil
		}
		if firstNonASCII(text) >= 0 {
			lr.gb.Reset()
			dec, _, err := transform.Bytes(lr.gb, text)
			if err != nil || bytes.ContainsRune(dec, utf8.RuneError) {
				l.bad = "it holds a GB18030 sequence that maps to no character"
				return l, nil
			}
			l.text = dec
		}
	case encUTF16LE, encUTF16BE:
		if bytes.ContainsRune(text, utf8.RuneError) {
			l.bad = "it holds an unpaired UTF-16 surrogate, which is no character"
		}
	default:
		if off := invalidUTF8(text); off >= 0 {
			l.bad = fmt.Sprintf("byte %d (% X) is not valid UTF-8", off+1, text[off:min(off+2, len(text))])
		}
	}
	return l, nil
}
