// Command faultgen writes the corpus of faulty exports under ingest/testdata/faulty:
// each file is a small cases export with one fault a utility's system can produce,
// and manifest.json says what loading it must give. The expectations are stated
// here, from how each file is built, never from what the loader does.
//
//	go run ./ingest/internal/faultgen -out ingest/testdata/faulty
package main

import (
	"archive/zip"
	"bytes"
	"compress/gzip"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/xuri/excelize/v2"
	"golang.org/x/text/encoding/simplifiedchinese"
	"golang.org/x/text/encoding/unicode"
)

// Entry is one file of the corpus and the outcome its load must have.
type Entry struct {
	File     string `json:"file"`
	Fault    string `json:"fault"`
	Outcome  string `json:"outcome"` // loaded or refused
	Records  int    `json:"records"` // records the file holds, counted as it was written
	Loaded   int    `json:"loaded"`
	Rejected int    `json:"rejected"`
	Warned   int    `json:"warned"`
	// Reason is a phrase every reject of the file (or the refusal) says.
	Reason string `json:"reason,omitempty"`
	// EncodingOption is given as --encoding; Encoding is the one the load reports.
	EncodingOption string  `json:"encoding_option,omitempty"`
	Encoding       string  `json:"encoding,omitempty"`
	Checks         []Check `json:"checks,omitempty"`
}

// Check is a query over the loaded database and the value it must give; {file}
// stands for the file's name.
type Check struct {
	Query string `json:"query"`
	Want  string `json:"want"`
}

// header and row build a small cases export. Every file has its own prefix for case
// ids, so one database holds the whole corpus without two files touching a case.
var header = []string{"case_id", "utility", "district", "customer_class", "status", "applied_at", "connected_at", "capacity", "capacity_unit", "channel", "applicant"}

const baseRows = 6

func row(p string, i int) []string {
	return []string{fmt.Sprintf("%s-C%d", p, i), "power", "510302", "residential", "connected",
		"2024-03-01 09:00:00", "2024-03-05 10:00:00", "100", "kW", "online", fmt.Sprintf("张三%d", i)}
}

func rows(p string) [][]string {
	out := [][]string{header}
	for i := 1; i <= baseRows; i++ {
		out = append(out, row(p, i))
	}
	return out
}

// fault is one way an export goes wrong, built for a given delimiter and prefix.
type fault struct {
	name  string
	build func(p, d string) (text string, e Entry)
}

func join(rs [][]string, d, nl string) string {
	var b strings.Builder
	for _, r := range rs {
		b.WriteString(strings.Join(r, d) + nl)
	}
	return b.String()
}

func loaded(n int) Entry { return Entry{Outcome: "loaded", Records: n, Loaded: n} }

func rejecting(n, rejected int, reason string) Entry {
	return Entry{Outcome: "loaded", Records: n, Loaded: n - rejected, Rejected: rejected, Reason: reason}
}

func refused(reason string) Entry { return Entry{Outcome: "refused", Reason: reason} }

func count(where, want string) Check {
	return Check{"SELECT count(*) FROM cases WHERE load_id = (SELECT load_id FROM loads WHERE file_name = '{file}') AND " + where, want}
}

