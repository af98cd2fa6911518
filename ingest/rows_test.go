package ingest

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
)

// casesRows writes n good cases rows, then tail, under the cases headers: enough
// rows that the typing query is under way, holding batches, when tail is reached.
func casesRows(n int, tail string) string {
	var b strings.Builder
	b.WriteString("case_id,utility,district,customer_class,status,applied_at\n")
	for i := range n {
		fmt.Fprintf(&b, "C%d,power,510302,residential,open,2024-03-01 09:00\n", i)
	}
	b.WriteString(tail)
	return b.String()
}

// A reader that fails after its rows have started to stream stops the typing query:
// the file is refused whole, and the connection is left able to load the next file.
func TestReaderFailingMidStream(t *testing.T) {
	db := openDB(t)
	l := newLoader(t, db, Options{})
	bad := writeFile(t, "bad.csv", casesRows(5000, "\"C-open,power,510302,residential,open,2024-03-01 09:00\n"))
	_, err := l.Load(t.Context(), bad)
	var fe *FileError
	if !errors.As(err, &fe) || !strings.Contains(err.Error(), "line 5002: a quoted field opened on this line is never closed") {
		t.Fatalf("err = %v, want the file refused for the quote opened on line 5002", err)
	}
	if got := queryOne(t, db.DB, "SELECT count(*) FROM cases"); got != "0" {
		t.Errorf("a refused file left %s cases", got)
	}
	res := load(t, l, writeFile(t, "good.csv", casesRows(3000, "")))
	if res.RowsRead != 3000 || res.RowsLoaded != 3000 {
		t.Errorf("the next file: read %d, loaded %d; want 3000, 3000 (problems %v)", res.RowsRead, res.RowsLoaded, res.Problems)
	}
}

// A load cancelled as its rows are read ends with the context's error, not a refusal:
// the file may be tried again, and is, whole.
func TestLoadCancelledWhileReading(t *testing.T) {
	db := openDB(t)
	path := writeFile(t, "cases.csv", casesRows(5000, ""))
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	l := newLoader(t, db, Options{Progress: func(_, step string, _, _ int64) {
		if step == "reading" {
			cancel()
		}
	}})
	_, err := l.Load(ctx, path)
	var fe *FileError
	if !errors.Is(err, context.Canceled) || errors.As(err, &fe) {
		t.Fatalf("err = %v, want the context's cancellation, not a refusal", err)
	}
	res := load(t, newLoader(t, db, Options{}), path)
	if res.RowsRead != 5000 || res.RowsLoaded != 5000 {
		t.Errorf("tried again: read %d, loaded %d; want 5000, 5000", res.RowsRead, res.RowsLoaded)
	}
}
