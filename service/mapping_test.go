package service

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// acmePowerInbox is a configuration that maps the inbox subfolder acme-power to the
// acme-power profile, with the utility's GBK export dropped in it; it returns the
// export's bytes too.
func acmePowerInbox(t *testing.T) (*Config, []byte) {
	t.Helper()
	cfg := emptyConfig(t)
	profile, _ := filepath.Abs(filepath.Join("testdata", "acme-power.yaml"))
	cfg.Mappings = map[string]string{"acme-power": profile}
	export, err := os.ReadFile(filepath.Join("testdata", "acme-power-export.csv"))
	if err != nil {
		t.Fatal(err)
	}
	os.MkdirAll(filepath.Join(cfg.Inbox, "acme-power"), 0o755)
	os.WriteFile(filepath.Join(cfg.Inbox, "acme-power", "报装明细-202412.csv"), export, 0o644)
	return cfg, export
}

// A utility's GBK export with its own headers, dropped in the inbox subfolder the
// config maps to its profile, loads in the nightly run; the same file in the inbox
// itself, read with the built-in headers, goes to quarantine.
func TestNightlyReadsEachFolderWithItsMapping(t *testing.T) {
	loc, _ := time.LoadLocation("Asia/Shanghai")
	cfg, export := acmePowerInbox(t)
	os.WriteFile(filepath.Join(cfg.Inbox, "unmapped.csv"), export, 0o644)

	svc := openService(t, cfg, time.Date(2024, 12, 31, 2, 0, 0, 0, loc))
	ctx := context.Background()
	run, err := svc.Nightly(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if run.Files != 2 || run.RowsLoaded != 3 || run.Outcome != "ok" || run.Detail != "quarantined 1 of 2 files: unmapped.csv" {
		t.Errorf("nightly = %+v", run)
	}
	rows, err := svc.DB.QueryContext(ctx, `SELECT case_id, utility::VARCHAR, customer_class::VARCHAR, is_low_risk FROM cases ORDER BY case_id`)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for rows.Next() {
		var id, utility, class string
		var lowRisk bool
		rows.Scan(&id, &utility, &class, &lowRisk)
		got = append(got, strings.Join([]string{id, utility, class, map[bool]string{true: "Y", false: "N"}[lowRisk]}, " "))
	}
	rows.Close()
	if want := "ACME-1 power hv_single N | ACME-2 power residential Y | ACME-3 power residential N"; strings.Join(got, " | ") != want {
		t.Errorf("cases = %s, want %s", strings.Join(got, " | "), want)
	}
	for _, f := range []string{"acme-power/processed/报装明细-202412.csv", "quarantine/unmapped.csv", "quarantine/unmapped.csv.error.txt"} {
		if _, err := os.Stat(filepath.Join(cfg.Inbox, f)); err != nil {
			t.Errorf("inbox lacks %s: %v", f, err)
		}
	}

	// A profile that no longer loads fails the run and leaves its folder's files.
	os.WriteFile(filepath.Join(cfg.Inbox, "acme-power", "next.csv"), export, 0o644)
	cfg.Mappings["acme-power"] = filepath.Join(t.TempDir(), "gone.yaml")
	if run, err := svc.Nightly(ctx); err == nil || !strings.Contains(err.Error(), "acme-power") || run.Outcome != "failed" {
		t.Errorf("nightly with a missing profile = %+v, %v", run, err)
	}
	if _, err := os.Stat(filepath.Join(cfg.Inbox, "acme-power", "next.csv")); err != nil {
		t.Errorf("the waiting file moved: %v", err)
	}
}

func TestMappingsConfig(t *testing.T) {
	if !strings.Contains(string(ExampleConfig), "#     acme-power: profiles/acme-power.yaml") {
		t.Error("the example config (what init writes) shows no mapping")
	}
	profile, _ := filepath.Abs(filepath.Join("testdata", "acme-power.yaml"))
	tests := []struct{ yaml, want string }{
		{"mappings:\n  acme-power: " + profile + "\n", ""},
		{"mappings:\n  ../up: " + profile + "\n", `mappings.../up: "../up" is not a subfolder name`},
		{"mappings:\n  quarantine: " + profile + "\n", `mappings.quarantine: "quarantine" is not`},
		{"mappings:\n  acme: /nowhere/acme.yaml\n", "mappings.acme: "},
	}
	for _, tt := range tests {
		path := filepath.Join(t.TempDir(), "utilscore.yaml")
		os.WriteFile(path, []byte(tt.yaml), 0o644)
		_, err := LoadConfig(path, noEnv)
		if (tt.want == "") != (err == nil) || (err != nil && !strings.Contains(err.Error(), tt.want)) {
			t.Errorf("LoadConfig(%q) = %v, want %q", tt.yaml, err, tt.want)
		}
	}
}