// structural faults hold for any delimiter and encoding.
var structural = []fault{
	{"ragged row, too few fields", func(p, d string) (string, Entry) {
		rs := rows(p)
		rs[3] = rs[3][:len(rs[3])-1]
		return join(rs, d, "\n"), rejecting(baseRows, 1, "fields where the header has")
	}},
	{"ragged row, too many fields", func(p, d string) (string, Entry) {
		rs := rows(p)
		rs[2] = append(rs[2], "extra")
		return join(rs, d, "\n"), rejecting(baseRows, 1, "fields where the header has")
	}},
	{"stray quote inside a field", func(p, d string) (string, Entry) {
		rs := rows(p)
		rs[1][10] = `张"三`
		e := loaded(baseRows)
		e.Checks = []Check{count(`applicant = '张"三'`, "1")}
		return join(rs, d, "\n"), e
	}},
	{"text after a closing quote", func(p, d string) (string, Entry) {
		rs := rows(p)
		rs[4][10] = `"张三"x`
		return join(rs, d, "\n"), rejecting(baseRows, 1, "after its closing quote")
	}},
	{"quote never closed", func(p, d string) (string, Entry) {
		rs := rows(p)
		rs[3][10] = `"张三`
		return join(rs, d, "\n"), refused("line 4: a quoted field opened on this line is never closed")
	}},
	{"mixed line endings", func(p, d string) (string, Entry) {
		var b strings.Builder
		for i, r := range rows(p) {
			b.WriteString(strings.Join(r, d) + []string{"\r\n", "\n"}[i%2])
		}
		e := loaded(baseRows)
		e.Checks = []Check{count("(applicant LIKE '%' || chr(13) || '%' OR case_id LIKE '%' || chr(13))", "0"), count("true", "6")}
		return b.String(), e
	}},
	{"CRLF line endings", func(p, d string) (string, Entry) {
		e := loaded(baseRows)
		e.Checks = []Check{count("applicant LIKE '%' || chr(13) || '%'", "0")}
		return join(rows(p), d, "\r\n"), e
	}},
	{"quoted line break, then a bad row", func(p, d string) (string, Entry) {
		rs := rows(p)
		rs[1][10] = "\"张三\n二号\""
		rs[3][3] = "vip"
		e := rejecting(baseRows, 1, "is not a known code")
		e.Checks = []Check{{"SELECT min(line) FROM rejects WHERE file_name = '{file}'", "5"}, count("applicant = '张三' || chr(10) || '二号'", "1")}
		return join(rs, d, "\n"), e
	}},
	{"blank lines between records", func(p, d string) (string, Entry) {
		text := join(rows(p), d, "\n\n")
		return text, loaded(baseRows)
	}},
	{"header only", func(p, d string) (string, Entry) {
		// A column no mapping knows, named in Chinese: the text is not plain ASCII.
		return join([][]string{append(header, "备注"+p)}, d, "\n"), loaded(0)
	}},
	{"last row torn off mid-line", func(p, d string) (string, Entry) {
		text := join(rows(p), d, "\n")
		return text[:len(text)-30], rejecting(baseRows, 1, "fields where the header has")
	}},
	{"missing required value", func(p, d string) (string, Entry) {
		rs := rows(p)
		rs[2][5] = ""
		return join(rs, d, "\n"), rejecting(baseRows, 1, "required value is missing")
	}},
	{"impossible date", func(p, d string) (string, Entry) {
		rs := rows(p)
		rs[2][5] = "2024-02-30 09:00:00"
		return join(rs, d, "\n"), rejecting(baseRows, 1, "is not a date-time")
	}},
	{"a zone name in one time, none in the next", func(p, d string) (string, Entry) {
		rs := rows(p)
		rs[1][6] = "2024-03-05 02:00:00 UTC"
		for i := 0; i < 40; i++ {
			rs = append(rs, row(p, 100+i))
		}
		e := rejecting(baseRows+40, 1, "is not a date-time")
		e.Checks = []Check{count("connected_at = TIMESTAMPTZ '2024-03-05 10:00:00+08'", fmt.Sprint(baseRows+40-1))}
		return join(rs, d, "\n"), e
	}},
	{"times with offsets", func(p, d string) (string, Entry) {
		rs := rows(p)
		for i, t := range []string{"2024-03-05T02:00:00Z", "2024-03-05T10:00:00+08:00", "2024-03-05 02:00:00+00", "2024-03-04T21:00:00-0500", "2024/3/5 10:00", "2024年3月5日 10:00"} {
			rs[i+1][6] = t
		}
		e := loaded(baseRows)
		e.Checks = []Check{count("connected_at = TIMESTAMPTZ '2024-03-05 10:00:00+08'", "6")}
		return join(rs, d, "\n"), e
	}},
	{"NaN and infinities", func(p, d string) (string, Entry) {
		rs := rows(p)
		rs[1][7], rs[2][7], rs[3][7] = "NaN", "Infinity", "-inf"
		rs[4][7] = "1e400"
		return join(rs, d, "\n"), rejecting(baseRows, 4, "capacity")
	}},
	{"a decimal comma", func(p, d string) (string, Entry) {
		rs := rows(p)
		rs[1][7] = `"1,5"`
		rs[2][7] = `"1,500"`
		e := rejecting(baseRows, 1, `"1,5" is not a number`)
		e.Checks = []Check{count("capacity = 1500", "1"), count("capacity = 15", "0")}
		return join(rs, d, "\n"), e
	}},
	{"negative quantity", func(p, d string) (string, Entry) {
		rs := rows(p)
		rs[5][7] = "-5"
		return join(rs, d, "\n"), rejecting(baseRows, 1, "is negative")
	}},
	{"connected before applied", func(p, d string) (string, Entry) {
		rs := rows(p)
		rs[2][6] = "2024-02-01 10:00:00"
		return join(rs, d, "\n"), rejecting(baseRows, 1, "is before applied_at")
	}},
	{"unknown customer class", func(p, d string) (string, Entry) {
		rs := rows(p)
		rs[6][3] = "vip"
		return join(rs, d, "\n"), rejecting(baseRows, 1, "is not a known code")
	}},
	{"unknown code in a column no figure reads", func(p, d string) (string, Entry) {
		rs := rows(p)
		rs[2][8] = "furlong"
		e := loaded(baseRows)
		e.Warned = 1
		e.Checks = []Check{count("capacity_unit IS NULL", "1"), {"SELECT count(*) FROM rejects WHERE file_name = '{file}' AND severity = 'warning'", "1"}}
		return join(rs, d, "\n"), e
	}},
	{"one case id written six ways", func(p, d string) (string, Entry) {
		rs := rows(p)
		id := p + "-C1"
		tab := "\t"
		if d == "\t" {
			tab = "\u00a0"
		}
		for _, v := range []string{" " + id, id + tab, "\ufeff" + id, id + "\u200b", fullWidth(id)} {
			r := row(p, 1)
			r[0] = v
			rs = append(rs, r)
		}
		e := loaded(baseRows + 5)
		e.Checks = []Check{count("case_id = '"+id+"'", "1"), count("true", fmt.Sprint(baseRows))}
		return join(rs, d, "\n"), e
	}},
	{"same key, different content", func(p, d string) (string, Entry) {
		rs := rows(p)
		r := row(p, 2)
		r[10] = "李四"
		rs = append(rs, r)
		return join(rs, d, "\n"), rejecting(baseRows+1, 2, "same utility, case_id")
	}},
	{"two headers differing only in case", func(p, d string) (string, Entry) {
		rs := rows(p)
		rs[0] = append(append([]string(nil), rs[0]...), "CASE_ID")
		for i := 1; i < len(rs); i++ {
			rs[i] = append(rs[i], rs[i][0])
		}
		return join(rs, d, "\n"), refused("both mean case_id")
	}},
	{"control characters in free text", func(p, d string) (string, Entry) {
		rs := rows(p)
		rs[1][10] = "张\a三\x1b"
		e := loaded(baseRows)
		e.Checks = []Check{count("applicant = '张' || chr(7) || '三' || chr(27)", "1")}
		return join(rs, d, "\n"), e
	}},
	{"empty file", func(p, d string) (string, Entry) {
		return "", refused("the file is empty")
	}},
}

