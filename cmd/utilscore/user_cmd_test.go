package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/utilscore/utilscore/service"
)

// withStdin feeds text to the password prompt.
func withStdin(t *testing.T, text string) {
	t.Helper()
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	w.WriteString(text)
	w.Close()
	old := passwordInput
	passwordInput = r
	t.Cleanup(func() { passwordInput = old; r.Close() })
}

func TestUserAdd(t *testing.T) {
	dir := t.TempDir()
	cfg := filepath.Join(dir, "utilscore.yaml")
	users := filepath.Join(dir, "users.yaml")
	os.WriteFile(cfg, []byte("http:\n  users: "+users+"\n"), 0o644)
	tests := []struct {
		name, stdin    string
		args           []string
		code           int
		stdout, stderr string
	}{
		{"utility user", "s3cret-pass\n", []string{"user", "add", "li", "--audience", "utility", "--utility", "water", "--config", cfg}, 0, "added user li (utility water) in " + users, ""},
		{"regulator", "another-pass\r\n", []string{"user", "add", "wang", "--audience", "regulator", "--config", cfg}, 0, "added user wang (regulator)", ""},
		{"new password", "third-password", []string{"user", "add", "wang", "--audience", "office", "--config", cfg}, 0, "updated user wang (office)", ""},
		{"unknown audience", "s3cret-pass\n", []string{"user", "add", "x", "--audience", "mayor", "--config", cfg}, 2, "", `unknown audience "mayor" (office, regulator, utility)`},
		{"unknown utility", "s3cret-pass\n", []string{"user", "add", "x", "--audience", "utility", "--utility", "heat", "--config", cfg}, 2, "", `not "heat" (gas, power, telecom, water)`},
		{"utility missing", "s3cret-pass\n", []string{"user", "add", "x", "--audience", "utility", "--config", cfg}, 2, "", "needs a known utility"},
		{"public", "s3cret-pass\n", []string{"user", "add", "x", "--audience", "public", "--config", cfg}, 2, "", "needs no account"},
		{"no password", "", []string{"user", "add", "x", "--audience", "office", "--config", cfg}, 1, "", "no password on stdin"},
		{"short password", "short\n", []string{"user", "add", "x", "--audience", "office", "--config", cfg}, 1, "", "at least 8 characters"},
		{"no name", "", []string{"user", "add", "--audience", "office", "--config", cfg}, 2, "", "user add NAME"},
	}
	for _, tt := range tests {
		withStdin(t, tt.stdin)
		code, stdout, stderr := runCLI(tt.args...)
		if code != tt.code || !strings.Contains(stdout, tt.stdout) || !strings.Contains(stderr, tt.stderr) {
			t.Errorf("%s: exit %d\nstdout %q\nstderr %q\nwant exit %d, %q, %q", tt.name, code, stdout, stderr, tt.code, tt.stdout, tt.stderr)
		}
	}
	accounts := service.NewAccounts(users)
	if n, err := accounts.Status(); n != 2 || err != nil {
		t.Fatalf("users file holds %d users, %v", n, err)
	}
	if u, ok := accounts.Check("li", "s3cret-pass"); !ok || u.Utility != "water" {
		t.Errorf("li = %+v, %v", u, ok)
	}
	if u, ok := accounts.Check("wang", "third-password"); !ok || u.Audience != "office" {
		t.Errorf("wang = %+v, %v", u, ok)
	}
	data, _ := os.ReadFile(users)
	if strings.Contains(string(data), "s3cret") {
		t.Error("the users file holds a password")
	}
}
