package service

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"golang.org/x/crypto/bcrypt"
	"gopkg.in/yaml.v3"

	"github.com/utilscore/utilscore/printout"
	"github.com/utilscore/utilscore/reports"
)

var testUsers = []struct{ name, audience, utility string }{
	{"reg", "regulator", ""}, {"off", "office", ""}, {"pw", "utility", "power"}, {"wa", "utility", "water"},
}

const testPassword = "correct horse"

// writeUsers writes a users file with the test users (cheap hashes, to keep the
// tests fast) and returns its path.
func writeUsers(t *testing.T) string {
	t.Helper()
	var f usersFile
	for _, u := range testUsers {
		hash, err := bcrypt.GenerateFromPassword([]byte(testPassword), bcrypt.MinCost)
		if err != nil {
			t.Fatal(err)
		}
		f.Users = append(f.Users, User{Name: u.name, Audience: u.audience, Utility: u.utility, Hash: string(hash)})
	}
	data, _ := yaml.Marshal(f)
	path := filepath.Join(t.TempDir(), "users.yaml")
	if err := os.WriteFile(path, data, 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// publishedBuild publishes a build laid out as the quarterly job lays it out.
func publishedBuild(t *testing.T) (output, site string) {
	t.Helper()
	output = filepath.Join(t.TempDir(), "out")
	dir, err := Publish(output, "2024Q3", func(dir string) error {
		files := map[string]string{"index.html": "build index"}
		for _, a := range []string{"regulator", "office", "public"} {
			files[a+"/index.html"] = a + " index"
			files[a+"/"+reports.FileName("2024Q3", a, "")] = a + " workbook"
			files[a+"/"+printout.FileName("2024Q3", a, "", "html")] = a + " printable report"
			files[a+"/power.html"] = a + " power page"
			files[a+"/assets/echarts.min.js"] = "// echarts"
			files[a+"/"+printout.StyleSheet] = "/* print */"
		}
		files["utility/index.html"] = "every utility's overview"
		files["utility/assets/echarts.min.js"] = "// echarts"
		files["utility/"+printout.StyleSheet] = "/* print */"
		for u := range reports.UtilityZH {
			if u != "" {
				files["utility/"+reports.FileName("2024Q3", "utility", u)] = u + " workbook"
				files["utility/"+printout.FileName("2024Q3", "utility", u, "html")] = u + " printable report"
				files["utility/"+u+".html"] = u + " page"
			}
		}
		for name, body := range files {
			os.MkdirAll(filepath.Dir(filepath.Join(dir, name)), 0o755)
			if err := os.WriteFile(filepath.Join(dir, name), []byte(body), 0o644); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return output, filepath.Base(dir)
}

// internalPaths lists every file of the internal audiences' folders, through / and
// through /archive/.
func internalPaths(t *testing.T, output, site string) []string {
	t.Helper()
	var paths []string
	root := filepath.Join(output, sitesDir, site)
	filepath.WalkDir(root, func(p string, d os.DirEntry, err error) error {
		rel, _ := filepath.Rel(root, p)
		rel = filepath.ToSlash(rel)
		if a, _, _ := strings.Cut(rel, "/"); d.IsDir() || a == "public" || a == rel {
			return nil
		}
		paths = append(paths, "/"+rel, "/archive/"+site+"/"+rel)
		return nil
	})
	for _, a := range []string{"regulator", "office", "utility"} {
		paths = append(paths, "/"+a+"/", "/archive/"+site+"/"+a+"/")
	}
	return append(paths, "/runs")
}

func fetch(t *testing.T, client *http.Client, url, user, password string) (*http.Response, string) {
	t.Helper()
	req, _ := http.NewRequest("GET", url, nil)
	if user != "" {
		req.SetBasicAuth(user, password)
	}
	if client == nil {
		client = &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	}
	resp, err := client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return resp, string(body)
}

func accessServer(t *testing.T, output, users string, log *slog.Logger) (*httptest.Server, *Access) {
	t.Helper()
	access := NewAccess(NewAccounts(users), log, nil)
	srv := httptest.NewServer((&Server{Output: output, Access: access, Runs: func() (any, error) { return []Run{{Job: "nightly"}}, nil }}).Handler())
	t.Cleanup(srv.Close)
	return srv, access
}

// Without credentials every internal path answers 401; the public build answers 200.
func TestInternalBuildsNeedAnAccount(t *testing.T) {
	output, site := publishedBuild(t)
	srv, _ := accessServer(t, output, writeUsers(t), nil)
	paths := internalPaths(t, output, site)
	if len(paths) < 20 {
		t.Fatalf("only %d internal paths: %v", len(paths), paths)
	}
	for _, p := range paths {
		resp, body := fetch(t, nil, srv.URL+p, "", "")
		if resp.StatusCode != http.StatusUnauthorized || !strings.HasPrefix(resp.Header.Get("WWW-Authenticate"), "Basic ") {
			t.Errorf("GET %s without credentials = %d %q", p, resp.StatusCode, body)
		}
		if strings.Contains(body, "workbook") || strings.Contains(body, "page") || strings.Contains(body, "nightly") {
			t.Errorf("GET %s without credentials leaked %q", p, body)
		}
	}
	for _, p := range []string{"/", "/index.html", "/public/", "/public/" + reports.FileName("2024Q3", "public", ""), "/public/power.html",
		"/public/assets/echarts.min.js", "/archive/", "/archive/" + site + "/public/power.html",
		"/public/" + printout.FileName("2024Q3", "public", "", "html"), "/public/" + printout.StyleSheet} {
		if resp, body := fetch(t, nil, srv.URL+p, "", ""); resp.StatusCode != http.StatusOK {
			t.Errorf("GET %s = %d %q, want 200", p, resp.StatusCode, body)
		}
	}
}

// Each user reads their own audience's build, a utility user their own utility's
// files only; every grant and refusal is logged with the user.
func TestUsersReadTheirOwnFiles(t *testing.T) {
	output, site := publishedBuild(t)
	var logged bytes.Buffer
	srv, _ := accessServer(t, output, writeUsers(t), slog.New(slog.NewTextHandler(&logged, nil)))
	powerBook := "/utility/" + reports.FileName("2024Q3", "utility", "power")
	waterBook := "/utility/" + reports.FileName("2024Q3", "utility", "water")
	// The printable reports go by the workbooks' rule.
	powerPrint := "/utility/" + printout.FileName("2024Q3", "utility", "power", "html")
	waterPrint := "/utility/" + printout.FileName("2024Q3", "utility", "water", "html")
	regulatorPrint := "/regulator/" + printout.FileName("2024Q3", "regulator", "", "html")
	tests := []struct {
		user, path string
		status     int
		body       string
	}{
		{"reg", "/regulator/" + reports.FileName("2024Q3", "regulator", ""), 200, "regulator workbook"},
		{"reg", "/archive/" + site + "/regulator/", 200, "regulator index"},
		{"reg", "/office/index.html", 403, ""},
		{"reg", powerBook, 403, ""},
		{"reg", "/runs", 200, "nightly"},
		{"off", "/office/power.html", 200, "office power page"},
		{"off", "/regulator/index.html", 403, ""},
		{"pw", powerBook, 200, "power workbook"},
		{"pw", "/utility/power.html", 200, "power page"},
		{"pw", "/utility/assets/echarts.min.js", 200, "echarts"},
		{"pw", "/archive/" + site + powerBook, 200, "power workbook"},
		{"pw", waterBook, 403, ""},
		{"pw", "/utility/water.html", 403, ""},
		{"pw", "/archive/" + site + waterBook, 403, ""},
		{"pw", "/regulator/index.html", 403, ""},
		{"pw", "/utility/index.html", 302, ""},
		{"pw", "/public/power.html", 200, "public power page"},
		{"wa", waterBook, 200, "water workbook"},
		{"wa", powerBook, 403, ""},
		{"wa", "/utility/power.html", 403, ""},
		{"pw", "/utility/nothing.html", 403, ""},
		{"reg", regulatorPrint, 200, "regulator printable report"},
		{"reg", powerPrint, 403, ""},
		{"off", regulatorPrint, 403, ""},
		{"off", "/office/" + printout.FileName("2024Q3", "office", "", "html"), 200, "office printable report"},
		{"pw", powerPrint, 200, "power printable report"},
		{"pw", "/archive/" + site + powerPrint, 200, "power printable report"},
		{"pw", "/utility/" + printout.StyleSheet, 200, "print"},
		{"pw", waterPrint, 403, ""},
		{"pw", "/archive/" + site + waterPrint, 403, ""},
		{"pw", regulatorPrint, 403, ""},
		{"pw", "/public/" + printout.FileName("2024Q3", "public", "", "html"), 200, "public printable report"},
		{"wa", waterPrint, 200, "water printable report"},
		{"wa", powerPrint, 403, ""},
	}
	for _, tt := range tests {
		resp, body := fetch(t, nil, srv.URL+tt.path, tt.user, testPassword)
		if resp.StatusCode != tt.status || !strings.Contains(body, tt.body) {
			t.Errorf("%s GET %s = %d %.80q, want %d %q", tt.user, tt.path, resp.StatusCode, body, tt.status, tt.body)
		}
	}
	resp, _ := fetch(t, nil, srv.URL+"/archive/"+site+"/utility/", "wa", testPassword)
	if loc := resp.Header.Get("Location"); resp.StatusCode != http.StatusFound || loc != "/archive/"+site+"/utility/water.html" {
		t.Errorf("the utility landing page sent wa to %d %q", resp.StatusCode, loc)
	}
	for _, want := range []string{`msg="access granted" user=pw audience=utility utility=power path=` + powerBook,
		`msg="access refused" user=pw audience=utility utility=power path=` + waterBook, `msg="access granted" user=reg`} {
		if !strings.Contains(logged.String(), want) {
			t.Errorf("the log lacks %s:\n%s", want, logged.String())
		}
	}
}

// With no accounts, nothing internal is served, credentials or not.
func TestNoAccountsServeNothingInternal(t *testing.T) {
	output, site := publishedBuild(t)
	for name, srv := range map[string]*httptest.Server{
		"missing users file": func() *httptest.Server {
			s, _ := accessServer(t, output, filepath.Join(t.TempDir(), "users.yaml"), nil)
			return s
		}(),
		"no users key": func() *httptest.Server {
			s, _ := accessServer(t, output, "", nil)
			return s
		}(),
		"no access": httptest.NewServer((&Server{Output: output}).Handler()),
	} {
		for _, p := range internalPaths(t, output, site) {
			if resp, body := fetch(t, nil, srv.URL+p, "reg", testPassword); resp.StatusCode != http.StatusForbidden {
				t.Errorf("%s: GET %s = %d %q, want 403", name, p, resp.StatusCode, body)
			}
		}
		if resp, _ := fetch(t, nil, srv.URL+"/public/index.html", "", ""); resp.StatusCode != http.StatusOK {
			t.Errorf("%s: the public build = %d", name, resp.StatusCode)
		}
		srv.Close()
	}
}

// Over loopback, wrong passwords lock the client out after the fifth failure, even
// for the right password, while another client is not affected; the lock ends when
// the window has passed.
func TestFailedLoginLimit(t *testing.T) {
	output, _ := publishedBuild(t)
	srv, access := accessServer(t, output, writeUsers(t), nil)
	now := time.Date(2025, 1, 6, 9, 0, 0, 0, time.UTC)
	access.limit.now = func() time.Time { return now }
	from := func(ip string) *http.Client {
		dialer := &net.Dialer{LocalAddr: &net.TCPAddr{IP: net.ParseIP(ip)}}
		return &http.Client{Transport: &http.Transport{DialContext: func(ctx context.Context, network, addr string) (net.Conn, error) {
			return dialer.DialContext(ctx, network, addr)
		}}}
	}
	attacker, other := from("127.0.0.1"), from("127.0.0.2")
	url := srv.URL + "/regulator/index.html"
	var statuses []int
	for i := range 50 { // bounded: 50 wrong passwords, half of them for a name that does not exist
		name := "reg"
		if i%2 == 1 {
			name = "nobody"
		}
		resp, _ := fetch(t, attacker, url, name, "guess"+strconv.Itoa(i))
		statuses = append(statuses, resp.StatusCode)
		if resp.StatusCode == http.StatusTooManyRequests {
			if s, err := strconv.Atoi(resp.Header.Get("Retry-After")); err != nil || s < 1 || s > 15*60+1 {
				t.Errorf("Retry-After = %q", resp.Header.Get("Retry-After"))
			}
		}
	}
	for i, s := range statuses {
		want := http.StatusUnauthorized
		if i >= maxFailedLogins {
			want = http.StatusTooManyRequests
		}
		if s != want {
			t.Fatalf("attempt %d = %d, want %d (all: %v)", i+1, s, want, statuses)
		}
	}
	if resp, _ := fetch(t, attacker, url, "reg", testPassword); resp.StatusCode != http.StatusTooManyRequests {
		t.Errorf("the right password while locked out = %d, want 429", resp.StatusCode)
	}
	if resp, _ := fetch(t, other, url, "reg", testPassword); resp.StatusCode != http.StatusOK {
		t.Errorf("another client = %d, want 200", resp.StatusCode)
	}
	now = now.Add(failedLoginWindow)
	if resp, _ := fetch(t, attacker, url, "reg", testPassword); resp.StatusCode != http.StatusOK {
		t.Errorf("after the window = %d, want 200", resp.StatusCode)
	}
}

// A reverse proxy named as trusted passes the client's address; anyone else's
// X-Forwarded-For is ignored.
func TestClientAddress(t *testing.T) {
	a := NewAccess(nil, nil, []string{"10.0.0.1"})
	tests := []struct{ remote, fwd, want string }{
		{"10.0.0.1:5000", "203.0.113.9", "203.0.113.9"},
		{"10.0.0.1:5000", "1.1.1.1, 203.0.113.9", "203.0.113.9"},
		{"10.0.0.1:5000", "", "10.0.0.1"},
		{"10.0.0.1:5000", "not an address", "10.0.0.1"},
		{"198.51.100.7:5000", "203.0.113.9", "198.51.100.7"},
	}
	for _, tt := range tests {
		r := httptest.NewRequest("GET", "/", nil)
		r.RemoteAddr = tt.remote
		if tt.fwd != "" {
			r.Header.Set("X-Forwarded-For", tt.fwd)
		}
		if got := a.client(r); got != tt.want {
			t.Errorf("client(%s, %q) = %s, want %s", tt.remote, tt.fwd, got, tt.want)
		}
	}
}

// Accounts added while the service runs take effect; unknown audiences and
// utilities, and short passwords, are refused.
func TestAddUser(t *testing.T) {
	path := filepath.Join(t.TempDir(), "users.yaml")
	accounts := NewAccounts(path)
	if n, err := accounts.Status(); n != 0 || err != nil {
		t.Fatalf("a missing file holds %d users, %v", n, err)
	}
	if replaced, err := AddUser(path, User{Name: "li", Audience: "utility", Utility: "gas"}, []byte("secret-1234")); err != nil || replaced {
		t.Fatal(replaced, err)
	}
	if info, _ := os.Stat(path); info.Mode().Perm() != 0o600 {
		t.Errorf("users file mode %v, want 0600", info.Mode().Perm())
	}
	if u, ok := accounts.Check("li", "secret-1234"); !ok || u.Utility != "gas" {
		t.Errorf("the new user = %+v, %v", u, ok)
	}
	if _, ok := accounts.Check("li", "secret-12345"); ok {
		t.Error("a wrong password passed")
	}
	if _, ok := accounts.Check("nobody", "secret-1234"); ok {
		t.Error("an unknown user passed")
	}
	if replaced, err := AddUser(path, User{Name: "li", Audience: "regulator"}, []byte("another-pass")); err != nil || !replaced {
		t.Fatal(replaced, err)
	}
	if u, ok := accounts.Check("li", "another-pass"); !ok || u.Audience != "regulator" {
		t.Errorf("the replaced user = %+v, %v", u, ok)
	}
	for _, tt := range []struct {
		u        User
		password string
		want     string
	}{
		{User{Name: "a", Audience: "mayor"}, "long enough", "unknown audience"},
		{User{Name: "a", Audience: "public"}, "long enough", "open to all"},
		{User{Name: "a", Audience: "utility"}, "long enough", "known utility"},
		{User{Name: "a", Audience: "utility", Utility: "heat"}, "long enough", "known utility"},
		{User{Name: "a", Audience: "office", Utility: "gas"}, "long enough", "only the utility audience"},
		{User{Name: "a:b", Audience: "office"}, "long enough", "without spaces"},
		{User{Name: "a", Audience: "office"}, "short", "at least 8"},
	} {
		if _, err := AddUser(path, tt.u, []byte(tt.password)); err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("AddUser(%+v) = %v, want %q", tt.u, err, tt.want)
		}
	}
	os.WriteFile(path, []byte("users: [{name: x, audience: nobody, hash: y}]"), 0o600)
	if n, err := accounts.Status(); n != 0 || err == nil {
		t.Errorf("a bad users file gives %d users, %v", n, err)
	}
}