func fullWidth(s string) string {
	var b strings.Builder
	for _, r := range s {
		if r > ' ' && r < 0x7F {
			r += 0xFEE0
		}
		b.WriteRune(r)
	}
	return b.String()
}

// variant is how a structural fault is written out.
type variant struct {
	name, ext, delim, encoding string
	encode                     func(string) []byte
}

var variants = []variant{
	{"utf8", ".csv", ",", "utf-8", func(s string) []byte { return []byte(s) }},
	{"gbk", ".csv", ",", "gb18030", gbk},
	{"gzip", ".csv.gz", ",", "utf-8", func(s string) []byte { return gz([]byte(s)) }},
	{"tsv", ".tsv", "\t", "utf-8", func(s string) []byte { return []byte(s) }},
}

func gbk(s string) []byte {
	b, err := simplifiedchinese.GB18030.NewEncoder().Bytes([]byte(s))
	if err != nil {
		panic(err)
	}
	return b
}

func utf16(s string) []byte {
	b, err := unicode.UTF16(unicode.LittleEndian, unicode.UseBOM).NewEncoder().Bytes([]byte(s))
	if err != nil {
		panic(err)
	}
	return b
}

func gz(b []byte) []byte {
	var out bytes.Buffer
	w, _ := gzip.NewWriterLevel(&out, gzip.BestCompression)
	w.Write(b)
	w.Close()
	return out.Bytes()
}

