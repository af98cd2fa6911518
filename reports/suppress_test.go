package reports

import (
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/utilscore/utilscore/metrics"
)

// spec writes a row as "target/metric/utility/class/district/area/statistic=n"; a
// metric of the leakage family is a network figure, any other the customers'.
func specRow(t *testing.T, spec string) metrics.Row {
	t.Helper()
	k, n, ok := strings.Cut(spec, "=")
	f := strings.Split(k, "/")
	if !ok || len(f) != 7 {
		t.Fatalf("bad row spec %q", spec)
	}
	var count int64
	for _, c := range n {
		count = count*10 + int64(c-'0')
	}
	return metrics.Row{TargetID: f[0], MetricID: f[1], Utility: f[2], CustomerClass: f[3], District: f[4], AreaType: f[5], Statistic: f[6], N: count}
}

func customerMetric(m string) bool { return m != "leakage_rate" }

// Suppress hides the small groups, then enough of their neighbours that no total less
// the shown parts gives a hidden one: at least two hidden parts with records, holding
// at least MinGroup records together, by the smallest first.
func TestSuppress(t *testing.T) {
	tests := []struct {
		name   string
		rows   []string
		hidden []string // the rows hidden, by their spec
	}{
		{"a network figure is always shown", []string{"/leakage_rate/water//D1//rate=3", "/leakage_rate/water////rate=40"}, nil},
		{"five records are shown, four are not", []string{"/connection_time/power/a///median=4", "/connection_time/power/b///median=5"},
			[]string{"/connection_time/power/a///median=4"}},
		{"no hidden part: nothing more is hidden", []string{"/connection_time/power////mean=30",
			"/connection_time/power//D1//mean=10", "/connection_time/power//D2//mean=20"}, nil},
		{"one hidden part takes the next-smallest with it", []string{"/connection_time/power////mean=30",
			"/connection_time/power//D1//mean=4", "/connection_time/power//D2//mean=6", "/connection_time/power//D3//mean=8",
			"/connection_time/power//D4//mean=12"},
			[]string{"/connection_time/power//D1//mean=4", "/connection_time/power//D2//mean=6"}},
		{"two hidden parts under five records together take a third", []string{"/satisfaction_rate/water////rate=30",
			"/satisfaction_rate/water//D1//rate=2", "/satisfaction_rate/water//D2//rate=2", "/satisfaction_rate/water//D3//rate=10",
			"/satisfaction_rate/water//D4//rate=16"},
			[]string{"/satisfaction_rate/water//D1//rate=2", "/satisfaction_rate/water//D2//rate=2", "/satisfaction_rate/water//D3//rate=10"}},
		{"two hidden parts of five records are enough", []string{"/satisfaction_rate/water////rate=30",
			"/satisfaction_rate/water//D1//rate=2", "/satisfaction_rate/water//D2//rate=3", "/satisfaction_rate/water//D3//rate=25"},
			[]string{"/satisfaction_rate/water//D1//rate=2", "/satisfaction_rate/water//D2//rate=3"}},
		{"a part of no records neither needs nor gives protection", []string{"/connection_time/gas////mean=20",
			"/connection_time/gas/x///mean=0", "/connection_time/gas/y///mean=8", "/connection_time/gas/z///mean=12"},
			[]string{"/connection_time/gas/x///mean=0"}},
		{"the only other part is hidden, the total stays", []string{"/connection_time/gas////mean=30",
			"/connection_time/gas/x///mean=3", "/connection_time/gas/y///mean=27"},
			[]string{"/connection_time/gas/x///mean=3", "/connection_time/gas/y///mean=27"}},
		{"a lone hidden part hides its total instead", []string{"/satisfaction_rate/telecom////rate=12",
			"/satisfaction_rate/telecom/individual///rate=3"},
			[]string{"/satisfaction_rate/telecom////rate=12", "/satisfaction_rate/telecom/individual///rate=3"}},
		{"a hidden total leaves its parts as they are", []string{"/connection_time/gas////mean=4",
			"/connection_time/gas//D1//mean=1", "/connection_time/gas//D2//mean=3"},
			[]string{"/connection_time/gas////mean=4", "/connection_time/gas//D1//mean=1", "/connection_time/gas//D2//mean=3"}},
		{"every statistic of a group goes together", []string{"/complaint_closure_rate/power////rate=17",
			"/complaint_closure_rate/power////pending=20", "/complaint_closure_rate/power//D1//rate=4",
			"/complaint_closure_rate/power//D1//pending=5", "/complaint_closure_rate/power//D2//rate=13",
			"/complaint_closure_rate/power//D2//pending=15"},
			[]string{"/complaint_closure_rate/power//D1//rate=4", "/complaint_closure_rate/power//D1//pending=5",
				"/complaint_closure_rate/power//D2//rate=13", "/complaint_closure_rate/power//D2//pending=15"}},
		{"a target's row hides with the general row of the same records, and that hides more", []string{
			"/connection_time/power////mean=30", "/connection_time/power//D1//mean=3", "/connection_time/power//D2//mean=7",
			"/connection_time/power//D3//mean=20",
			"T/connection_time/power////share_within=27", "T/connection_time/power//D2//share_within=7",
			"T/connection_time/power//D4//share_within=20"},
			[]string{"/connection_time/power//D1//mean=3", "/connection_time/power//D2//mean=7",
				"T/connection_time/power//D2//share_within=7", "T/connection_time/power//D4//share_within=20"}},
		{"joined classes add up the general rows of their classes", []string{
			"/connection_time/power////mean=40", "/connection_time/power/hv_single///mean=19", "/connection_time/power/hv_dual///mean=1",
			"/connection_time/power/lv///mean=20",
			"T/connection_time/power/hv_single+hv_dual///share_within=20"},
			[]string{"/connection_time/power/hv_dual///mean=1", "/connection_time/power/hv_single///mean=19"}},
		{"all classes less joined ones are a table too", []string{"/approval_time/power////mean=39",
			"/approval_time/power/hv_dual///mean=1", "/approval_time/power/hv_single///mean=11", "/approval_time/power/lv_nonres///mean=12",
			"/approval_time/power/lv_zero///mean=10", "/approval_time/power/residential///mean=5",
			"L/approval_time/power/residential+lv_nonres+lv_zero///share_within=27"},
			// hv_dual takes residential; the joined classes then take lv_zero; 39 - 27 is
			// hv_dual and hv_single, so hv_single goes too.
			[]string{"/approval_time/power/hv_dual///mean=1", "/approval_time/power/residential///mean=5",
				"/approval_time/power/lv_zero///mean=10", "/approval_time/power/hv_single///mean=11"}},
		{"utilities add up to the figure across them", []string{"A/approval_time/////share_within=30",
			"/approval_time/power////mean=2", "/approval_time/water////mean=12", "/approval_time/gas////mean=16"},
			[]string{"/approval_time/power////mean=2", "/approval_time/water////mean=12"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var rows []metrics.Row
			for _, spec := range tt.rows {
				rows = append(rows, specRow(t, spec))
			}
			s := Suppress(rows, nil, customerMetric)
			var got []string
			for i, r := range rows {
				if s.Hidden(r) {
					got = append(got, tt.rows[i])
				}
			}
			want := append([]string(nil), tt.hidden...)
			slices.Sort(got)
			slices.Sort(want)
			if !slices.Equal(got, want) {
				t.Errorf("hidden:\n  %s\nwant:\n  %s", strings.Join(got, "\n  "), strings.Join(want, "\n  "))
			}
		})
	}
}

