package store_test

import (
	"context"
	"strings"
	"testing"

	"github.com/utilscore/utilscore/store"
)

// A reader cannot add columns: it refuses an old file in one line saying what to do,
// rather than fail on a missing column half-way through a figure.
func TestPreV2DatabaseIsRefusedForReading(t *testing.T) {
	path := oldDatabase(t)
	_, err := store.OpenForReading(context.Background(), path, store.Options{})
	if err == nil || !strings.Contains(err.Error(), "tables case_history, cases, rejects lack the columns added since: open it once for writing") {
		t.Fatalf("OpenForReading(old file) = %v, want a refusal naming case_history and cases", err)
	}
}