// file is one generated file before it is written.
type file struct {
	name string
	data []byte
	e    Entry
}

func main() {
	out := flag.String("out", "ingest/testdata/faulty", "folder to write the corpus into")
	flag.Parse()
	var files []file
	n := 0
	prefix := func() string { n++; return fmt.Sprintf("f%03d", n) }
	add := func(slug, ext string, data []byte, e Entry) {
		files = append(files, file{fmt.Sprintf("%03d_%s%s", len(files)+1, slug, ext), data, e})
	}
	for _, f := range structural {
		for _, v := range variants {
			text, e := f.build(prefix(), v.delim)
			e.Fault = f.name + " (" + v.name + ")"
			if e.Outcome == "loaded" {
				e.Encoding = v.encoding
			}
			add(slug(f.name)+"_"+v.name, v.ext, v.encode(text), e)
		}
	}
	for _, f := range encodings(prefix) {
		add(slug(f.e.Fault), f.name, f.data, f.e)
	}
	for _, f := range gzips(prefix) {
		add(slug(f.e.Fault), f.name, f.data, f.e)
	}
	for _, f := range jsonLines(prefix) {
		add(slug(f.e.Fault), f.name, f.data, f.e)
	}
	for _, f := range workbooks(prefix) {
		add(slug(f.e.Fault), f.name, f.data, f.e)
	}
	for _, f := range lostRecords(prefix) {
		add(slug(f.e.Fault), f.name, f.data, f.e)
	}
	if err := os.RemoveAll(*out); err != nil {
		fail(err)
	}
	if err := os.MkdirAll(*out, 0o755); err != nil {
		fail(err)
	}
	var manifest []Entry
	for _, f := range files {
		f.e.File = f.name
		manifest = append(manifest, f.e)
		if err := os.WriteFile(filepath.Join(*out, f.name), f.data, 0o644); err != nil {
			fail(err)
		}
	}
	data, err := json.MarshalIndent(manifest, "", "  ")
	if err != nil {
		fail(err)
	}
	if err := os.WriteFile(filepath.Join(*out, "manifest.json"), append(data, '\n'), 0o644); err != nil {
		fail(err)
	}
	fmt.Printf("wrote %d files and manifest.json to %s\n", len(files), *out)
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, "faultgen:", err)
	os.Exit(1)
}

func slug(s string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(s) {
		switch {
		case r >= 'a' && r <= 'z' || r >= '0' && r <= '9':
			b.WriteRune(r)
		case b.Len() > 0 && !strings.HasSuffix(b.String(), "_"):
			b.WriteByte('_')
		}
	}
	return strings.Trim(b.String(), "_")
}