// The same rows in any order give the same suppression.
func TestSuppressIsDeterministic(t *testing.T) {
	var rows []metrics.Row
	for _, spec := range []string{"/connection_time/power////mean=40", "/connection_time/power//D1//mean=3",
		"/connection_time/power//D2//mean=9", "/connection_time/power//D3//mean=9", "/connection_time/power//D4//mean=19",
		"/connection_time/power/a///mean=9", "/connection_time/power/b///mean=9", "/connection_time/power/c///mean=2",
		"/connection_time/power/d///mean=20"} {
		rows = append(rows, specRow(t, spec))
	}
	want := hiddenSet(Suppress(rows, nil, customerMetric), rows)
	for i := 0; i < 20; i++ {
		shuffled := slices.Clone(rows)
		rand.Shuffle(len(shuffled), func(a, b int) { shuffled[a], shuffled[b] = shuffled[b], shuffled[a] })
		if got := hiddenSet(Suppress(shuffled, nil, customerMetric), rows); !slices.Equal(got, want) {
			t.Fatalf("hidden %v, then %v", want, got)
		}
	}
	// Ties go by name: D2 before D3, a before b.
	if !slices.Equal(want, []bool{false, true, true, false, false, true, false, true, false}) {
		t.Errorf("hidden %v", want)
	}
}

func hiddenSet(s *Suppression, rows []metrics.Row) []bool {
	out := make([]bool, len(rows))
	for i, r := range rows {
		out[i] = s.Hidden(r)
	}
	return out
}

// Histogram bins: the same rule, beside the utility's count of connected cases.
func TestSuppressHistogram(t *testing.T) {
	tests := []struct {
		name   string
		total  int64
		counts []int64
		hidden []int
	}{
		{"none small", 16, []int64{0, 6, 10}, nil},
		{"one small bin takes the next-smallest", 19, []int64{0, 3, 10, 6}, []int{1, 3}},
		{"two small bins of five cases together", 15, []int64{0, 3, 10, 0, 2}, []int{1, 4}},
		{"two small bins under five take a third", 24, []int64{1, 3, 10, 0, 10}, []int{0, 1, 2}},
		{"a hidden total hides every bin", 4, []int64{1, 3, 0}, []int{0, 1}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rows := []metrics.Row{{MetricID: "connection_time", Utility: "power", Statistic: "median", N: tt.total}}
			s := Suppress(rows, map[string][]int64{"power": tt.counts}, customerMetric)
			var got []int
			for i := range tt.counts {
				if s.HiddenBin("power", i) {
					got = append(got, i)
				}
			}
			if !slices.Equal(got, tt.hidden) {
				t.Errorf("hidden bins %v, want %v", got, tt.hidden)
			}
		})
	}
}

// Internal audiences see every group; the public's workbook asks the suppression.
func TestOnlyThePublicIsSuppressed(t *testing.T) {
	d := &Data{Definitions: []metrics.Definition{{ID: "connection_time", Family: "connection"}, {ID: "leakage_rate", Family: "leakage"}},
		Rows: []metrics.Row{{MetricID: "connection_time", N: 1}, {MetricID: "leakage_rate", N: 1}}}
	pub := &writer{d: d, audience: Public, pub: d.Public()}
	reg := &writer{d: d, audience: Regulator}
	if !pub.suppressed(d.Rows[0]) || pub.suppressed(d.Rows[1]) {
		t.Error("the public sees a one-case connection figure, or not a one-case leakage figure")
	}
	if reg.suppressed(d.Rows[0]) {
		t.Error("internal audiences see every group")
	}
	if !d.Suppressible("connection_time") || d.Suppressible("leakage_rate") || !d.Suppressible("unknown") {
		t.Error("Suppressible")
	}
}
