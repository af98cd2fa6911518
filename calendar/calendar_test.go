package calendar

import (
	"errors"
	"math"
	"strings"
	"testing"
	"time"
)

var shanghai = mustLoad("Asia/Shanghai")

func mustLoad(name string) *time.Location {
	loc, err := time.LoadLocation(name)
	if err != nil {
		panic(err)
	}
	return loc
}

func at(s string) time.Time {
	t, err := time.ParseInLocation("2006-01-02 15:04", s, shanghai)
	if err != nil {
		panic(err)
	}
	return t
}

// The worked examples of spec/calendar.md, plus edge cases around them.
func TestWorkingDays(t *testing.T) {
	cal, err := BuiltIn(shanghai)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name       string
		start, end string
		want       float64
	}{
		{"Fri 16:00 to Mon 10:00 over an ordinary weekend: 8 h + 10 h", "2024-03-08 16:00", "2024-03-11 10:00", 0.75},
		{"Mon 09:00 to Mon 15:00", "2024-03-11 09:00", "2024-03-11 15:00", 0.25},
		{"National Day 2024: 1-7 Oct off, 29 Sep make-up day before the start", "2024-09-30 12:00", "2024-10-08 12:00", 1.0},
		{"Sat 12 Oct 2024 was a make-up working day", "2024-10-11 12:00", "2024-10-14 12:00", 2.0},
		{"an ordinary Saturday counts nothing", "2024-03-09 00:00", "2024-03-10 00:00", 0},
		{"the 29 Sep 2024 make-up Sunday counts", "2024-09-29 00:00", "2024-09-30 00:00", 1},
		{"a whole ordinary week", "2024-03-04 00:00", "2024-03-11 00:00", 5},
		{"Spring Festival 2024: Sun 4 Feb worked + 5-9 Feb + Sun 18 Feb worked, 10-17 Feb off", "2024-02-04 00:00", "2024-02-19 00:00", 7},
		{"across a year end", "2024-12-31 12:00", "2025-01-02 12:00", 1},
		{"end before start is negative", "2024-03-11 15:00", "2024-03-11 09:00", -0.25},
		{"same instant", "2024-03-11 09:00", "2024-03-11 09:00", 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := cal.WorkingDays(at(tt.start), at(tt.end))
			if err != nil {
				t.Fatal(err)
			}
			if math.Abs(got-tt.want) > 1e-9 {
				t.Errorf("WorkingDays(%s, %s) = %v, want %v", tt.start, tt.end, got, tt.want)
			}
		})
	}
}

func TestInstantsInOtherZonesAreReadInTheCalendarZone(t *testing.T) {
	cal, _ := BuiltIn(shanghai)
	// 2024-03-08 08:00 UTC is Fri 16:00 in Shanghai; 2024-03-11 02:00 UTC is Mon 10:00.
	got, err := cal.WorkingDays(time.Date(2024, 3, 8, 8, 0, 0, 0, time.UTC), time.Date(2024, 3, 11, 2, 0, 0, 0, time.UTC))
	if err != nil || math.Abs(got-0.75) > 1e-9 {
		t.Fatalf("got %v, %v; want 0.75", got, err)
	}
}

func TestUnknownYearIsAnError(t *testing.T) {
	cal, _ := BuiltIn(shanghai)
	if wd, err := cal.WorkingDays(at("2026-12-31 12:00"), at("2027-01-01 00:00")); err != nil || wd != 0.5 {
		t.Errorf("up to the midnight closing the calendar: %v, %v; want 0.5", wd, err)
	}
	for _, pair := range [][2]string{{"2018-12-31 09:00", "2019-01-02 09:00"}, {"2026-12-30 09:00", "2027-01-04 09:00"}} {
		if _, err := cal.WorkingDays(at(pair[0]), at(pair[1])); !errors.Is(err, ErrUnknownYear) {
			t.Errorf("WorkingDays(%s, %s): err = %v, want ErrUnknownYear", pair[0], pair[1], err)
		}
	}
}