// encodings are faults of the text's bytes.
func encodings(prefix func() string) []file {
	var out []file
	with := func(fault string, e Entry) Entry { e.Fault = fault; return e }
	{ // a GBK file whose first 64 KiB are plain ASCII
		p := prefix()
		rs := [][]string{header}
		for i := 1; i <= 900; i++ {
			r := row(p, i)
			r[10] = "zhang san"
			rs = append(rs, r)
		}
		r := row(p, 901)
		r[10] = "自流井区商贸路1号"
		rs = append(rs, r)
		e := loaded(901)
		e.Encoding = "gb18030"
		e.Checks = []Check{count("applicant = '自流井区商贸路1号'", "1")}
		out = append(out, file{".csv", gbk(join(rs, ",", "\n")), with("GBK after 64 KiB of ASCII", e)})
	}
	{ // an invalid GBK sequence in one row
		p := prefix()
		text := gbk(join(rows(p), ",", "\n"))
		i := bytes.Index(text, gbk("张三3"))
		text = append(text[:i:i], append([]byte{0x81, 0x20}, text[i:]...)...)
		e := rejecting(baseRows, 1, "is not valid GB18030")
		e.Encoding = "gb18030"
		out = append(out, file{".csv", text, with("invalid GBK bytes in one row", e)})
	}
	{ // an invalid UTF-8 sequence in one row of a UTF-8 file whose text is also valid GBK
		p := prefix()
		rs := rows(p)
		for i := 7; i <= 30; i++ {
			rs = append(rs, row(p, i))
		}
		text := []byte(join(rs, ",", "\n"))
		i := bytes.Index(text, []byte("张三4"))
		text = append(text[:i:i], append([]byte{0xC3, 0x28}, text[i:]...)...)
		e := rejecting(30, 1, "is not valid UTF-8")
		e.Encoding = "utf-8"
		e.Checks = []Check{count("applicant = '张三5'", "1")}
		out = append(out, file{".csv", text, with("invalid UTF-8 bytes in one row", e)})
	}
	{ // neither UTF-8 nor GBK
		p := prefix()
		rs := rows(p)
		for i := 1; i < len(rs); i++ {
			rs[i][10] = "\xff\xfe\x80\x80"
		}
		out = append(out, file{".csv", []byte(join(rs, ",", "\n")), with("neither UTF-8 nor GBK", refused("neither UTF-8"))})
	}
	{ // --encoding utf-8 on a GBK file with Chinese headers
		p := prefix()
		rs := rows(p)
		rs[0] = []string{"工单编号", "业务类型", "行政区划", "客户类别", "工单状态", "申请时间", "装表接电时间", "报装容量", "容量单位", "申请渠道", "申请单位"}
		e := refused("line 1 (the headers) is not valid utf-8")
		e.EncodingOption = "utf-8"
		out = append(out, file{".csv", gbk(join(rs, ",", "\n")), with("--encoding utf-8 on a GBK file", e)})
	}
	{ // --encoding utf-8 on a GBK file with English headers: its rows are rejected
		p := prefix()
		e := rejecting(baseRows, baseRows, "is not valid utf-8")
		e.EncodingOption = "utf-8"
		out = append(out, file{".csv", gbk(join(rows(p), ",", "\n")), with("--encoding utf-8 on GBK rows", e)})
	}
	{ // an unpaired UTF-16 surrogate
		p := prefix()
		text := utf16(join(rows(p), ",", "\n"))
		i := bytes.Index(text, utf16("张三2")[2:])
		text = append(text[:i:i], append([]byte{0x00, 0xD8}, text[i:]...)...)
		e := rejecting(baseRows, 1, "unpaired UTF-16 surrogate")
		e.Encoding = "utf-16le"
		out = append(out, file{".csv", text, with("unpaired UTF-16 surrogate", e)})
	}
	{ // UTF-16 with Chinese headers
		p := prefix()
		rs := rows(p)
		rs[0] = []string{"工单编号", "业务类型", "行政区划", "客户类别", "工单状态", "申请时间", "装表接电时间", "报装容量", "容量单位", "申请渠道", "申请单位"}
		e := loaded(baseRows)
		e.Encoding = "utf-16le"
		out = append(out, file{".csv", utf16(join(rs, ",", "\r\n")), with("UTF-16 with Chinese headers", e)})
	}
	{ // a UTF-8 BOM, then a header differing from the canonical one in width and case
		p := prefix()
		rs := rows(p)
		rs[0] = append([]string{" ＣＡＳＥ_ＩＤ "}, rs[0][1:]...)
		e := loaded(baseRows)
		e.Encoding = "utf-8-bom"
		out = append(out, file{".csv", append([]byte("\ufeff"), join(rs, ",", "\n")...), with("BOM and a full-width header", e)})
	}
	{ // a semicolon-separated export with a trailing separator on every line
		p := prefix()
		rs := rows(p)
		for i := range rs {
			rs[i] = append(rs[i], "")
		}
		out = append(out, file{".csv", []byte(join(rs, ";", "\n")), with("semicolons and a trailing separator", loaded(baseRows))})
	}
	return out
}

