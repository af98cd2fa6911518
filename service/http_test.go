package service

import (
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

const secret = "TOP-SECRET-OUTSIDE"

// servedOutput publishes one site, plants a secret beside the output folder and
// symbolic links that point out of the site, and returns a test server.
func servedOutput(t *testing.T) (*httptest.Server, string) {
	t.Helper()
	base := t.TempDir()
	os.WriteFile(filepath.Join(base, "secret.txt"), []byte(secret), 0o644)
	output := filepath.Join(base, "out")
	_, err := Publish(output, "2024Q3", func(dir string) error {
		os.WriteFile(filepath.Join(dir, "index.html"), []byte("<h1>site 2024Q3</h1>"), 0o644)
		os.MkdirAll(filepath.Join(dir, "assets"), 0o755)
		os.WriteFile(filepath.Join(dir, "assets", "echarts.min.js"), []byte("// echarts"), 0o644)
		os.WriteFile(filepath.Join(dir, "报告.xlsx"), []byte("xlsx"), 0o644)
		os.Symlink("/etc/passwd", filepath.Join(dir, "link-absolute"))
		os.Symlink("../../../secret.txt", filepath.Join(dir, "link-relative"))
		os.Symlink("..", filepath.Join(dir, "link-parent"))
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer((&Server{Output: output, Health: func() error { return nil }}).Handler())
	t.Cleanup(srv.Close)
	return srv, output
}

func get(t *testing.T, url string) (int, string) {
	t.Helper()
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := client.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(body)
}

func TestServesPublishedFiles(t *testing.T) {
	srv, _ := servedOutput(t)
	tests := []struct {
		path, want string
	}{
		{"/", "site 2024Q3"},
		{"/index.html", "site 2024Q3"},
		{"/assets/echarts.min.js", "// echarts"},
		{"/%E6%8A%A5%E5%91%8A.xlsx", "xlsx"},
		{"/healthz", "ok"},
		{"/archive/", "2024Q3-"},
	}
	for _, tt := range tests {
		status, body := get(t, srv.URL+tt.path)
		if status != http.StatusOK || !strings.Contains(body, tt.want) {
			t.Errorf("GET %s = %d %q, want 200 with %q", tt.path, status, body, tt.want)
		}
	}
}

// No request, however spelled, reaches a file outside the published folder, and no
// folder but /archive/ is listed.
func TestNothingOutsideIsReachable(t *testing.T) {
	srv, output := servedOutput(t)
	entries, _ := os.ReadDir(filepath.Join(output, sitesDir))
	site := entries[0].Name()
	attempts := []string{
		"/../secret.txt", "/%2e%2e/secret.txt", "/%2E%2E%2Fsecret.txt", "/..%2fsecret.txt", "/..%2f..%2fsecret.txt",
		"/assets/../../secret.txt", "/assets/..%2f..%2f..%2fsecret.txt", "//../secret.txt", "/.%2e/.%2e/secret.txt",
		"/link-absolute", "/link-relative", "/link-parent/", "/link-parent/../secret.txt", "/assets/",
		"/archive/../../secret.txt", "/archive/%2e%2e/secret.txt", "/archive/..%2f..%2fsecret.txt",
		"/archive/" + site + "/link-relative", "/archive/" + site + "/../../secret.txt", "/archive/.building-x/index.html",
		"/etc/passwd", "/%00", "/index.html%00.txt",
	}
	for _, a := range attempts {
		status, body := get(t, srv.URL+a)
		if strings.Contains(body, secret) || strings.Contains(body, "root:") {
			t.Errorf("GET %s leaked a file outside the folder (status %d)", a, status)
		}
		if status == http.StatusOK && a != "/assets/" {
			t.Errorf("GET %s = 200, want it refused", a)
		}
		if a == "/assets/" && status == http.StatusOK {
			t.Errorf("GET /assets/ listed a folder")
		}
	}
}

func TestHealthzReportsFailure(t *testing.T) {
	s := &Server{Output: t.TempDir(), Health: func() error { return errors.New("the last nightly run failed") }}
	srv := httptest.NewServer(s.Handler())
	defer srv.Close()
	status, body := get(t, srv.URL+"/healthz")
	if status != http.StatusServiceUnavailable || !strings.Contains(body, "nightly run failed") {
		t.Errorf("healthz = %d %q", status, body)
	}
}

// A new build replaces the served site at once; the earlier stays in the archive.
func TestPublishSwitchesAtomically(t *testing.T) {
	srv, output := servedOutput(t)
	if _, err := Publish(output, "2024Q4", func(dir string) error {
		return os.WriteFile(filepath.Join(dir, "index.html"), []byte("<h1>site 2024Q4</h1>"), 0o644)
	}); err != nil {
		t.Fatal(err)
	}
	if _, body := get(t, srv.URL+"/"); !strings.Contains(body, "2024Q4") {
		t.Errorf("current = %q, want the 2024Q4 site", body)
	}
	if _, body := get(t, srv.URL+"/archive/"); !strings.Contains(body, "2024Q3-") || !strings.Contains(body, "2024Q4-") {
		t.Errorf("archive = %q, want both builds", body)
	}
	// A build that fails leaves the served site as it was and nothing half-built.
	if _, err := Publish(output, "2025Q1", func(dir string) error {
		os.WriteFile(filepath.Join(dir, "index.html"), []byte("half"), 0o644)
		return errors.New("disk full")
	}); err == nil {
		t.Fatal("a failed build published")
	}
	if _, body := get(t, srv.URL+"/"); !strings.Contains(body, "2024Q4") {
		t.Errorf("after a failed build, current = %q", body)
	}
	entries, _ := os.ReadDir(filepath.Join(output, sitesDir))
	for _, e := range entries {
		if strings.HasPrefix(e.Name(), ".building") || strings.HasPrefix(e.Name(), "2025Q1") {
			t.Errorf("a failed build left %s", e.Name())
		}
	}
}

// A symbolic link at any level of the published tree serves nothing, whether it
// points to a file or a folder, inside the tree or out of it. current is the one
// link followed, and only to a build in sites/.
func TestSymlinksServeNothing(t *testing.T) {
	srv, output := servedOutput(t)
	sites := filepath.Join(output, sitesDir)
	entries, _ := os.ReadDir(sites)
	site := entries[0].Name()
	dir := filepath.Join(sites, site)
	base := filepath.Dir(output)
	os.WriteFile(filepath.Join(base, "utilscore.yaml"), []byte(secret), 0o644)
	links := map[string]string{ // link → target
		filepath.Join(sites, "to-site"):            site,         // a folder inside sites/
		filepath.Join(sites, "to-service"):         base,         // the service's folder
		filepath.Join(sites, "to-etc"):             "/etc",       // a system folder
		filepath.Join(dir, "to-file"):              "index.html", // a file in the same build
		filepath.Join(dir, "to-folder"):            "assets",     // a folder in the same build
		filepath.Join(dir, "assets", "to-file.js"): "echarts.min.js",
		filepath.Join(dir, "assets", "to-up"):      "..",
		filepath.Join(dir, "assets", "passwd"):     "/etc/passwd",
	}
	for link, target := range links {
		if err := os.Symlink(target, link); err != nil {
			t.Fatal(err)
		}
	}
	// A folder whose index.html is a link.
	os.MkdirAll(filepath.Join(dir, "sub"), 0o755)
	os.Symlink("../index.html", filepath.Join(dir, "sub", "index.html"))

	refused := []string{
		"/archive/to-site/index.html", "/archive/to-site/", "/archive/to-service/secret.txt", "/archive/to-service/utilscore.yaml",
		"/archive/to-service/out/current/index.html", "/archive/to-etc/passwd", "/archive/to-etc/",
		"/to-file", "/to-folder/", "/to-folder/echarts.min.js", "/assets/to-file.js", "/assets/to-up/index.html", "/assets/passwd",
		"/sub/", "/sub/index.html",
		"/archive/" + site + "/to-file", "/archive/" + site + "/to-folder/echarts.min.js", "/archive/" + site + "/assets/to-up/",
		"/archive/" + site + "/assets/passwd", "/archive/" + site + "/sub/",
	}
	for _, p := range refused {
		status, body := get(t, srv.URL+p)
		if status != http.StatusNotFound || strings.Contains(body, secret) || strings.Contains(body, "root:") || strings.Contains(body, "site 2024Q3") {
			t.Errorf("GET %s = %d %.60q, want 404", p, status, body)
		}
	}
	// The real files beside the links are still served.
	for _, p := range []string{"/", "/assets/echarts.min.js", "/archive/" + site + "/", "/archive/" + site + "/assets/echarts.min.js"} {
		if status, _ := get(t, srv.URL+p); status != http.StatusOK {
			t.Errorf("GET %s = %d, want 200", p, status)
		}
	}
	if status, body := get(t, srv.URL+"/archive/"); status != http.StatusOK || strings.Contains(body, "to-") {
		t.Errorf("the archive lists links: %d %q", status, body)
	}

	// current pointing anywhere but a build in sites/ serves nothing.
	current := filepath.Join(output, currentDir)
	for _, target := range []string{base, "/etc", "..", filepath.Join(sitesDir, "to-site"), filepath.Join(sitesDir, "to-service"), filepath.Join(dir, "..", site)} {
		os.Remove(current)
		if err := os.Symlink(target, current); err != nil {
			t.Fatal(err)
		}
		for _, p := range []string{"/", "/index.html", "/secret.txt", "/utilscore.yaml", "/passwd"} {
			if status, body := get(t, srv.URL+p); status != http.StatusNotFound || strings.Contains(body, secret) {
				t.Errorf("current → %s: GET %s = %d %.60q, want 404", target, p, status, body)
			}
		}
	}
}

// Before the first publication, / says so in Chinese; other paths are not found.
func TestIndexBeforeFirstPublication(t *testing.T) {
	srv := httptest.NewServer((&Server{Output: t.TempDir()}).Handler())
	defer srv.Close()
	for _, p := range []string{"/", "/index.html"} {
		status, body := get(t, srv.URL+p)
		if status != http.StatusOK || !strings.Contains(body, "尚无发布") {
			t.Errorf("GET %s = %d %q", p, status, body)
		}
	}
	if status, _ := get(t, srv.URL+"/public/index.html"); status != http.StatusNotFound {
		t.Errorf("GET /public/index.html before any publication = %d, want 404", status)
	}
}
