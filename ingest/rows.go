package ingest

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"unsafe"

	"github.com/duckdb/duckdb-go/v2"
)

// The rows a Go reader reads reach DuckDB through a table function, which the typing
// query reads while the reader still reads the file: one pass from the file to typed
// rows, with no text copy of the file in the database, and the reading and the typing
// on two cores at once.

// rowsFunction is the table function that yields one stream's rows: _rec BIGINT (the
// record's index among the file's records), _line BIGINT, then one VARCHAR per
// staged column.
const rowsFunction = "utilscore_rows"

// streams are the row streams being read, by id. DuckDB keeps a table function for
// the whole database, and registering a name again leaves the first function in
// place, so the function cannot hold one load's stream: it looks it up by the id
// the typing query passes.
var (
	streams    sync.Map // int64 → *rowSink
	lastStream atomic.Int64
)

// registerFunctions makes the loader's functions known to the connection's database,
// once per loader: every connection of that database then has them, and registering
// them again is harmless.
func registerFunctions(conn *sql.Conn) error {
	bigint, err := duckdb.NewTypeInfo(duckdb.TYPE_BIGINT)
	if err != nil {
		return err
	}
	err = duckdb.RegisterTableUDF(conn, rowsFunction, duckdb.ParallelChunkTableFunction{
		Config: duckdb.TableFunctionConfig{Arguments: []duckdb.TypeInfo{bigint}},
		BindArguments: func(_ map[string]any, args ...any) (duckdb.ParallelChunkTableSource, error) {
			id, _ := args[0].(int64)
			s, ok := streams.Load(id)
			if !ok {
				return nil, fmt.Errorf("%s: no stream %d is being read", rowsFunction, id)
			}
			return s.(*rowSink), nil
		},
	})
	if err != nil {
		return err
	}
	return duckdb.RegisterScalarUDF(conn, keyFunction, normalKeyFunction{})
}

// typeRows runs the typing query. Its rows carry their record numbers, so DuckDB need
// not keep them in order, which lets it type them on every core: keeping the order,
// it runs a CREATE TABLE AS over a table function on one thread.
func typeRows(ctx context.Context, conn *sql.Conn, query string) error {
	if _, err := conn.ExecContext(ctx, "SET SESSION preserve_insertion_order = false"); err != nil {
		return err
	}
	defer conn.ExecContext(context.WithoutCancel(ctx), "RESET SESSION preserve_insertion_order")
	_, err := conn.ExecContext(ctx, query)
	return err
}

// typingError is the typing query's failure met while a reader streams its rows: the
// database's, not the file's, so the file may be tried again.
type typingError struct{ err error }

func (e *typingError) Error() string { return "typing the rows: " + e.err.Error() }
func (e *typingError) Unwrap() error { return e.err }

// rowBatch is one data chunk's worth of rows: cells holds width values per row, ""
// for a missing one.
type rowBatch struct {
	recs, lines []int64
	cells       []string
}

// rowSink streams a reader's rows into the typing query, which runs on the
// connection from newRowSink to close. The reader must not use the connection
// meanwhile.
type rowSink struct {
	id      int64
	columns []string
	batch   int // rows per batch: DuckDB's data chunk
	cur     *rowBatch
	full    chan *rowBatch // read, waiting for the query
	free    chan *rowBatch // given back by the query
	done    chan struct{}  // closed when the query has ended
	err     error          // the query's, once done is closed
	closed  bool
	aborted bool // set before full is closed: the reader gave up
}

// newRowSink starts the typing query (o.typed) over the rows to come; columns are the
// staged columns, in the order add gets their values.
func newRowSink(ctx context.Context, conn *sql.Conn, st *staged, columns []string, o readerOptions) *rowSink {
	s := &rowSink{
		id: lastStream.Add(1), columns: columns, batch: duckdb.GetDataChunkCapacity(),
		full: make(chan *rowBatch, 2), free: make(chan *rowBatch, 4), done: make(chan struct{}),
	}
	s.cur = s.newBatch()
	streams.Store(s.id, s)
	query := o.typed(st, fmt.Sprintf("%s(%d)", rowsFunction, s.id))
	go func() {
		s.err = typeRows(ctx, conn, query)
		close(s.done)
	}()
	return s
}

