package main

import (
	"context"
	"encoding/csv"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/utilscore/utilscore/metrics"
	"github.com/utilscore/utilscore/policy"
	"github.com/utilscore/utilscore/reports"
	"github.com/utilscore/utilscore/store"
)

// On the demo data, explain traces every missed target to its groups and its cases,
// and the cases it lists are the ones 未达标明细 of the regulator workbook lists.
func TestExplainMatchesMissedSheet(t *testing.T) {
	dir := t.TempDir()
	if code, _, errOut := runCLI("demo", "--dir", dir, "--cases", "600", "--seed", "11"); code != 0 {
		t.Fatalf("demo: %s", errOut)
	}
	dbPath := filepath.Join(dir, "utilscore.duckdb")
	ctx := context.Background()
	db, err := store.OpenForReading(ctx, dbPath, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	prof, _ := policy.Load("district-wpgt")
	p, _ := metrics.ParsePeriod("2024Q4", db.Location)
	ev, err := policy.Evaluate(ctx, db.DB, prof, p)
	db.Close()
	if err != nil {
		t.Fatal(err)
	}
	missed := ev.Missed()
	if len(missed) == 0 {
		t.Fatal("the demo misses no target: nothing to explain")
	}

	sheet := sheetRecords(t, filepath.Join(dir, "published", reports.FileName("2024Q4", reports.Regulator, "")))
	// One missed target of each kind: a time limit, another share, a rate.
	kinds := map[string]bool{}
	for _, m := range missed {
		kind := m.Row.Statistic
		if kind == "share_within" && strings.HasSuffix(m.Row.Unit, "WD") {
			kind = "time"
		}
		if kinds[kind] {
			continue
		}
		kinds[kind] = true
		code, out, errOut := runCLI("explain", m.Target.ID, "--period", "2024Q4", "--db", dbPath, "--format", "csv")
		if code != 0 {
			t.Fatalf("explain %s: %s", m.Target.ID, errOut)
		}
		lines, err := csv.NewReader(strings.NewReader(out)).ReadAll()
		if err != nil {
			t.Fatal(err)
		}
		var ids []string
		for _, l := range lines[1:] {
			if l[12] != "" && !strings.Contains(l[12], "****") {
				t.Errorf("%s: phone %q is not masked", m.Target.ID, l[12])
			}
			ids = append(ids, l[2])
		}
		if got, want := ids, sheet[m.Target.ID]; !slices.Equal(got, want) {
			t.Errorf("%s: explain lists %d records %v, 未达标明细 %d %v", m.Target.ID, len(got), head(got), len(want), head(want))
		}
		if m.Row.Statistic == "share_within" && len(ids) == 0 {
			t.Errorf("%s: a missed share lists no case", m.Target.ID)
		}
	}

	if !kinds["time"] || !kinds["share_within"] {
		t.Errorf("the demo's missed targets lack a time limit or another share: %v", kinds)
	}

	// The table for people: the target in words, its groups, its cases.
	var first policy.Missed
	for _, m := range missed {
		if m.Row.Statistic == "share_within" && len(sheet[m.Target.ID]) > 0 {
			first = m
			break
		}
	}
	if first.Target.ID == "" {
		t.Fatal("no missed share with cases on the demo data")
	}
	code, out, errOut := runCLI("explain", first.Target.ID, "--period", "2024Q4", "--db", dbPath)
	if code != 0 {
		t.Fatalf("explain %s: %s", first.Target.ID, errOut)
	}
	for _, want := range []string{"目标 " + first.Target.ID + "：", "依据：《", "未达标：", "按区县", "按客户类别", "未达标明细", sheet[first.Target.ID][0]} {
		if !strings.Contains(out, want) {
			t.Errorf("explain %s does not say %q:\n%s", first.Target.ID, want, out)
		}
	}
}

// sheetRecords reads the list of 未达标明细 back: target id → record ids, in order.
func sheetRecords(t *testing.T, path string) map[string][]string {
	t.Helper()
	f, err := excelize.OpenFile(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := f.GetRows("未达标明细")
	if err != nil {
		t.Fatal(err)
	}
	out := map[string][]string{}
	inList := false
	for _, r := range rows {
		if len(r) > 1 && r[0] == "target id" {
			inList = true
			continue
		}
		if inList && len(r) > 1 && r[1] != "" {
			out[r[0]] = append(out[r[0]], r[1])
		}
	}
	if !inList {
		t.Fatal("未达标明细 has no list of records")
	}
	return out
}

func head(ids []string) []string { return ids[:min(len(ids), 5)] }

func TestExplainRefusesUnknownTarget(t *testing.T) {
	code, _, errOut := runCLI("explain", "no-such-target", "--period", "2024Q4", "--db", filepath.Join(t.TempDir(), "none.duckdb"))
	if code != exitFailure || !strings.Contains(errOut, `no target "no-such-target"`) {
		t.Errorf("exit %d, %q", code, errOut)
	}
	if code, _, _ := runCLI("explain", "--period", "2024Q4"); code != exitUsage {
		t.Errorf("no target id: exit %d, want %d", code, exitUsage)
	}
}