// gzips are faults of the compression.
func gzips(prefix func() string) []file {
	with := func(fault string, e Entry) Entry { e.Fault = fault; return e }
	body := func() []byte { return gz([]byte(join(rows(prefix()), ",", "\n"))) }
	truncated := body()
	truncated = truncated[:len(truncated)*2/3]
	trailing := append(body(), []byte("garbage after the stream")...)
	corrupt := body()
	corrupt[len(corrupt)/2] ^= 0xFF
	p := prefix()
	rs := rows(p)
	members := append(gz([]byte(join(rs[:4], ",", "\n"))), gz([]byte(join(rs[4:], ",", "\n")))...)
	e := loaded(baseRows)
	e.Encoding = "utf-8"
	return []file{
		{".csv.gz", truncated, with("gzip cut short", refused("gzip is damaged"))},
		{".csv.gz", trailing, with("gzip with trailing garbage", refused("are not gzip"))},
		{".csv.gz", corrupt, with("gzip damaged in its body", refused("gzip is damaged"))},
		{".csv.gz", members, with("gzip of two members", e)},
		{".csv.gz", []byte("plain text named .gz"), with("not gzip at all", refused("not a readable gzip"))},
	}
}

// jsonLines are faults of JSON Lines exports.
func jsonLines(prefix func() string) []file {
	obj := func(p string, i int) map[string]any {
		r := row(p, i)
		m := map[string]any{}
		for j, h := range header {
			m[h] = r[j]
		}
		return m
	}
	lines := func(objs ...any) string {
		var b strings.Builder
		for _, o := range objs {
			if s, ok := o.(string); ok {
				b.WriteString(s + "\n")
				continue
			}
			data, _ := json.Marshal(o)
			b.Write(append(data, '\n'))
		}
		return b.String()
	}
	base := func(p string) []any {
		var out []any
		for i := 1; i <= baseRows; i++ {
			out = append(out, obj(p, i))
		}
		return out
	}
	var out []file
	add := func(fault, text string, e Entry, gzipped bool) {
		e.Fault = fault
		if e.Outcome == "loaded" {
			e.Encoding = "utf-8"
		}
		data, ext := []byte(text), ".jsonl"
		if gzipped {
			data, ext = gz(data), ".jsonl.gz"
		}
		out = append(out, file{ext, data, e})
	}
	for _, gzipped := range []bool{false, true} {
		{
			p := prefix()
			objs := base(p)
			for i := 0; i < 3; i++ { // the first lines lack capacity_unit
				delete(objs[i].(map[string]any), "capacity_unit")
			}
			for i := 7; i <= 1100; i++ { // past any look-ahead, a key no line had before
				o := obj(p, i)
				if i == 1100 {
					o["recorded_at"] = "2024-03-06 00:00:00"
				}
				objs = append(objs, o)
			}
			e := loaded(1100)
			e.Checks = []Check{count("capacity_unit IS NOT NULL", "1097"), count("recorded_at = TIMESTAMPTZ '2024-03-06 00:00:00+08'", "1")}
			add("JSON Lines with keys only later lines have", lines(objs...), e, gzipped)
		}
		{
			p := prefix()
			objs := append(base(p), `{"case_id": "broken`)
			add("a line that is not JSON", lines(objs...), rejecting(baseRows+1, 1, "not a JSON object"), gzipped)
		}
	}
	{
		p := prefix()
		objs := append(base(p), `[1, 2, 3]`, `{"case_id": "x"} {"case_id": "y"}`, `{"case_id": "z", "capacity": NaN}`)
		add("arrays, two objects on a line, NaN", lines(objs...), rejecting(baseRows+3, 3, "JSON"), false)
	}
	{
		p := prefix()
		objs := base(p)
		objs[0].(map[string]any)["capacity"] = "NaN"
		objs[1].(map[string]any)["capacity"] = 1.5e300
		objs[2].(map[string]any)["capacity"] = "Infinity"
		add("NaN and infinity as strings", lines(objs...), rejecting(baseRows, 2, "is not a finite number"), false)
	}
	{
		p := prefix()
		objs := base(p)
		objs[2].(map[string]any)["Case_ID"] = "dup"
		add("keys differing only in case", lines(objs...), refused("both mean case_id"), false)
	}
	{
		p := prefix()
		objs := base(p)
		objs[0].(map[string]any)["applicant"] = map[string]any{"name": "张三"}
		e := loaded(baseRows)
		e.Checks = []Check{count(`applicant = '{"name":"张三"}'`, "1")}
		add("a nested value in a text field", lines(objs...), e, false)
	}
	{
		p := prefix()
		objs := append([]any{""}, base(p)...)
		objs = append(objs, "   ", "")
		add("blank lines", lines(objs...), loaded(baseRows), false)
	}
	{
		p := prefix()
		text := []byte(lines(base(p)...))
		i := bytes.Index(text, []byte("张三2"))
		text = append(text[:i:i], append([]byte{0xE5, 0x20}, text[i:]...)...)
		add("invalid UTF-8 in one line", string(text), rejecting(baseRows, 1, "is not valid UTF-8"), false)
	}
	{
		p := prefix()
		objs := base(p)
		objs[1].(map[string]any)["connected_at"] = "2024-03-05 02:00:00 UTC"
		e := rejecting(baseRows, 1, "is not a date-time")
		e.Checks = []Check{count("connected_at = TIMESTAMPTZ '2024-03-05 10:00:00+08'", "5")}
		add("a zone name in one time", lines(objs...), e, false)
	}
	{
		p := prefix()
		objs := base(p)
		for _, o := range objs {
			m := o.(map[string]any)
			m[" case_id "] = m["case_id"]
			delete(m, "case_id")
		}
		// Once trimmed, the first case id is the second's, with other content.
		objs[0].(map[string]any)[" case_id "] = " " + p + "-C2\u200b"
		e := rejecting(baseRows, 2, "same utility, case_id")
		e.Checks = []Check{count("true", "4")}
		add("keys with spaces around them", lines(objs...), e, false)
	}
	return out
}

