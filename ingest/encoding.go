package ingest

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"fmt"
	"io"
	"os"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/encoding"
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

// detectEncoding reads the byte-order mark, else takes valid UTF-8 as UTF-8 and
// anything else as GB18030, the only other single-file encoding Chinese exports use.
func detectEncoding(sample []byte) string {
	switch {
	case bytes.HasPrefix(sample, []byte{0xEF, 0xBB, 0xBF}):
		return encUTF8BOM
	case bytes.HasPrefix(sample, []byte{0xFF, 0xFE}):
		return encUTF16LE
	case bytes.HasPrefix(sample, []byte{0xFE, 0xFF}):
		return encUTF16BE
	}
	// The sample may end inside a character: judge only whole characters.
	if end := lastRuneStart(sample); end >= 0 && !utf8.FullRune(sample[end:]) {
		sample = sample[:end]
	}
	if utf8.Valid(sample) {
		return encUTF8
	}
	return encGB18030
}

func lastRuneStart(b []byte) int {
	for i := len(b) - 1; i >= 0 && i >= len(b)-utf8.UTFMax; i-- {
		if utf8.RuneStart(b[i]) {
			return i
		}
	}
	return -1
}

func decoderFor(enc string) encoding.Encoding {
	switch enc {
	case encUTF8BOM:
		return unicode.UTF8BOM
	case encGB18030:
		return simplifiedchinese.GB18030
	case encUTF16LE:
		return unicode.UTF16(unicode.LittleEndian, unicode.UseBOM)
	case encUTF16BE:
		return unicode.UTF16(unicode.BigEndian, unicode.UseBOM)
	}
	return nil
}

// textFile is an open text file read as UTF-8, whatever its encoding and compression.
type textFile struct {
	io.Reader
	Encoding string
	closers  []io.Closer
}

func (t *textFile) Close() error {
	var first error
	for i := len(t.closers) - 1; i >= 0; i-- {
		if err := t.closers[i].Close(); err != nil && first == nil {
			first = err
		}
	}
	return first
}

// openText opens a (possibly gzipped) text file and decodes it to UTF-8. forced, when
// set, overrides the detected encoding.
func openText(path string, gzipped bool, forced string) (*textFile, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	t := &textFile{closers: []io.Closer{f}}
	var r io.Reader = f
	if gzipped {
		gz, err := gzip.NewReader(f)
		if err != nil {
			t.Close()
			return nil, fmt.Errorf("not a readable gzip file: %w", err)
		}
		t.closers = append(t.closers, gz)
		r = gz
	}
	br := bufio.NewReaderSize(r, 1<<16)
	sample, _ := br.Peek(1 << 16)
	t.Encoding = forced
	if t.Encoding == "" {
		t.Encoding = detectEncoding(sample)
	}
	t.Reader = br
	if dec := decoderFor(t.Encoding); dec != nil {
		t.Reader = transform.NewReader(br, dec.NewDecoder())
	}
	return t, nil
}
