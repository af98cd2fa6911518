package store

import (
	"testing"
)

// The worked examples of spec/calendar.md "Deadlines", computed by the SQL the
// metrics use: the deadline date, and whether the end met it under the legal and the
// elapsed rule.
func TestDeadlinesInSQL(t *testing.T) {
	db := open(t, Options{})
	tests := []struct {
		name     string
		start    string
		n        float64
		pause    float64
		end      string // "" when only the deadline is checked
		deadline string
		legal    bool // met under the legal rule
		elapsed  bool // met under the elapsed rule
	}{
		{"connected Thu 23:00", "2024-10-14 10:00", 3, 0, "2024-10-17 23:00", "2024-10-17", true, false},
		{"National Day", "2024-09-30 12:00", 1, 0, "2024-10-08 23:59", "2024-10-08", true, false},
		{"start on a make-up day", "2024-10-12 09:00", 1, 0, "", "2024-10-14", false, false},
		{"start on a Sunday", "2024-10-13 09:00", 1, 0, "", "2024-10-14", false, false},
		{"pause and a make-up day", "2024-10-11 16:00", 2, 1, "2024-10-15 20:00", "2024-10-15", true, false},
		{"date-only end", "2024-10-14 10:00", 2, 0, "2024-10-17 00:00", "2024-10-16", false, false},
		{"date-only end on the deadline", "2024-10-14 10:00", 2, 0, "2024-10-16 00:00", "2024-10-16", true, true},
		{"Mid-Autumn make-up day, N=1", "2024-09-13 10:00", 1, 0, "", "2024-09-14", false, false},
		{"Mid-Autumn, N=2", "2024-09-13 10:00", 2, 0, "", "2024-09-18", false, false},
		{"enquiry on a Sunday, same day", "2024-10-13 23:50", 0, 0, "2024-10-14 18:00", "2024-10-14", true, false},
		{"same day on a working day", "2024-10-14 09:00", 0, 0, "2024-10-15 08:00", "2024-10-14", false, false},
	}
	for _, tt := range tests {
		var deadline string
		err := db.QueryRow("SELECT legal_deadline(ci, ?::TIMESTAMPTZ, ?, ?, NULL::TIME)::VARCHAR FROM calendar_index ci", tt.start, tt.n, tt.pause).Scan(&deadline)
		if err != nil {
			t.Fatalf("%s: %v", tt.name, err)
		}
		if deadline != tt.deadline {
			t.Errorf("%s: deadline %s, want %s", tt.name, deadline, tt.deadline)
		}
		if tt.end == "" {
			continue
		}
		for _, rule := range []struct {
			name string
			want bool
		}{{"legal", tt.legal}, {"elapsed", tt.elapsed}} {
			var met bool
			err := db.QueryRow(`SELECT within_limit(ci, s, e, ?, ?, greatest(working_days(ci, s, e) - ?, 0), ?, NULL::TIME, [[32400, 43200], [46800, 64800]])
				FROM (SELECT ?::TIMESTAMPTZ AS s, ?::TIMESTAMPTZ AS e) AS interval, calendar_index ci`, tt.n, tt.pause, tt.pause, rule.name, tt.start, tt.end).Scan(&met)
			if err != nil {
				t.Fatalf("%s %s: %v", tt.name, rule.name, err)
			}
			if met != rule.want {
				t.Errorf("%s: met under the %s rule = %v, want %v", tt.name, rule.name, met, rule.want)
			}
		}
	}
}

// Fractional limits are judged on office time: Fri 17:00 → Mon 10:00 with the default
// office hours is 1 h + 1 h = 0.25 WD, which meets 0.5 WD.
func TestFractionalLimitInOfficeHours(t *testing.T) {
	db := open(t, Options{})
	hours := "[[32400, 43200], [46800, 64800]]"
	var days float64
	if err := db.QueryRow("SELECT office_days(ci, '2024-03-08 17:00'::TIMESTAMPTZ, '2024-03-11 10:00'::TIMESTAMPTZ, " + hours + ") FROM calendar_index ci").Scan(&days); err != nil {
		t.Fatal(err)
	}
	if days != 0.25 {
		t.Errorf("office time = %v WD, want 0.25", days)
	}
	for _, tt := range []struct {
		end  string
		want bool
	}{{"2024-03-11 10:00", true}, {"2024-03-11 13:00", true}, {"2024-03-11 13:01", false}} {
		var met bool
		err := db.QueryRow("SELECT within_limit(ci, '2024-03-08 17:00'::TIMESTAMPTZ, ?::TIMESTAMPTZ, 0.5, 0, NULL, 'legal', NULL::TIME, "+hours+") FROM calendar_index ci", tt.end).Scan(&met)
		if err != nil {
			t.Fatal(err)
		}
		if met != tt.want {
			t.Errorf("Fri 17:00 → %s within 0.5 WD = %v, want %v", tt.end, met, tt.want)
		}
	}
}

// An office close moves a start after it, and an end after it, to the next day.
func TestOfficeClose(t *testing.T) {
	db := open(t, Options{})
	var deadline string
	// Mon 2024-10-14 18:00 after a 17:30 close counts from Tue: N = 1 → Wed 16 Oct.
	if err := db.QueryRow("SELECT legal_deadline(ci, '2024-10-14 18:00'::TIMESTAMPTZ, 1, 0, '17:30'::TIME)::VARCHAR FROM calendar_index ci").Scan(&deadline); err != nil {
		t.Fatal(err)
	}
	if deadline != "2024-10-16" {
		t.Errorf("deadline after the office close = %s, want 2024-10-16", deadline)
	}
	var met bool
	// Mon 10:00, N = 1, ended Tue 17:45 after the close: belongs to Wed → missed.
	if err := db.QueryRow("SELECT within_limit(ci, '2024-10-14 10:00'::TIMESTAMPTZ, '2024-10-15 17:45'::TIMESTAMPTZ, 1, 0, NULL, 'legal', '17:30'::TIME, [[32400, 64800]]) FROM calendar_index ci").Scan(&met); err != nil {
		t.Fatal(err)
	}
	if met {
		t.Error("an end after the office close on the deadline day met the limit")
	}
}

// A clock with a gap (metrics.md H5) counts each part's working days after its start
// date up to and including its end date; an end on a day off counts as the next
// working day.
func TestDaysCounted(t *testing.T) {
	db := open(t, Options{})
	tests := []struct {
		a, b string
		want int
	}{
		{"2024-10-14", "2024-10-17", 3}, // Mon → Thu
		{"2024-10-14", "2024-10-14", 0},
		{"2024-10-11", "2024-10-13", 2}, // Fri → Sun: Sat 12 Oct is a make-up day, Sun counts as Mon
		{"2024-10-13", "2024-10-14", 1}, // Sun → Mon
		{"2024-09-30", "2024-10-03", 1}, // National Day: the end counts as 8 Oct
	}
	for _, tt := range tests {
		var got int
		if err := db.QueryRow("SELECT days_counted(ci, ?::DATE, ?::DATE) FROM calendar_index ci", tt.a, tt.b).Scan(&got); err != nil {
			t.Fatal(err)
		}
		if got != tt.want {
			t.Errorf("days_counted(%s, %s) = %d, want %d", tt.a, tt.b, got, tt.want)
		}
	}
}