// workbooks are faults of .xlsx exports.
func workbooks(prefix func() string) []file {
	book := func(rs [][]string, blankAt int) []byte {
		f := excelize.NewFile()
		at := 1
		for i, r := range rs {
			if i == blankAt {
				at++
			}
			for j, v := range r {
				cell, _ := excelize.CoordinatesToCellName(j+1, at)
				f.SetCellStr("Sheet1", cell, v)
			}
			at++
		}
		var b bytes.Buffer
		if err := f.Write(&b); err != nil {
			panic(err)
		}
		return b.Bytes()
	}
	many := func(p string) [][]string {
		rs := rows(p)
		for i := 7; i <= 400; i++ {
			rs = append(rs, row(p, i))
		}
		return rs
	}
	with := func(fault string, e Entry) Entry { e.Fault = fault; return e }
	damaged := book(many(prefix()), -1)
	sheetData(damaged, func(at, size int) { damaged[at+size/2] ^= 0x55 })
	truncated := book(many(prefix()), -1)
	truncated = truncated[:len(truncated)/2]
	ok := loaded(baseRows)
	ok.Encoding = "xlsx"
	p := prefix()
	dupRows := rows(p)
	dupRows[0] = append(dupRows[0], "Case_Id")
	keyRows := rows(prefix())
	keyRows[2][0] = "  " + keyRows[1][0] + "\u3000"
	// Once trimmed, the second case id is the first's, with other content.
	keys := rejecting(baseRows, 2, "same utility, case_id")
	keys.Encoding = "xlsx"
	keys.Checks = []Check{count("true", "4")}
	return []file{
		{".xlsx", damaged, with("workbook damaged in the middle of its sheet", refused("workbook"))},
		{".xlsx", truncated, with("workbook cut in half", refused("workbook"))},
		{".xlsx", book(rows(prefix()), 3), with("a blank row between records", ok)},
		{".xlsx", book(dupRows, -1), with("workbook headers differing only in case", refused("both mean case_id"))},
		{".xlsx", book(keyRows, -1), with("workbook case ids with spaces around them", keys)},
	}
}

