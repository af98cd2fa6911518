package store

import (
	"context"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func open(t *testing.T, opts Options) *DB {
	t.Helper()
	db, err := Open(context.Background(), ":memory:", opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// The worked examples of spec/calendar.md, computed by the SQL the metrics use.
func TestWorkingDaysInSQL(t *testing.T) {
	db := open(t, Options{})
	tests := []struct {
		start, end string
		want       float64
	}{
		{"2024-03-08 16:00", "2024-03-11 10:00", 0.75}, // Fri → Mon over an ordinary weekend
		{"2024-03-11 09:00", "2024-03-11 15:00", 0.25},
		{"2024-09-30 12:00", "2024-10-08 12:00", 1.0},             // National Day 2024
		{"2024-10-11 12:00", "2024-10-14 12:00", 2.0},             // Sat 12 Oct 2024 was a make-up day
		{"2024-09-30 04:00:00+00", "2024-10-08 04:00:00+00", 1.0}, // the same instants given in UTC
	}
	for _, tt := range tests {
		var got float64
		err := db.QueryRow("SELECT working_days(ci, ?::TIMESTAMPTZ, ?::TIMESTAMPTZ) FROM calendar_index ci", tt.start, tt.end).Scan(&got)
		if err != nil {
			t.Fatal(err)
		}
		if math.Abs(got-tt.want) > 1e-9 {
			t.Errorf("working_days(%s, %s) = %v, want %v", tt.start, tt.end, got, tt.want)
		}
	}
}

// The SQL agrees with the Go calendar in a zone of one offset (Asia/Shanghai) and in
// one with summer time.
func TestWorkingDaysInSQLAgreesWithGo(t *testing.T) {
	for _, zone := range []struct{ name string }{{"Asia/Shanghai"}, {"Europe/Berlin"}} {
		t.Run(zone.name, func(t *testing.T) {
			db := open(t, Options{TimeZone: zone.name})
			rng := rand.New(rand.NewPCG(7, 7))
			start := time.Date(2019, 1, 1, 0, 0, 0, 0, db.Location)
			span := int64(time.Date(2026, 12, 31, 0, 0, 0, 0, db.Location).Sub(start))
			for i := 0; i < 500; i++ {
				a := start.Add(time.Duration(rng.Int64N(span))).Truncate(time.Second)
				b := a.Add(time.Duration(rng.Int64N(int64(40 * 24 * time.Hour)))).Truncate(time.Second)
				want, err := db.Calendar.WorkingDays(a, b)
				if err != nil {
					continue // b may fall past the last known year
				}
				var got float64
				var day string
				if err := db.QueryRow("SELECT working_days(ci, ?, ?), ?::TIMESTAMPTZ::DATE::VARCHAR FROM calendar_index ci", a, b, a).Scan(&got, &day); err != nil {
					t.Fatal(err)
				}
				if math.Abs(got-want) > 1e-6 {
					t.Fatalf("%s → %s: SQL %v, Go %v", a, b, got, want)
				}
				if want := a.Format("2006-01-02"); day != want {
					t.Fatalf("the local date of %s = %s, want %s", a, day, want)
				}
			}
		})
	}
}

// local_time adds the offset where the zone keeps one over the calendar and casts
// elsewhere: either way it is the wall-clock time the time-zone cast gives, over the
// calendar's span and its margins, for instants, dates and local times.
func TestLocalTimeIsTheTimeZoneCast(t *testing.T) {
	for _, zone := range []struct {
		name  string
		fixed bool
	}{{"Asia/Shanghai", true}, {"Europe/Berlin", false}} {
		t.Run(zone.name, func(t *testing.T) {
			db := open(t, Options{TimeZone: zone.name})
			if _, fixed := fixedOffset(db.Calendar); fixed != zone.fixed {
				t.Fatalf("fixed offset = %v, want %v", fixed, zone.fixed)
			}
			from, to := span(db.Calendar)
			from, to = from.Add(-localTimeMargin), to.Add(localTimeMargin)
			rng := rand.New(rand.NewPCG(3, 5))
			instants := []time.Time{from, to, to.Add(-time.Second)}
			for i := 0; i < 300; i++ {
				instants = append(instants, from.Add(time.Duration(rng.Int64N(int64(to.Sub(from))))).Truncate(time.Microsecond))
			}
			for _, at := range instants {
				var viaMacro, viaCast, fromText string
				err := db.QueryRow(`SELECT local_time(?::TIMESTAMPTZ)::VARCHAR, ?::TIMESTAMPTZ::TIMESTAMP::VARCHAR,
					local_time(?::TIMESTAMPTZ::TIMESTAMP)::VARCHAR`, at, at, at).Scan(&viaMacro, &viaCast, &fromText)
				if err != nil {
					t.Fatal(err)
				}
				if viaMacro != viaCast || fromText != viaCast {
					t.Errorf("local_time(%s) = %s (of the local time: %s), want %s", at, viaMacro, fromText, viaCast)
				}
			}
			var day string
			if err := db.QueryRow("SELECT local_time(DATE '2024-03-31')::VARCHAR").Scan(&day); err != nil || day != "2024-03-31 00:00:00" {
				t.Errorf("local_time of a date = %q, %v; want its midnight", day, err)
			}
		})
	}
}

// Shanghai kept summer time in 1986–1991: where local_time's offset would be wrong, the
// calendar does not reach, and working time is refused rather than misplaced.
func TestWorkingDaysRefusesInstantsBeforeTheCalendar(t *testing.T) {
	db := open(t, Options{})
	var got float64
	err := db.QueryRow("SELECT working_days(ci, '1988-07-01 12:00:00+08'::TIMESTAMPTZ, '2024-01-05 09:00:00+08'::TIMESTAMPTZ) FROM calendar_index ci").Scan(&got)
	if err == nil || !strings.Contains(err.Error(), "does not know the date 1988-07-01") {
		t.Errorf("err = %v, want the unknown date named", err)
	}
}

func TestWorkingDaysInSQLRefusesUnknownYears(t *testing.T) {
	db := open(t, Options{})
	var got float64
	// The midnight that closes 2026 is known (the end of its last quarter); 31 Dec
	// 2026 is a Thursday working day.
	if err := db.QueryRow("SELECT working_days(ci, '2026-12-31 12:00'::TIMESTAMPTZ, '2027-01-01 00:00'::TIMESTAMPTZ) FROM calendar_index ci").Scan(&got); err != nil || got != 0.5 {
		t.Errorf("working_days up to the midnight closing the calendar = %v, %v; want 0.5", got, err)
	}
	if err := db.QueryRow("SELECT working_days(ci, '2026-12-31 12:00'::TIMESTAMPTZ, '2027-01-01 00:00:01'::TIMESTAMPTZ) FROM calendar_index ci").Scan(&got); err == nil {
		t.Error("a second past the calendar was accepted")
	}
	err := db.QueryRow("SELECT working_days(ci, '2026-12-30 09:00'::TIMESTAMPTZ, '2027-01-05 09:00'::TIMESTAMPTZ) FROM calendar_index ci").Scan(&got)
	if err == nil || !strings.Contains(err.Error(), "does not know the date 2027-01-05") {
		t.Fatalf("err = %v, want the unknown date named", err)
	}
	if err := db.QueryRow("SELECT coalesce(working_days(ci, NULL, '2024-01-05'::TIMESTAMPTZ), -1) FROM calendar_index ci").Scan(&got); err != nil || got != -1 {
		t.Errorf("working_days with a NULL end = %v, %v; want NULL", got, err)
	}
}

func TestUserCalendarFileReachesSQL(t *testing.T) {
	path := filepath.Join(t.TempDir(), "local.csv")
	os.WriteFile(path, []byte("date,is_workday,note\n2024-03-11,false,local holiday\n"), 0o644)
	db := open(t, Options{CalendarFile: path})
	var got float64
	db.QueryRow("SELECT working_days(ci, '2024-03-11 09:00'::TIMESTAMPTZ, '2024-03-12 09:00'::TIMESTAMPTZ) FROM calendar_index ci").Scan(&got)
	if math.Abs(got-0.375) > 1e-9 { // only 00:00–09:00 of Tuesday counts
		t.Errorf("working_days over a local holiday = %v, want 0.375", got)
	}
}

func TestOpeningAgainKeepsData(t *testing.T) {
	path := filepath.Join(t.TempDir(), "u.duckdb")
	ctx := context.Background()
	db, err := Open(ctx, path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	// A load's rows with its ledger row: opening checks the one against the other.
	db.Exec(`INSERT INTO loads (load_id, file_name, sha256, kind, format, encoding, profile, rows_read, rows_loaded, rows_rejected, rows_updated, started_at, finished_at)
		VALUES (1, 'd.csv', 'h', 'districts', 'csv', 'utf-8', 'p', 1, 1, 0, 0, now(), now())`)
	db.Exec("INSERT INTO districts VALUES ('510302', '自流井区', NULL, NULL, 1, 1)")
	db.Close()
	db, err = Open(ctx, path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var n int
	db.QueryRow("SELECT count(*) FROM districts").Scan(&n)
	if n != 1 {
		t.Errorf("districts after reopening = %d, want 1", n)
	}
}

// TestMemoryLimitReachesDuckDB opens a database for writing and for reading with a
// memory limit: DuckDB runs under it, and a limit it cannot read is refused with the
// value named.
func TestMemoryLimitReachesDuckDB(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "m.duckdb")
	tests := []struct {
		name  string
		open  func(context.Context, string, Options) (*DB, error)
		limit string
		want  string // read back in binary units
	}{
		{"for writing", Open, "300MB", "286.1 MiB"},
		{"for reading", OpenForReading, "200MB", "190.7 MiB"},
	}
	for _, tt := range tests {
		db, err := tt.open(ctx, path, Options{MemoryLimit: tt.limit})
		if err != nil {
			t.Fatal(err)
		}
		var got string
		err = db.QueryRow("SELECT current_setting('memory_limit')").Scan(&got)
		db.Close()
		if err != nil {
			t.Fatal(err)
		}
		if got != tt.want {
			t.Errorf("%s: memory_limit is %q, want %s (%s)", tt.name, got, tt.limit, tt.want)
		}
	}
	if _, err := Open(ctx, path, Options{MemoryLimit: "a lot"}); err == nil || !strings.Contains(err.Error(), `"a lot"`) {
		t.Errorf("a limit DuckDB cannot read: got %v, want an error naming it", err)
	}
}