func TestUserFileOverridesAndAddsAYear(t *testing.T) {
	cal, err := LoadFile(shanghai, "testdata/local-2027.csv")
	if err != nil {
		t.Fatal(err)
	}
	if first, last := cal.Years(); first != 2019 || last != 2027 {
		t.Fatalf("years = %d–%d, want 2019–2027", first, last)
	}
	tests := []struct {
		date string
		want bool
	}{
		{"2026-12-31", false}, // a Thursday the local rule takes off
		{"2027-01-01", false}, // New Year in the added year
		{"2027-01-04", true},  // an ordinary Monday of the added year
		{"2024-10-12", true},  // built-in make-up day untouched
	}
	for _, tt := range tests {
		d, err := cal.Day(at(tt.date + " 00:00"))
		if err != nil || d.IsWorkday != tt.want {
			t.Errorf("Day(%s) = %v, %v; want is_workday %v", tt.date, d.IsWorkday, err, tt.want)
		}
	}
}

func TestBadCalendarFiles(t *testing.T) {
	tests := []struct {
		name, path, want string
	}{
		{"bad date", "testdata/bad-date.csv", "line 3, column date"},
		{"bad flag", "testdata/bad-flag.csv", "line 2, column is_workday"},
		{"gap between years", "testdata/gap-year.csv", "2027 is missing"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := LoadFile(shanghai, tt.path)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("err = %v, want it to mention %q", err, tt.want)
			}
		})
	}
}

func TestAddWorkingDaysInvertsWorkingDays(t *testing.T) {
	cal, _ := BuiltIn(shanghai)
	starts := []string{"2024-09-27 15:00", "2024-09-30 12:00", "2024-10-05 10:00", "2024-10-11 12:00", "2024-02-08 17:30", "2025-12-31 23:00"}
	for _, s := range starts {
		for _, wd := range []float64{0, 0.25, 0.5, 1, 2.75, 7, 20} {
			end, err := cal.AddWorkingDays(at(s), wd)
			if err != nil {
				t.Fatal(err)
			}
			got, _ := cal.WorkingDays(at(s), end)
			if math.Abs(got-wd) > 1e-6 {
				t.Errorf("AddWorkingDays(%s, %v) = %s, which is %v working days later", s, wd, end, got)
			}
			if end.Before(at(s)) {
				t.Errorf("AddWorkingDays(%s, %v) = %s is before the start", s, wd, end)
			}
		}
	}
	// Known landing points: half a day from Mon 30 Sep 12:00 ends the day; a full day
	// more skips the holiday and lands at 8 Oct 12:00.
	end, _ := cal.AddWorkingDays(at("2024-09-30 12:00"), 1)
	if !end.Equal(at("2024-10-08 12:00")) {
		t.Errorf("AddWorkingDays(2024-09-30 12:00, 1) = %s, want 2024-10-08 12:00", end)
	}
}

func TestFixedOffset(t *testing.T) {
	date := func(year int, loc *time.Location) time.Time { return time.Date(year, 1, 1, 0, 0, 0, 0, loc) }
	berlin := mustLoad("Europe/Berlin")
	tests := []struct {
		name       string
		loc        *time.Location
		from, to   time.Time
		wantOffset int
		wantFixed  bool
	}{
		{"Shanghai since 1992", shanghai, date(1992, shanghai), date(2100, shanghai), 8 * 3600, true},
		{"Shanghai over its summer times", shanghai, date(1988, shanghai), date(2027, shanghai), 8 * 3600, false},
		{"Berlin over a year", berlin, date(2024, berlin), date(2025, berlin), 3600, false},
		{"Berlin within a winter", berlin, date(2024, berlin), date(2024, berlin).AddDate(0, 2, 0), 3600, true},
		{"UTC", time.UTC, date(1900, time.UTC), date(2100, time.UTC), 0, true},
	}
	for _, tt := range tests {
		offset, fixed := FixedOffset(tt.loc, tt.from, tt.to)
		if offset != tt.wantOffset || fixed != tt.wantFixed {
			t.Errorf("%s: FixedOffset = %d, %v; want %d, %v", tt.name, offset, fixed, tt.wantOffset, tt.wantFixed)
		}
	}
}
