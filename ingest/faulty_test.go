package ingest

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

//go:generate go run ./internal/faultgen -out testdata/faulty

// faultyEntry is one file of testdata/faulty/manifest.json (see internal/faultgen).
type faultyEntry struct {
	File, Fault, Outcome              string
	Records, Loaded, Rejected, Warned int64
	Reason                            string
	EncodingOption                    string `json:"encoding_option"`
	Encoding                          string
	Checks                            []struct{ Query, Want string }
}

// Every faulty export of the corpus loads as its manifest says: refused whole with a
// one-line reason naming the file, or loaded with every record accounted for (the
// ledger against the records the file was written with), the rejects it should
// have, and the values it holds; and no stored text holds a replacement character.
func TestFaultyExports(t *testing.T) {
	data, err := os.ReadFile("testdata/faulty/manifest.json")
	if err != nil {
		t.Fatal(err)
	}
	var manifest []faultyEntry
	if err := json.Unmarshal(data, &manifest); err != nil {
		t.Fatal(err)
	}
	if len(manifest) < 100 {
		t.Fatalf("the corpus holds %d files, want at least 100", len(manifest))
	}
	db := openDB(t) // one database: every file has its own case ids
	loaders := map[string]*Loader{}
	outcomes := map[string]int{}
	for _, e := range manifest {
		t.Run(e.File, func(t *testing.T) {
			path := filepath.Join("testdata/faulty", e.File)
			if loaders[e.EncodingOption] == nil {
				loaders[e.EncodingOption] = newLoader(t, db, Options{Encoding: e.EncodingOption})
			}
			res, err := loaders[e.EncodingOption].Load(t.Context(), path)
			ledger := query(t, db.DB, `SELECT rows_read, rows_loaded, rows_rejected,
				(SELECT count(DISTINCT line) FROM rejects r WHERE r.load_id = l.load_id AND severity = 'warning'), encoding
				FROM loads l WHERE file_name = ?`, e.File)
			if e.Outcome == "refused" {
				var fe *FileError
				msg := ""
				if err != nil {
					msg = err.Error()
				}
				if !errors.As(err, &fe) || !strings.Contains(msg, e.Reason) || !strings.Contains(msg, e.File) || strings.Contains(msg, "\n") {
					t.Errorf("%s: err = %q; want a one-line refusal naming the file and saying %q", e.Fault, msg, e.Reason)
				}
				if len(ledger) != 0 {
					t.Errorf("%s: a refused file has a ledger row %v", e.Fault, ledger)
				}
				outcomes["refused"]++
				return
			}
			if err != nil {
				t.Fatalf("%s: %v", e.Fault, err)
			}
			if res.RowsRead != e.Records || res.RowsLoaded != e.Loaded || res.RowsRejected != e.Rejected || res.RowsWarned != e.Warned {
				t.Errorf("%s: read/loaded/rejected/warned = %d/%d/%d/%d, want %d/%d/%d/%d; %v", e.Fault,
					res.RowsRead, res.RowsLoaded, res.RowsRejected, res.RowsWarned, e.Records, e.Loaded, e.Rejected, e.Warned, res.Problems)
			}
			if e.Encoding != "" && res.Encoding != e.Encoding {
				t.Errorf("%s: encoding %s, want %s", e.Fault, res.Encoding, e.Encoding)
			}
			want := []string{itoa(e.Records), itoa(e.Loaded), itoa(e.Rejected), itoa(e.Warned)}
			if len(ledger) != 1 || strings.Join(ledger[0][:4], " ") != strings.Join(want, " ") {
				t.Errorf("%s: ledger %v, want %v", e.Fault, ledger, want)
			}
			rejected := queryOne(t, db.DB, "SELECT count(DISTINCT line) FROM rejects WHERE file_name = ? AND severity = 'rejected'", e.File)
			if rejected != itoa(e.Rejected) {
				t.Errorf("%s: rejects table holds %s rejected lines, want %d", e.Fault, rejected, e.Rejected)
			}
			if e.Reason != "" {
				for _, r := range query(t, db.DB, "SELECT line, coalesce(column_name, ''), reason FROM rejects WHERE file_name = ? AND severity = 'rejected'", e.File) {
					if !strings.Contains(r[1]+" "+r[2], e.Reason) || r[0] == "∅" {
						t.Errorf("%s: reject %v does not give its line or say %q", e.Fault, r, e.Reason)
					}
				}
			}
			for _, c := range e.Checks {
				if got := queryOne(t, db.DB, strings.ReplaceAll(c.Query, "{file}", e.File)); got != c.Want {
					t.Errorf("%s: %s = %s, want %s", e.Fault, c.Query, got, c.Want)
				}
			}
			outcomes["loaded"]++
		})
	}
	for _, table := range []string{"cases", "case_history", "rejects", "loads"} {
		if got := queryOne(t, db.DB, "SELECT count(*) FROM "+table+" t WHERE contains(t::VARCHAR, '\uFFFD')"); got != "0" {
			t.Errorf("%s holds %s rows with a replacement character", table, got)
		}
	}
	t.Logf("%d faulty exports: %v", len(manifest), outcomes)
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

// Faults too big to keep in the corpus, made at test time: a row of several MiB is
// rejected alone, and a small gzip that expands to one enormous line is refused,
// both with the memory held bounded.
func TestHugeFaultyExports(t *testing.T) {
	dir := t.TempDir()
	long := caseHeader + "C1,power,510302,residential,open,2024-03-01 09:00,\n" +
		"C2,power,510302,residential,open,2024-03-01 09:00," + strings.Repeat("9", 3<<20) + "\n" +
		"C3,power,510302,residential,open,2024-03-01 09:00,\n"
	longPath := filepath.Join(dir, "long_line.csv")
	os.WriteFile(longPath, []byte(long), 0o644)

	bombPath := filepath.Join(dir, "one_enormous_line.csv.gz")
	f, _ := os.Create(bombPath)
	zw, _ := gzip.NewWriterLevel(f, gzip.BestCompression)
	zw.Write([]byte(caseHeader))
	chunk := bytes.Repeat([]byte("a"), 1<<20)
	for range 200 { // 200 MiB of one line, a few hundred KiB compressed
		zw.Write(chunk)
	}
	zw.Close()
	f.Close()

	db := openDB(t)
	l := newLoader(t, db, Options{})
	peak := watchHeap(t)
	res, err := l.Load(t.Context(), longPath)
	if err != nil || res.RowsRead != 3 || res.RowsLoaded != 2 || res.RowsRejected != 1 || !strings.Contains(res.Problems[0].Reason, "longer than 1 MiB") || res.Problems[0].Line != 3 {
		t.Errorf("long line: %+v, %v; want 3 read, 2 loaded, line 3 rejected as too long", res, err)
	}
	_, err = l.Load(t.Context(), bombPath)
	var fe *FileError
	if !errors.As(err, &fe) || !strings.Contains(err.Error(), "decompression bomb") {
		t.Errorf("gzip bomb: err = %v, want it refused as a decompression bomb", err)
	}
	if p := peak(); p > 256<<20 {
		t.Errorf("the loads held up to %d MiB of heap; want it bounded well below the file sizes", p>>20)
	}
}

// watchHeap samples the heap until the test ends, and returns the peak so far.
func watchHeap(t *testing.T) func() uint64 {
	var peak atomic.Uint64
	stop := make(chan struct{})
	t.Cleanup(func() { close(stop) })
	go func() {
		var ms runtime.MemStats
		for {
			runtime.ReadMemStats(&ms)
			if ms.HeapAlloc > peak.Load() {
				peak.Store(ms.HeapAlloc)
			}
			select {
			case <-stop:
				return
			case <-time.After(5 * time.Millisecond):
			}
		}
	}()
	return peak.Load
}
