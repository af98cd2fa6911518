package main

import (
	"encoding/csv"
	"html"
	"math"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
)

// The 年度进度 sheet, the dashboard's section and the pace command show the same
// targets, figures, verdicts and advice on the demo data.
func TestPaceSheetDashboardAndCommandAgree(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the demo database")
	}
	dir := t.TempDir()
	// Data to the end of September: the demo's workbooks and pages are those of the
	// third quarter, nine months into the year.
	if code, _, errOut := runCLI("demo", "--dir", dir, "--cases", "300", "--seed", "11", "--to", "2024-09-30"); code != 0 {
		t.Fatalf("demo: %s", errOut)
	}
	db := filepath.Join(dir, "utilscore.duckdb")
	const profile = "district-wpgt" // the demo's
	code, csvOut, errOut := runCLI("pace", "--db", db, "--year", "2024", "--as-of", "2024-09-30", "--profile", profile, "--format", "csv")
	if code != 0 {
		t.Fatalf("pace: %s", errOut)
	}
	records, err := csv.NewReader(strings.NewReader(csvOut)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	col := map[string]int{}
	for i, h := range records[0] {
		col[h] = i
	}
	lines := records[1:]
	out := filepath.Join(dir, "published")
	books, _ := filepath.Glob(filepath.Join(out, "*营商环境办版.xlsx"))
	if len(books) != 1 {
		t.Fatalf("office workbook: found %v", books)
	}
	f, err := excelize.OpenFile(books[0])
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sheet, err := f.GetRows("年度进度", excelize.Options{RawCellValue: true})
	if err != nil {
		t.Fatal(err)
	}
	sheet = sheet[7:] // title block and the two header rows
	page, err := os.ReadFile(filepath.Join(out, "index.html"))
	if err != nil {
		t.Fatal(err)
	}
	section := string(page)
	start := strings.Index(section, "2024年度目标进度")
	if start < 0 {
		t.Fatal("the index has no section on the year's targets")
	}
	section = section[start:]
	section = section[:strings.Index(section, "</table>")]
	var cells [][]string
	for _, tr := range regexp.MustCompile(`(?s)<tr>(.*?)</tr>`).FindAllStringSubmatch(section, -1)[1:] {
		var row []string
		for _, td := range regexp.MustCompile(`(?s)<td[^>]*>(.*?)</td>`).FindAllStringSubmatch(tr[1], -1) {
			row = append(row, html.UnescapeString(td[1]))
		}
		cells = append(cells, row)
	}
	if len(lines) < 10 || len(sheet) != len(lines) || len(cells) != len(lines) {
		t.Fatalf("%d lines from the command, %d in the sheet, %d on the dashboard", len(lines), len(sheet), len(cells))
	}
	projected := 0
	for i, l := range lines {
		id := l[col["target_id"]]
		s, h := sheet[i], cells[i]
		if s[15] != id || s[1] != l[col["statement"]] || h[0] != l[col["statement"]] {
			t.Errorf("line %d: sheet %s %q, dashboard %q, command %s %q", i, s[15], s[1], h[0], id, l[col["statement"]])
		}
		for _, v := range []struct{ name, sheet, page, cmd string }{
			{"verdict", s[11], h[2], l[col["verdict_zh"]]},
			{"advice", s[12], h[7], l[col["advice"]]},
		} {
			if v.sheet != v.cmd || v.page != v.cmd {
				t.Errorf("%s %s: sheet %q, dashboard %q, command %q", id, v.name, v.sheet, v.page, v.cmd)
			}
		}
		for _, v := range []struct {
			name        string
			sheet, page string
			cmd         string
		}{{"year to date", s[4], h[3], l[col["ytd"]]}, {"projection", s[7], h[4], l[col["projection"]]}} {
			if v.cmd == "" {
				if v.sheet != "" || v.page != "—" {
					t.Errorf("%s %s: sheet %q, dashboard %q, command none", id, v.name, v.sheet, v.page)
				}
				continue
			}
			want, _ := strconv.ParseFloat(v.cmd, 64)
			got, err := strconv.ParseFloat(v.sheet, 64)
			if err != nil || math.Abs(got-want) > 1e-9*math.Max(1, math.Abs(want)) {
				t.Errorf("%s %s: sheet %q, command %v", id, v.name, v.sheet, want)
			}
			shown, places := strings.TrimSuffix(v.page, "%"), 0
			if strings.HasSuffix(v.page, "%") {
				want *= 100
			}
			if i := strings.IndexByte(shown, '.'); i >= 0 {
				places = len(shown) - i - 1
			}
			if g, err := strconv.ParseFloat(shown, 64); err != nil || math.Abs(g-want) > 0.5*math.Pow(10, -float64(places))+1e-9 {
				t.Errorf("%s %s: dashboard %q, command %v", id, v.name, v.page, want)
			}
		}
		if l[col["projection"]] != "" {
			projected++
		}
	}
	if projected == 0 {
		t.Error("no target projected on the demo: the comparison shows nothing")
	}
}