// sheetData finds the compressed bytes of the first sheet inside a workbook.
func sheetData(xlsx []byte, fn func(at, size int)) {
	zr, err := zip.NewReader(bytes.NewReader(xlsx), int64(len(xlsx)))
	if err != nil {
		panic(err)
	}
	for _, f := range zr.File {
		if f.Name == "xl/worksheets/sheet1.xml" {
			at, err := f.DataOffset()
			if err != nil {
				panic(err)
			}
			fn(int(at), int(f.CompressedSize64))
			return
		}
	}
	panic("no sheet1.xml")
}

// lostRecords are files in which a parser would glue two records into one: a
// carriage return alone ends a row, as some tools appending to a file write it. A
// count of the records apart from the parser sees both, and the file is refused with
// the first record the parser lost: line 4, where the fifth record starts.
func lostRecords(prefix func() string) []file {
	var out []file
	for _, v := range variants {
		p := prefix()
		rs := rows(p)
		var b strings.Builder
		for i, r := range rs {
			b.WriteString(strings.Join(r, v.delim) + map[bool]string{true: "\r", false: "\n"}[i == 3])
		}
		// The lost record starts one byte past the carriage return, counted in the
		// file's own encoding, and is named by its first characters.
		before := len(strings.Join(rs[3], v.delim))
		if v.encoding == "gb18030" {
			before = len(gbk(strings.Join(rs[3], v.delim)))
		}
		first := fmt.Sprintf("%q", p+"-C4"+v.delim)
		e := refused(fmt.Sprintf("the first one lost starts at line 4 byte %d: %s", before+2, first[:len(first)-1]))
		e.Fault = "a row ended by a carriage return alone (" + v.name + ")"
		out = append(out, file{v.ext, v.encode(b.String()), e})
	}
	p := prefix()
	var b strings.Builder
	before := 0
	for i := 1; i <= baseRows; i++ {
		m := map[string]string{}
		for j, h := range header {
			m[h] = row(p, i)[j]
		}
		line, _ := json.Marshal(m)
		if i == 3 {
			before = len(line)
		}
		b.Write(line)
		b.WriteString(map[bool]string{true: "\r", false: "\n"}[i == 3])
	}
	e := refused(fmt.Sprintf("the first one lost starts at line 3 byte %d: \"{", before+2))
	e.Fault = "a JSON line ended by a carriage return alone"
	return append(out, file{".jsonl", []byte(b.String()), e})
}
