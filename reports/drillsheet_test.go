package reports

import (
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
)

// 未达标目标 states each missed target and its groups, 未达标明细 lists its cases: the
// planted open power case, past its limit, is listed under its target with the phone
// masked; a utility's workbook lists its own targets only; the list has its filter and
// every column fits its dates and ids.
func TestMissedSheet(t *testing.T) {
	d := demoData(t)
	dir := t.TempDir()
	regulator, err := Write(dir, Regulator, "", d)
	if err != nil {
		t.Fatal(err)
	}
	water, err := Write(dir, Utility, "water", d)
	if err != nil {
		t.Fatal(err)
	}

	f, _ := excelize.OpenFile(regulator)
	defer f.Close()
	statements := 0
	targetRows, _ := f.GetRows(missedTargetsSheet)
	for _, r := range targetRows {
		if len(r) > 2 && strings.HasPrefix(r[2], "1. ") {
			statements++
		}
		// The figure cites the document by title and clause, never its file number.
		if len(r) > 2 && r[1] == "本期" {
			if tg, ok := d.Profile.Target(r[0]); !ok || !strings.HasSuffix(r[2], "依据"+d.Profile.Cite(tg.Source)) {
				t.Errorf("%s: %q does not end with its citation %q", r[0], r[2], "依据"+d.Profile.Cite(tg.Source))
			}
		}
	}
	rows, _ := f.GetRows(missedSheet)
	var header int
	var planted []string
	for i, r := range rows {
		if len(r) > 0 && r[0] == "target id" {
			header = i
		}
		if len(r) > 1 && r[1] == "PLANT1" {
			planted = r
		}
	}
	switch {
	case statements == 0:
		t.Fatal("no missed target stated before the list")
	case header == 0:
		t.Fatal("no list of missed records")
	case planted == nil:
		t.Fatal("the planted open case, past its limit, is not listed")
	}
	if planted[0] != "power-lv-total" || planted[7] != "未办结" || strings.Contains(planted[12], "13900001111") || !strings.Contains(planted[12], "****") {
		t.Errorf("planted row = %q", planted)
	}
	if filter := readSheets(t, regulator)[missedSheet].AutoFilter; filter == nil || !strings.HasPrefix(strings.ReplaceAll(filter.Ref, "$", ""), cellName(1, header+1)+":") {
		t.Errorf("autofilter = %+v, want one from the English header row %d", filter, header+1)
	}
	for c, col := range drillColumns {
		name, _ := excelize.ColumnNumberToName(c + 1)
		width, _ := f.GetColWidth(missedSheet, name)
		longest := 0
		for _, r := range rows[header+1:] {
			if c < len(r) {
				longest = max(longest, displayWidth(r[c]))
			}
		}
		if width < float64(longest) {
			t.Errorf("column %s (%s) is %.0f wide for values %d wide", name, col.zh, width, longest)
		}
	}
	checkNoFormulas(t, f)

	g, _ := excelize.OpenFile(water)
	defer g.Close()
	rows, _ = g.GetRows(missedSheet)
	inList := false
	for _, r := range rows {
		if len(r) > 0 && r[0] == "target id" {
			inList = true
			continue
		}
		if inList && len(r) > 3 && r[3] != UtilityZH["water"] {
			t.Errorf("the water workbook lists %q", r)
		}
	}
}