func (s *rowSink) newBatch() *rowBatch {
	select {
	case b := <-s.free:
		return b
	default:
		return &rowBatch{recs: make([]int64, 0, s.batch), lines: make([]int64, 0, s.batch),
			cells: make([]string, 0, s.batch*len(s.columns))}
	}
}

// add passes on one row: the record's index among the file's records, its line, and
// the value of each staged column ("" = missing).
func (s *rowSink) add(rec, line int64, cells []string) error {
	s.cur.recs = append(s.cur.recs, rec)
	s.cur.lines = append(s.cur.lines, line)
	s.cur.cells = append(s.cur.cells, cells...)
	if len(s.cur.lines) < s.batch {
		return nil
	}
	select {
	case s.full <- s.cur:
	case <-s.done:
		return s.failed()
	}
	s.cur = s.newBatch()
	return nil
}

// failed is the error of a query that ended before its rows did.
func (s *rowSink) failed() error {
	if s.err == nil {
		return &typingError{errors.New("the query ended before the rows did")}
	}
	return &typingError{s.err}
}

// close passes on the last rows and waits for the query to have typed them all.
func (s *rowSink) close() error {
	s.closed = true
	defer streams.Delete(s.id)
	if len(s.cur.lines) > 0 {
		select {
		case s.full <- s.cur:
		case <-s.done:
			return s.failed()
		}
	}
	close(s.full)
	<-s.done
	if s.err != nil {
		return &typingError{s.err}
	}
	return nil
}

// abort stops the query of a reader that failed, unless close was called.
func (s *rowSink) abort() {
	if s.closed {
		return
	}
	s.closed, s.aborted = true, true
	close(s.full)
	<-s.done
	streams.Delete(s.id)
}

// The table function's side, called by DuckDB.

func (s *rowSink) ColumnInfos() []duckdb.ColumnInfo {
	bigint, _ := duckdb.NewTypeInfo(duckdb.TYPE_BIGINT)
	varchar, _ := duckdb.NewTypeInfo(duckdb.TYPE_VARCHAR)
	infos := []duckdb.ColumnInfo{{Name: "_rec", T: bigint}, {Name: "_line", T: bigint}}
	for _, c := range s.columns {
		infos = append(infos, duckdb.ColumnInfo{Name: c, T: varchar})
	}
	return infos
}

func (s *rowSink) Cardinality() *duckdb.CardinalityInfo { return nil }

// Init lets DuckDB take batches on as many threads as it runs: each is one data
// chunk, whole.
func (s *rowSink) Init() duckdb.ParallelTableSourceInfo { return duckdb.ParallelTableSourceInfo{} }

func (s *rowSink) NewLocalState() any { return &struct{}{} }

// FillChunk hands DuckDB the next batch, waiting for the reader to fill it.
func (s *rowSink) FillChunk(_ any, chunk duckdb.DataChunk) error {
	b, ok := <-s.full
	if !ok {
		if s.aborted {
			return errors.New("the file's reader stopped")
		}
		return chunk.SetSize(0)
	}
	for r := range b.lines {
		if err := duckdb.SetChunkValue(chunk, 0, r, b.recs[r]); err != nil {
			return err
		}
		if err := duckdb.SetChunkValue(chunk, 1, r, b.lines[r]); err != nil {
			return err
		}
	}
	width := len(s.columns)
	for c := range width {
		for r := range b.lines {
			var err error
			if v := b.cells[r*width+c]; v == "" {
				err = chunk.SetValue(c+2, r, nil)
			} else {
				// DuckDB copies the bytes; handing it the string's own spares a copy.
				err = duckdb.SetChunkValue(chunk, c+2, r, unsafe.Slice(unsafe.StringData(v), len(v)))
			}
			if err != nil {
				return err
			}
		}
	}
	if err := chunk.SetSize(len(b.lines)); err != nil {
		return err
	}
	b.recs, b.lines, b.cells = b.recs[:0], b.lines[:0], b.cells[:0]
	select {
	case s.free <- b:
	default:
	}
	return nil
}
