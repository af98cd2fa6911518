package service

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func noEnv(string) string { return "" }

func TestExampleConfigIsValid(t *testing.T) {
	c, err := LoadConfig("", noEnv)
	if err != nil {
		t.Fatal(err)
	}
	if c.Schedule.Nightly != "0 2 * * *" || c.TimeZone != "Asia/Shanghai" || len(c.Audiences) != 4 {
		t.Errorf("defaults = %+v", c)
	}
}

func TestConfigErrorsNameTheKey(t *testing.T) {
	tests := []struct{ yaml, want string }{
		{"databse: x.duckdb\n", "line 1: field databse not found"},
		{"schedule:\n  nightly: every night\n", `schedule.nightly: "every night" is not a cron schedule`},
		{"time_zone: Mars/Olympus\n", `time_zone: "Mars/Olympus" is not a time zone`},
		{"audiences: [regulator, press]\n", `audiences: "press" is not`},
		{"profile: nowhere-2099\n", "profile:"},
		{"http:\n  address: 8080\n", `http.address: "8080" is not host:port`},
		{"inbox: ''\n", "inbox: must be set"},
	}
	for _, tt := range tests {
		path := filepath.Join(t.TempDir(), "utilscore.yaml")
		os.WriteFile(path, []byte(tt.yaml), 0o644)
		if _, err := LoadConfig(path, noEnv); err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("LoadConfig(%q) = %v, want %q", tt.yaml, err, tt.want)
		}
	}
}

func TestEnvironmentOverridesTheFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "utilscore.yaml")
	os.WriteFile(path, []byte("database: from-file.duckdb\nhttp:\n  address: 127.0.0.1:9000\n"), 0o644)
	env := map[string]string{"UTILSCORE_DATABASE": "from-env.duckdb", "UTILSCORE_AUDIENCES": "public,office"}
	c, err := LoadConfig(path, func(k string) string { return env[k] })
	if err != nil {
		t.Fatal(err)
	}
	if c.Database != "from-env.duckdb" || c.HTTP.Address != "127.0.0.1:9000" || strings.Join(c.Audiences, ",") != "public,office" {
		t.Errorf("config = %+v", c)
	}
}

// A value from the environment that is refused is reported by its variable's name,
// not by the file's key it overrides.
func TestEnvironmentErrorsNameTheVariable(t *testing.T) {
	tests := []struct{ env, value, want string }{
		{"UTILSCORE_SCHEDULE_NIGHTLY", "every night", `environment UTILSCORE_SCHEDULE_NIGHTLY: "every night" is not a cron schedule`},
		{"UTILSCORE_SCHEDULE_QUARTERLY", "61 * * * *", `environment UTILSCORE_SCHEDULE_QUARTERLY: "61 * * * *"`},
		{"UTILSCORE_TIME_ZONE", "Mars/Olympus", `environment UTILSCORE_TIME_ZONE: "Mars/Olympus" is not a time zone`},
		{"UTILSCORE_HTTP_ADDRESS", "8080", `environment UTILSCORE_HTTP_ADDRESS: "8080" is not host:port`},
		{"UTILSCORE_PROFILE", "nowhere-2099", "environment UTILSCORE_PROFILE: "},
		{"UTILSCORE_AUDIENCES", "public,press", `environment UTILSCORE_AUDIENCES: "press" is not an audience`},
	}
	path := filepath.Join(t.TempDir(), "utilscore.yaml")
	os.WriteFile(path, []byte("schedule:\n  nightly: \"0 3 * * *\"\n"), 0o644)
	for _, tt := range tests {
		_, err := LoadConfig(path, func(k string) string {
			if k == tt.env {
				return tt.value
			}
			return ""
		})
		if err == nil || !strings.HasPrefix(err.Error(), tt.want) || strings.Contains(err.Error(), "schedule.nightly") {
			t.Errorf("%s=%q: %v, want %q", tt.env, tt.value, err, tt.want)
		}
	}
	// The same value from the file is reported by the file and its key.
	os.WriteFile(path, []byte("schedule:\n  nightly: every night\n"), 0o644)
	if _, err := LoadConfig(path, noEnv); err == nil || !strings.Contains(err.Error(), "config "+path+": schedule.nightly: ") {
		t.Errorf("from the file: %v", err)
	}
}
