package ingest

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/utilscore/utilscore/store"
)

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

// Under a memory limit the allocator gives freed memory back while the file loads,
// and the merge runs on one thread; once the file is in, both are DuckDB's own again.
func TestLoadSettingsArePutBack(t *testing.T) {
	// A database file: the settings are read on a connection of their own while
	// the load holds another.
	db, err := store.Open(context.Background(), filepath.Join(t.TempDir(), "db.duckdb"), store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	type settings struct{ threads, purge string }
	read := func() settings {
		return settings{
			threads: queryOne(t, db.DB, "SELECT current_setting('threads')::VARCHAR"),
			purge:   queryOne(t, db.DB, "SELECT current_setting('allocator_background_threads')::VARCHAR"),
		}
	}
	before := read()
	if before.threads == "1" || before.purge != "false" {
		t.Fatalf("DuckDB's own settings are already %+v: the test would tell nothing", before)
	}
	during := map[string]settings{}
	l := newLoader(t, db, Options{MemoryLimit: LoadMemoryLimit, Progress: func(_, step string, _, _ int64) {
		if step != "hashing" {
			during[step] = read()
		}
	}})
	load(t, l, writeFile(t, "districts.csv", "区划代码,名称,上级\n510302,自流井区,自贡市\n"))
	want := map[string]settings{
		"reading":    {threads: before.threads, purge: "true"},
		"checking":   {threads: before.threads, purge: "true"},
		"writing":    {threads: before.threads, purge: "true"},
		"committing": {threads: "1", purge: "true"},
	}
	for step, w := range want {
		if got, ok := during[step]; !ok || got != w {
			t.Errorf("while %s: %+v (step seen: %v), want %+v", step, got, ok, w)
		}
	}
	if after := read(); after != before {
		t.Errorf("after the load: %+v, want DuckDB's own %+v back", after, before)
	}
}
