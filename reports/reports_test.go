package reports

import (
	"archive/zip"
	"context"
	"fmt"
	"io"
	"math"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/utilscore/utilscore/domain"
	"github.com/utilscore/utilscore/internal/testdb"
	"github.com/utilscore/utilscore/metrics"
	"github.com/utilscore/utilscore/policy"
	"github.com/utilscore/utilscore/store"
)

// Strings planted in every name and free-text field: none may reach the public
// workbook, and none may become a formula anywhere.
var planted = []string{"=HYPERLINK(\"http://x\",\"y\")", "+cmd|' /C calc'!A0", "@SUM(1)", "张秘密", "13900001111", "秘密路9号"}

// demoData loads a small generated data set, plants personal data and injection
// strings in an open case, and collects the last quarter.
func demoData(t *testing.T) *Data {
	t.Helper()
	ctx := context.Background()
	db := testdb.Generated(t, 500, 3)
	// An open power case, over its limit at the end of 2024, full of planted strings.
	_, err := db.Exec(`INSERT INTO cases (case_id, utility, district, customer_class, status, applied_at, applicant, contact_phone, address, load_id, source_row)
		VALUES ('PLANT1', 'power', '510302', 'lv_zero', 'open', '2024-12-02 09:00:00+08', ?, ?, ?, 1, 1)`,
		planted[0]+planted[3], planted[1]+planted[4], planted[2]+planted[5])
	if err != nil {
		t.Fatal(err)
	}
	_, err = db.Exec(`INSERT INTO tickets (ticket_id, utility, district, kind, received_at, summary, contact_phone, load_id, source_row)
		VALUES ('PLANT2', 'power', '510302', 'complaint', '2024-11-02 09:00:00+08', ?, ?, 1, 1)`, planted[0]+planted[3], planted[4])
	if err != nil {
		t.Fatal(err)
	}
	prof, err := policy.Load("district-wpgt")
	if err != nil {
		t.Fatal(err)
	}
	p, _ := metrics.ParsePeriod("2024Q4", db.Location)
	d, err := Collect(ctx, db.DB, p, prof)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

func TestWorkbooks(t *testing.T) {
	d := demoData(t)
	dir := t.TempDir()
	tests := []struct {
		audience, utility string
		sheets            []string
	}{
		{Regulator, "", []string{"总览", "得分", "趋势", "电力", "供水", "燃气", "通信", "信息公开", "年度进度", "超期工单", "未达标目标", "未达标明细", "数据质量", "口径说明"}},
		{Utility, "power", []string{"总览", "得分", "趋势", "电力", "信息公开", "超期工单", "未达标目标", "未达标明细", "数据质量", "口径说明"}},
		{Office, "", []string{"总览", "得分", "趋势", "电力", "供水", "燃气", "通信", "信息公开", "年度进度", "数据质量", "口径说明"}},
		{Public, "", []string{"总览", "趋势", "电力", "供水", "燃气", "通信", "信息公开", "口径说明"}},
	}
	for _, tt := range tests {
		t.Run(tt.audience, func(t *testing.T) {
			path, err := Write(dir, tt.audience, tt.utility, d)
			if err != nil {
				t.Fatal(err)
			}
			f, err := excelize.OpenFile(path)
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			if got := strings.Join(f.GetSheetList(), ","); got != strings.Join(tt.sheets, ",") {
				t.Fatalf("sheets = %s, want %s", got, strings.Join(tt.sheets, ","))
			}
			// Title block and the two header rows.
			if v, _ := f.GetCellValue("总览", "A2"); v != "统计周期：" {
				t.Errorf("A2 = %q, want the period label", v)
			}
			if v, _ := f.GetCellValue("总览", "B2"); v != "2024-10-01 至 2024-12-31" {
				t.Errorf("B2 = %q, want the period", v)
			}
			if v, _ := f.GetCellValue("总览", "E6"); v != "数值" {
				t.Errorf("E6 = %q, want 数值", v)
			}
			if v, _ := f.GetCellValue("总览", "E7"); v != "value" {
				t.Errorf("E7 = %q, want value", v)
			}
			checkNoFormulas(t, f)
			checkWellFormedAndChinese(t, path)
			if tt.audience == Public {
				checkNothingPlanted(t, path)
			}
		})
	}
}

// The scorecard's values are the metrics' values.
func TestOverviewValuesMatchMetrics(t *testing.T) {
	d := demoData(t)
	path, err := Write(t.TempDir(), Regulator, "", d)
	if err != nil {
		t.Fatal(err)
	}
	f, _ := excelize.OpenFile(path)
	defer f.Close()
	rows, _ := f.GetRows("总览", excelize.Options{RawCellValue: true})
	checked := 0
	for _, r := range d.Rows {
		if r.Target == nil || r.District != "" || r.Value == nil {
			continue
		}
		for _, cells := range rows[headerRow+1:] {
			if len(cells) > 13 && cells[13] == r.TargetID && cells[0] == or(UtilityZH, r.Utility) &&
				cells[2] == domain.Classes(r.CustomerClass) && cells[3] == or(areaZH, r.AreaType) {
				var got float64
				if _, err := fmtSscan(cells[4], &got); err != nil || math.Abs(got-*r.Value) > 1e-9 {
					t.Errorf("%s %s: workbook %q, metrics %v", r.MetricID, r.Utility, cells[4], *r.Value)
				}
				if cells[8] != statusZH[r.Status] {
					t.Errorf("%s %s: status %q, want %q", r.MetricID, r.Utility, cells[8], statusZH[r.Status])
				}
				// The count behind a share: within/judged, from the same row.
				if r.Statistic == "share_within" && cells[6] != policy.Tally(r) {
					t.Errorf("%s: tally %q, want %q", r.TargetID, cells[6], policy.Tally(r))
				}
				target, _ := d.Profile.Target(r.TargetID)
				if !strings.Contains(cells[1], "目标") && target.Statistic == "share_within" || !strings.HasPrefix(cells[12], "《") {
					t.Errorf("%s: target %q, source %q: want the target in words and the document's title", r.TargetID, cells[1], cells[12])
				}
				checked++
			}
		}
	}
	if checked < 10 {
		t.Fatalf("only %d scorecard rows checked", checked)
	}
}

// Internal workbooks list the planted case with its phone masked and every planted
// string as text, not a formula.
func TestOverdueSheetMasksPhonesAndKeepsTextAsText(t *testing.T) {
	d := demoData(t)
	path, err := Write(t.TempDir(), Regulator, "", d)
	if err != nil {
		t.Fatal(err)
	}
	f, _ := excelize.OpenFile(path)
	defer f.Close()
	rows, _ := f.GetRows("超期工单")
	found := false
	for _, r := range rows {
		if len(r) > 11 && r[1] == "PLANT1" {
			found = true
			if r[10] != planted[0]+planted[3] {
				t.Errorf("applicant = %q", r[10])
			}
			if strings.Contains(r[11], "13900001111") || !strings.Contains(r[11], "****") {
				t.Errorf("phone not masked: %q", r[11])
			}
		}
	}
	if !found {
		t.Fatal("the planted overdue case is not in 超期工单")
	}
}

func checkNoFormulas(t *testing.T, f *excelize.File) {
	t.Helper()
	for _, sheet := range f.GetSheetList() {
		rows, _ := f.GetRows(sheet)
		for r, row := range rows {
			for c := range row {
				cell := cellName(c+1, r+1)
				if formula, _ := f.GetCellFormula(sheet, cell); formula != "" {
					t.Errorf("%s!%s holds a formula: %s", sheet, cell, formula)
				}
			}
		}
	}
}

// checkNothingPlanted reads every part of the xlsx package, not only the cells.
func checkNothingPlanted(t *testing.T, path string) {
	t.Helper()
	z, err := zip.OpenReader(path)
	if err != nil {
		t.Fatal(err)
	}
	defer z.Close()
	for _, part := range z.File {
		rc, _ := part.Open()
		data, _ := io.ReadAll(rc)
		rc.Close()
		checkNoPersonalData(t, "the public workbook's "+part.Name, string(data))
	}
}

// checkNoPersonalData fails when a public output holds any planted string.
func checkNoPersonalData(t *testing.T, what, text string) {
	t.Helper()
	for _, s := range []string{"张秘密", "13900001111", "秘密路9号", "PLANT1", "PLANT2", "HYPERLINK", "cmd|", "@SUM"} {
		if strings.Contains(text, s) {
			t.Errorf("%s contains %q", what, s)
		}
	}
}

func fmtSscan(s string, v *float64) (int, error) { return fmt.Sscan(s, v) }

// Connection time and interruptions against their targets, and the leakage rate
// against its reference lines.
func TestTrendSheetHasEightPeriodsAndThreeCharts(t *testing.T) {
	d := demoData(t)
	path, err := Write(t.TempDir(), Office, "", d)
	if err != nil {
		t.Fatal(err)
	}
	f, _ := excelize.OpenFile(path)
	rows, _ := f.GetRows("趋势")
	f.Close()
	var periods []string
	for _, r := range rows[headerRow+1:] {
		if len(r) > 0 && strings.HasPrefix(r[0], "20") {
			periods = append(periods, r[0])
		}
	}
	if strings.Join(periods, ",") != "2023Q1,2023Q2,2023Q3,2023Q4,2024Q1,2024Q2,2024Q3,2024Q4" {
		t.Errorf("trend periods = %v", periods)
	}
	charts := countCharts(t, path)
	if charts != 3 {
		t.Errorf("%d charts, want 3", charts)
	}
}

// Zigong's lv_zero limit went from 10 WD (2021) to 7 WD (2022): the method changes
// between 2021Q4 and 2022Q1, and a 2022 row compared with 2021 is marked.
func TestBreakInSeries(t *testing.T) {
	prof, _ := policy.Load("zigong-power-2021")
	loc, _ := time.LoadLocation("Asia/Shanghai")
	q := func(s string) metrics.Period { p, _ := metrics.ParsePeriod(s, loc); return p }
	if method(prof, q("2021Q4")) == method(prof, q("2022Q1")) {
		t.Error("2021Q4 and 2022Q1 have the same method")
	}
	if method(prof, q("2022Q2")) != method(prof, q("2022Q3")) {
		t.Error("2022Q2 and 2022Q3 differ in method")
	}
	one := 1.0
	now := metrics.Row{MetricID: "connection_time", Utility: "power", CustomerClass: "lv_zero", Statistic: "share_within", TargetID: "lv-zero-total", Target: &one}
	yearBefore := []metrics.Row{{MetricID: "connection_time", Utility: "power", CustomerClass: "lv_zero", Statistic: "share_within", TargetID: "lv-zero-total-2021", Target: &one}}
	same := []metrics.Row{now}
	if got := breakNote(now, same, yearBefore); got != "较上年同期目标或口径不同" {
		t.Errorf("breakNote = %q", got)
	}
}

// Zigong sets interruption targets by area type: a chart of their own shows them.
func TestAreaTargetsGetTheirOwnChart(t *testing.T) {
	d := demoData(t)
	zigong, _ := policy.Load("zigong-power-2021")
	d.Profile = zigong
	path, err := Write(t.TempDir(), Regulator, "", d)
	if err != nil {
		t.Fatal(err)
	}
	f, _ := excelize.OpenFile(path)
	rows, _ := f.GetRows("趋势")
	f.Close()
	header := strings.Join(rows[headerRow-1], "|")
	for _, want := range []string{"电力市区户均停运时间（小时）", "市区目标（小时）", "农村目标（小时）"} {
		if !strings.Contains(header, want) {
			t.Errorf("趋势 header lacks %s: %s", want, header)
		}
	}
	charts := countCharts(t, path)
	if charts != 4 {
		t.Errorf("%d charts, want 4", charts)
	}
}

// countCharts counts the chart parts of a workbook package.
func countCharts(t *testing.T, path string) int {
	t.Helper()
	z, err := zip.OpenReader(path)
	if err != nil {
		t.Fatal(err)
	}
	defer z.Close()
	n := 0
	for _, part := range z.File {
		if strings.HasPrefix(part.Name, "xl/charts/chart") {
			n++
		}
	}
	return n
}

// A value loaded with its field left empty is a warning in 数据质量, not a rejected
// row.
func TestRejectsAndWarningsApart(t *testing.T) {
	ctx := context.Background()
	db, err := store.Open(ctx, filepath.Join(t.TempDir(), "w.duckdb"), store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	_, err = db.Exec(`INSERT INTO rejects (load_id, file_name, line, column_name, value, reason, severity) VALUES
		(0, 'cases.csv', 3, 'applied_at', 'x', '不是日期', 'rejected'),
		(0, 'cases.csv', 4, 'applied_at', 'y', '不是日期', 'rejected'),
		(0, 'cases.csv', 5, 'capacity_unit', 'MW', '未知单位', 'warning')`)
	if err != nil {
		t.Fatal(err)
	}
	p, _ := metrics.ParsePeriod("2024Q4", db.Location)
	prof, _ := policy.Load("district-wpgt")
	d, err := Collect(ctx, db.DB, p, prof)
	if err != nil {
		t.Fatal(err)
	}
	want := []RejectCount{
		{File: "cases.csv", Column: "applied_at", Reason: "不是日期", Rows: 2},
		{File: "cases.csv", Column: "capacity_unit", Reason: "未知单位", Rows: 1, Warning: true},
	}
	if fmt.Sprint(d.Rejects) != fmt.Sprint(want) {
		t.Errorf("rejects = %+v, want %+v", d.Rejects, want)
	}
}

// 数据质量 counts the integrity findings per utility and rule in a fixed order: the
// utilities as the findings list them, then the rules, so that the same data always
// gives the same sheet.
func TestQualitySheetCountsFindingsInOrder(t *testing.T) {
	d := *demoData(t)
	d.Findings = []metrics.Finding{
		{Utility: "power", CaseID: "P1", Rule: "audit_reapplied"},
		{Utility: "power", CaseID: "P2", Rule: "audit_backfilled"},
		{Utility: "power", CaseID: "P3", Rule: "audit_reapplied"},
		{Utility: "water", CaseID: "W1", Rule: "audit_future"},
		{Utility: "water", CaseID: "W2", Rule: "audit_event_conflict"},
	}
	want := []string{"事后补录（电力） 1", "撤件后重新申请（电力） 2", "工单与事件的环节时间不一致（供水） 1", "时间晚于载入时间（供水） 1"}
	dir := t.TempDir()
	for round := 0; round < 5; round++ { // map order differs between rounds
		path, err := Write(dir, Regulator, "", &d)
		if err != nil {
			t.Fatal(err)
		}
		f, err := excelize.OpenFile(path)
		if err != nil {
			t.Fatal(err)
		}
		rows, err := f.GetRows("数据质量")
		f.Close()
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, r := range rows {
			if len(r) > 6 && r[0] == "完整性检查" {
				got = append(got, r[2]+" "+r[6])
			}
		}
		if strings.Join(got, ",") != strings.Join(want, ",") {
			t.Fatalf("round %d: findings rows = %q, want %q", round, got, want)
		}
	}
}
