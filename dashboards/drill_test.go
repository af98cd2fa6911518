package dashboards

import (
	"html"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/utilscore/utilscore/reports"
)

// On the regulators' pages each missed target links to its breakdown: the index's
// count of missed targets leads to the utility's list, each entry of the list to a
// section of the same page holding its groups and, for a case target, its cases. The
// public build shows none of it.
func TestMissedTargetsLinkToTheirBreakdown(t *testing.T) {
	d := testData(t)
	dir := t.TempDir()
	if _, err := Write(dir, reports.Regulator, d); err != nil {
		t.Fatal(err)
	}
	var missed, cites []string
	for _, m := range collectMissedOrFail(t, d)["power"] {
		missed = append(missed, anchor(m))
		cites = append(cites, d.Profile.Cite(m.Missed.Target.Source))
	}
	if len(missed) == 0 {
		t.Fatal("the test data misses no power target")
	}
	index, _ := os.ReadFile(filepath.Join(dir, "index.html"))
	if !strings.Contains(string(index), `href="power.html#missed"`) {
		t.Error("the index does not link power's missed targets")
	}
	power, _ := os.ReadFile(filepath.Join(dir, "power.html"))
	page := string(power)
	if !strings.Contains(page, `id="missed"`) {
		t.Fatal("power.html has no list of missed targets")
	}
	for i, id := range missed {
		if !strings.Contains(page, `href="#`+id+`"`) || !strings.Contains(page, `id="`+id+`"`) {
			t.Errorf("power.html: no link to, or no section %s", id)
		}
		// Cited by title and clause, never by the document's file number.
		if !strings.Contains(page, html.EscapeString(cites[i])) {
			t.Errorf("power.html: %s does not cite %s", id, cites[i])
		}
	}
	// Phones only masked; a case id listed under a breakdown.
	if regexp.MustCompile(`1[3-9]\d{9}`).MatchString(page) {
		t.Error("power.html shows an unmasked phone number")
	}
	if !strings.Contains(page, "未达标明细：共") {
		t.Error("power.html lists no missed case")
	}

	public := t.TempDir()
	if _, err := Write(public, reports.Public, d); err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"index.html", "power.html", "water.html", "gas.html", "telecom.html"} {
		html, _ := os.ReadFile(filepath.Join(public, name))
		if strings.Contains(string(html), `id="missed`) || strings.Contains(string(html), "未达标明细") {
			t.Errorf("the public %s shows the drill-down", name)
		}
	}
}

func collectMissedOrFail(t *testing.T, d *reports.Data) map[string][]missedTarget {
	t.Helper()
	m, err := collectMissed(d, reports.Regulator)
	if err != nil {
		t.Fatal(err)
	}
	return m
}
