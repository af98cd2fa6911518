package ingest

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"sort"
	"strconv"
)

// stageJSONL reads one JSON object per line. The columns are the keys of every line,
// not only the first ones, so the file is read twice: once for the keys, once for the
// rows. A line that is not a JSON object is a rejected row with its line number.
func stageJSONL(ctx context.Context, conn *sql.Conn, src source, o readerOptions) (*staged, error) {
	scan := &recordScan{json: true}
	survey, err := surveyText(src.path, src.gzipped, o.encoding, scan)
	if err != nil {
		return nil, err
	}
	keySet := map[string]bool{}
	_, err = eachJSONLine(src, survey.encoding, func(l textLine, obj map[string]any, _ string) error {
		for k := range obj {
			keySet[k] = true
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	keys := make([]string, 0, len(keySet))
	for k := range keySet {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	if len(keys) == 0 {
		return nil, fmt.Errorf("no line holds a JSON object; a .jsonl file holds one object per line")
	}
	cm, err := mapHeaders(keys, o.profile, o.kinds, o.kind)
	if err != nil {
		return nil, err
	}
	st := cm.staged(formatJSONL, survey.encoding)
	order := cm.stagedColumns()
	keyOf := make([]string, len(order))
	for i, c := range order {
		keyOf[i] = keys[cm.index[c]]
	}
	sink := newRowSink(ctx, conn, st, order, o)
	defer sink.abort()
	values := make([]string, len(order))
	lines, err := eachJSONLine(src, survey.encoding, func(l textLine, obj map[string]any, problem string) error {
		defer func() { st.records++ }()
		if problem != "" {
			st.skip(st.records, l.no, problem)
			return nil
		}
		for i, k := range keyOf {
			values[i] = jsonText(obj[k])
		}
		return sink.add(st.records, l.no, values)
	})
	if err != nil {
		return nil, err
	}
	if err := sink.close(); err != nil {
		return nil, err
	}
	if err := checkRecords(ctx, conn, src, survey.encoding, scan, 0, st); err != nil {
		return nil, err
	}
	if lines != survey.lines {
		return nil, fmt.Errorf("the file has %d lines but %d were read; it changed while being loaded, or its text is damaged: export it again", survey.lines, lines)
	}
	return st, nil
}

// eachJSONLine calls fn for every non-blank line, with its object or why it has none.
// It returns the number of physical lines read.
func eachJSONLine(src source, enc string, fn func(l textLine, obj map[string]any, problem string) error) (int64, error) {
	lines, err := openLines(src.path, src.gzipped, enc)
	if err != nil {
		return 0, err
	}
	defer lines.Close()
	for {
		l, err := lines.next()
		if errors.Is(err, io.EOF) {
			return lines.line, nil
		} else if err != nil {
			return lines.line, err
		}
		text := bytes.TrimSpace(l.text)
		if len(text) == 0 && !l.tooLong {
			continue
		}
		var obj map[string]any
		problem := ""
		switch {
		case l.tooLong:
			problem = fmt.Sprintf("the line is longer than %d MiB, which no export's row is; it is not loaded", maxRecordBytes>>20)
		case l.bad != "":
			problem = fmt.Sprintf("line %d is not valid %s text: %s; the row is not loaded (export it again, or give the right --encoding)", l.no, enc, l.bad)
		default:
			dec := json.NewDecoder(bytes.NewReader(text))
			dec.UseNumber()
			if err := dec.Decode(&obj); err != nil || obj == nil {
				problem = "not a JSON object"
				if err != nil {
					problem += ": " + err.Error()
				}
			} else if dec.More() {
				problem = "more than one JSON value on the line; a .jsonl file holds one object per line"
			}
		}
		if err := fn(l, obj, problem); err != nil {
			return lines.line, err
		}
	}
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

// peekJSONL reads the keys of the first object.
func peekJSONL(_ context.Context, _ *sql.DB, src source, enc string) ([]string, error) {
	var keys []string
	stop := errors.New("enough")
	_, err := eachJSONLine(src, guessEncoding(src, enc), func(_ textLine, obj map[string]any, _ string) error {
		if obj == nil {
			return nil
		}
		for k := range obj {
			keys = append(keys, k)
		}
		return stop
	})
	if err != nil && !errors.Is(err, stop) {
		return nil, err
	}
	sort.Strings(keys)
	return keys, nil
}
