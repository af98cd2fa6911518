package ingest

import (
	"regexp"
	"testing"

	"github.com/utilscore/utilscore/domain"
)

// Every reason the loader stores has its Chinese text (domain/reasons.go), which the
// Chinese outputs print whole: rows it cannot split, ambiguous duplicates, JSON lines.
// TestRejectionReasons checks the reasons of the typed values the same way.
func TestRejectionReasonsHaveChinese(t *testing.T) {
	files := map[string]string{
		"fields.csv": caseHeader + "C1,power,510302,residential,connected,2024-03-01 09:00,2024-03-02 09:00\nC2,power,510302\n" +
			"C3,power,510302,residential,\"connected\"x,2024-03-01 09:00,2024-03-02 09:00\n",
		"twice.csv": "case_id,utility,district,customer_class,status,applied_at,recorded_at\n" +
			"C1,power,510302,residential,open,2024-03-01 09:00,2024-03-05 09:00\nC1,power,510302,lv_zero,open,2024-03-01 09:00,2024-03-05 09:00\n",
		"lines.jsonl": `{"case_id":"C1","utility":"power","district":"510302","customer_class":"residential","status":"open","applied_at":"2024-03-01 09:00"}` +
			"\n[1,2]\n{\"case_id\":\"C2\"} {}\n",
	}
	latin := regexp.MustCompile(`[A-Za-z]{3,}`)
	quoted := regexp.MustCompile(`“[^”]*”`) // the values the reason quotes from the file
	for name, content := range files {
		db := openDB(t)
		load(t, newLoader(t, db, Options{}), writeFile(t, name, content))
		reasons := query(t, db.DB, "SELECT DISTINCT reason FROM rejects")
		if len(reasons) == 0 {
			t.Errorf("%s: no row rejected", name)
		}
		for _, r := range reasons {
			zh, ok := domain.ReasonZH(r[0])
			if !ok {
				t.Errorf("%s: reason %q has no Chinese text in domain/reasons.go", name, r[0])
			}
			if run := latin.FindString(quoted.ReplaceAllString(zh, "")); run != "" && run != "JSON" {
				t.Errorf("%s: Chinese reason %q keeps the English %q", name, zh, run)
			}
		}
	}
}
