package reports

import (
	"context"
	"slices"
	"testing"

	"github.com/utilscore/utilscore/metrics"
)

// A summary is the first records of each missed target in list order; after a full
// trace it is served from what the trace read, so the printed report does not drill
// the database again after the workbook's list.
func TestSummaryAfterTraceReadsNoDatabase(t *testing.T) {
	d := demoData(t)
	s := d.Missed.(*storedDrill)
	const n = 3
	fresh, err := TraceMissed(context.Background(), s.db, s.ev).Summarize("", n)
	if err != nil {
		t.Fatal(err)
	}
	var traced []Traced
	var records [][]metrics.MissedRecord
	err = s.Trace("", func(ts []Traced) error {
		traced, records = ts, make([][]metrics.MissedRecord, len(ts))
		return nil
	}, func(i int, r metrics.MissedRecord) error {
		records[i] = append(records[i], r)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(traced) == 0 {
		t.Fatal("the demo data misses no target: nothing to summarise")
	}
	if err := s.db.Close(); err != nil {
		t.Fatal(err)
	}
	kept, err := s.Summarize("", n)
	if err != nil {
		t.Fatalf("a summary after the trace went to the database: %v", err)
	}
	if len(kept) != len(traced) || len(fresh) != len(traced) {
		t.Fatalf("%d targets traced, %d summarised after it, %d summarised alone", len(traced), len(kept), len(fresh))
	}
	for i, k := range kept {
		want := records[i][:min(n, len(records[i]))]
		ids := func(rs []metrics.MissedRecord) []string {
			var out []string
			for _, r := range rs {
				out = append(out, r.ID)
			}
			return out
		}
		if k.Missed.Target.ID != traced[i].Missed.Target.ID || !slices.Equal(ids(k.Records), ids(want)) || !slices.Equal(ids(fresh[i].Records), ids(want)) {
			t.Errorf("target %s: summary %v, alone %v, want the trace's first %v", traced[i].Missed.Target.ID, ids(k.Records), ids(fresh[i].Records), ids(want))
		}
	}
	if _, err := s.Summarize("", SummaryRecords+1); err == nil {
		t.Errorf("a summary of %d records per target was given; at most %d are kept", SummaryRecords+1, SummaryRecords)
	}
}
