package ingest

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestMappingProfile(t *testing.T) {
	profile := `name: acme-power
kind: cases
sheet: 报装明细
headers:
  单号: case_id
  区县代码: district
  用户分类: customer_class
  状态: status
  受理日期: applied_at
  小微: is_low_risk
codes:
  customer_class: {10kV专变: hv_single, 居民生活: residential}
  status: {完结: connected, 进行中: open}
  is_low_risk: {Y: "true", N: "false"}
constants:
  utility: power
`
	dir := t.TempDir()
	profilePath := filepath.Join(dir, "acme.yaml")
	os.WriteFile(profilePath, []byte(profile), 0o644)
	p, err := LoadProfile(profilePath)
	if err != nil {
		t.Fatal(err)
	}
	rows := [][]string{
		{"单号", "区县代码", "用户分类", "状态", "受理日期", "小微", "备注"},
		{"A1", "510302", "10kV专变", "完结", "2024-03-01 09:00:00", "Y", "x"},
		{"A2", "510302", "居民生活", "进行中", "2024-03-02 09:00:00", "N", "y"},
		{"A3", "510302", "高压", "进行中", "2024-03-02 09:00:00", "N", "z"}, // built-in code still known
	}
	db := openDB(t)
	res := load(t, newLoader(t, db, Options{Profile: p}), toXLSX(t, rows, "报装明细"))
	if res.RowsLoaded != 3 || res.Profile != "acme-power" {
		t.Fatalf("loaded %d with profile %s; problems %v", res.RowsLoaded, res.Profile, res.Problems)
	}
	if !contains(res.Ignored, "备注") {
		t.Errorf("ignored = %v, want 备注 listed", res.Ignored)
	}
	got := joinRows(query(t, db.DB, "SELECT case_id, utility::VARCHAR, customer_class::VARCHAR, status::VARCHAR, is_low_risk FROM cases ORDER BY case_id"))
	want := "A1 power hv_single connected true | A2 power residential open false | A3 power hv_single open false"
	if got != want {
		t.Errorf("cases = %s, want %s", got, want)
	}
}

func TestBadProfilesAreRefused(t *testing.T) {
	tests := []struct {
		name, yaml, want string
	}{
		{"unknown key", "name: x\nheadrs: {a: case_id}\n", "line 2"},
		{"unknown column", "name: x\nheaders: {a: caseid}\n", `names column "caseid"`},
		{"unknown kind", "name: x\nkind: invoices\n", `unknown kind "invoices"`},
		{"not YAML", "name: [x\n", "mapping profile"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := writeFile(t, "p.yaml", tt.yaml)
			p, err := LoadProfile(path)
			if err == nil {
				_, err = NewLoader(context.Background(), openDB(t).DB, Options{Profile: p})
			}
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("err = %v, want it to say %q", err, tt.want)
			}
		})
	}
}

func TestBuiltinProfileNamesOnlyKnownColumns(t *testing.T) {
	kinds, err := Kinds(context.Background(), openDB(t).DB)
	if err != nil {
		t.Fatal(err)
	}
	if err := checkProfile(BuiltinProfile(), kinds); err != nil {
		t.Fatal(err)
	}
}

func TestDistrictNamesMatchTheList(t *testing.T) {
	db := openDB(t)
	l := newLoader(t, db, Options{})
	load(t, l, writeFile(t, "districts.csv", "区划代码,名称,上级\n510302,自流井区,自贡市\n510303,贡井区,自贡市\n"))
	res := load(t, l, writeFile(t, "c.csv", caseHeader+
		"C1,power,自流井区,residential,open,2024-03-01 09:00,\n"+
		"C2,power,510303,residential,open,2024-03-01 09:00,\n"+
		"C3,power,不存在区,residential,open,2024-03-01 09:00,\n"+
		"C4,power,510399,residential,open,2024-03-01 09:00,\n"))
	if res.RowsLoaded != 2 || res.RowsRejected != 2 {
		t.Fatalf("loaded/rejected = %d/%d, want 2/2; %v", res.RowsLoaded, res.RowsRejected, res.Problems)
	}
	if got := joinRows(query(t, db.DB, "SELECT case_id, district FROM cases ORDER BY case_id")); got != "C1 510302 | C2 510303" {
		t.Errorf("cases = %s, want names matched to codes", got)
	}
}

func TestDryRunWritesNothing(t *testing.T) {
	db := openDB(t)
	res := load(t, newLoader(t, db, Options{DryRun: true}), "testdata/cases_en.csv")
	if res.RowsRead != 4 || res.RowsLoaded != 4 {
		t.Fatalf("dry run read/loaded = %d/%d, want 4/4", res.RowsRead, res.RowsLoaded)
	}
	for _, table := range []string{"cases", "loads", "rejects"} {
		if got := queryOne(t, db.DB, "SELECT count(*) FROM "+table); got != "0" {
			t.Errorf("dry run wrote %s rows into %s", got, table)
		}
	}
}

func TestEventsLoadAndRepeatsAreIgnored(t *testing.T) {
	db := openDB(t)
	l := newLoader(t, db, Options{})
	events := "case_id,utility,stage,occurred_at,operator\n" +
		"C1,power,applied,2024-03-01 09:00,a\n" +
		"C1,power,suspended,2024-03-02 09:00,a\n" +
		"C1,power,resumed,2024-03-04 09:00,a\n"
	load(t, l, writeFile(t, "e1.csv", events))
	res := load(t, l, writeFile(t, "e2.csv", events+"C1,power,connected,2024-03-06 09:00,b\n"))
	if res.Kind != "case_events" || res.RowsLoaded != 4 {
		t.Fatalf("kind %s loaded %d, want case_events 4", res.Kind, res.RowsLoaded)
	}
	if got := queryOne(t, db.DB, "SELECT count(*) FROM case_events"); got != "4" {
		t.Errorf("case_events holds %s rows, want 4", got)
	}
}
