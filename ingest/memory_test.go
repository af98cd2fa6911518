package ingest

import "testing"

// A load under a memory limit leaves DuckDB's limit as it found it, however many
// files are loaded one after another.
func TestMemoryLimitIsPutBack(t *testing.T) {
	db := openDB(t)
	before := queryOne(t, db.DB, "SELECT current_setting('memory_limit')")
	l := newLoader(t, db, Options{MemoryLimit: LoadMemoryLimit})
	for i, name := range []string{"a.csv", "b.csv", "c.csv"} {
		load(t, l, writeFile(t, name, "区划代码,名称,上级\n51030"+string(rune('2'+i))+",自流井区,自贡市\n"))
		if after := queryOne(t, db.DB, "SELECT current_setting('memory_limit')"); after != before {
			t.Fatalf("after load %d the memory limit is %s, was %s", i+1, after, before)
		}
	}
}
