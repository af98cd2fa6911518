package dashboards

import (
	"context"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/input"
	"github.com/chromedp/cdproto/log"
	"github.com/chromedp/cdproto/network"
	cdppage "github.com/chromedp/cdproto/page"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"

	"github.com/utilscore/utilscore/reports"
)

// chromiumPath finds the browser: UTILSCORE_CHROMIUM, else Debian's chromium.
func chromiumPath() string {
	if p := os.Getenv("UTILSCORE_CHROMIUM"); p != "" {
		return p
	}
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	return ""
}

// watchViolations runs before any script of a page (and outside its policy): it
// records every Content-Security-Policy violation in window.__violations.
const watchViolations = `window.__violations = [];
document.addEventListener('securitypolicyviolation', function (e) {
  window.__violations.push(e.effectiveDirective + ' ' + e.blockedURI);
});`

// chartsRendered counts the charts whose canvas holds a drawn pixel, of all charts.
const chartsRendered = `(function () {
  var all = Array.from(document.querySelectorAll('[_echarts_instance_]'));
  var drawn = all.filter(function (el) {
    var c = el.querySelector('canvas');
    if (!c || c.width === 0 || c.height === 0) return false;
    var data = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
    for (var i = 3; i < data.length; i += 4) { if (data[i] !== 0) return true; }
    return false;
  });
  return [drawn.length, all.length];
})()`

// browser is a headless Chromium that collects what went wrong on the pages it opens:
// exceptions, console errors, log errors (a blocked script or style included) and
// requests for anything outside the site.
type browser struct {
	ctx      context.Context
	mu       sync.Mutex
	problems []string
}

// needChromium returns the browser's path, or skips the test where none is installed
// (it fails in CI).
func needChromium(t *testing.T) string {
	t.Helper()
	path := chromiumPath()
	if path == "" {
		if os.Getenv("CI") != "" {
			t.Fatal("chromium is not installed; .ci/run installs it (apt-get install -y chromium)")
		}
		t.Skip("chromium is not installed (apt-get install -y chromium): the browser test did not run")
	}
	return path
}

// openBrowser starts Chromium. The pages may request only URLs under the sites' addresses.
func openBrowser(t *testing.T, path string, sites ...string) *browser {
	t.Helper()
	// Chromium's profile is removed after it exits, best effort: its helpers may still
	// be writing when the test's own folders are cleaned up.
	profile, err := os.MkdirTemp("", "utilscore-chromium-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(profile) })
	allocOpts := append(chromedp.DefaultExecAllocatorOptions[:], chromedp.ExecPath(path),
		chromedp.NoSandbox, chromedp.DisableGPU, chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-background-networking", true), chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true), chromedp.Flag("no-first-run", true),
		chromedp.WindowSize(1280, 900), chromedp.UserDataDir(profile))
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), allocOpts...)
	t.Cleanup(cancelAlloc)
	ctx, cancel := chromedp.NewContext(allocCtx)
	t.Cleanup(cancel)
	ctx, cancelTimeout := context.WithTimeout(ctx, 5*time.Minute) // a hung browser, on a loaded machine
	t.Cleanup(cancelTimeout)

	b := &browser{ctx: ctx}
	chromedp.ListenTarget(ctx, func(ev any) {
		b.mu.Lock()
		defer b.mu.Unlock()
		switch e := ev.(type) {
		case *runtime.EventExceptionThrown:
			b.problems = append(b.problems, "JavaScript exception: "+e.ExceptionDetails.Error())
		case *runtime.EventConsoleAPICalled:
			if e.Type == runtime.APITypeError {
				var args []string
				for _, a := range e.Args {
					args = append(args, string(a.Value))
				}
				b.problems = append(b.problems, "console error: "+strings.Join(args, " "))
			}
		case *log.EventEntryAdded:
			if e.Entry.Level == log.LevelError {
				b.problems = append(b.problems, "console error: "+e.Entry.Text)
			}
		case *network.EventRequestWillBeSent:
			inside := strings.HasPrefix(e.Request.URL, "data:")
			for _, site := range sites {
				inside = inside || strings.HasPrefix(e.Request.URL, site)
			}
			if !inside {
				b.problems = append(b.problems, "request outside the site: "+e.Request.URL)
			}
		}
	})
	err = chromedp.Run(ctx, network.Enable(), runtime.Enable(), log.Enable(),
		chromedp.ActionFunc(func(ctx context.Context) error {
			_, err := cdppage.AddScriptToEvaluateOnNewDocument(watchViolations).Do(ctx)
			return err
		}))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// takeProblems returns what went wrong since the last call.
func (b *browser) takeProblems() []string {
	b.mu.Lock()
	defer b.mu.Unlock()
	p := b.problems
	b.problems = nil
	return p
}

// open loads a page and lets ECharts draw.
func (b *browser) open(t *testing.T, url string, actions ...chromedp.Action) {
	t.Helper()
	all := append([]chromedp.Action{chromedp.Navigate(url), chromedp.WaitReady("body"),
		chromedp.Sleep(300 * time.Millisecond)}, actions...) // ECharts draws on the next frames
	if err := chromedp.Run(b.ctx, all...); err != nil {
		t.Fatalf("%s: %v", url, err)
	}
}

// TestSiteInBrowser opens every page of a generated site from disk in headless
// Chromium and fails on a JavaScript exception, a console error, a policy violation,
// a request for anything outside the folder, or a chart whose canvas did not render.
// It saves a screenshot of the index page in testdata/artifacts.
func TestSiteInBrowser(t *testing.T) {
	chromium := needChromium(t)
	dir := t.TempDir()
	pages := writeTestSite(t, dir)
	b := openBrowser(t, chromium, "file://"+dir+"/")
	for _, page := range pages {
		var rendered []int
		var violations []string
		b.open(t, "file://"+page, chromedp.Evaluate(chartsRendered, &rendered), chromedp.Evaluate(`window.__violations`, &violations))
		if rendered[1] == 0 || rendered[0] != rendered[1] {
			t.Errorf("%s: %d of %d charts drew on their canvas", filepath.Base(page), rendered[0], rendered[1])
		}
		for _, v := range violations {
			t.Errorf("%s: the page's policy refused %s", filepath.Base(page), v)
		}
	}
	// On a phone the page itself never scrolls sideways; wide tables scroll in their box.
	for _, page := range pages {
		var overflow bool
		if err := chromedp.Run(b.ctx, chromedp.EmulateViewport(390, 844, chromedp.EmulateMobile)); err != nil {
			t.Fatal(err)
		}
		b.open(t, "file://"+page, chromedp.Evaluate(`document.documentElement.scrollWidth > window.innerWidth + 1`, &overflow))
		if overflow {
			t.Errorf("%s is wider than a phone's screen", filepath.Base(page))
		}
	}
	if err := chromedp.Run(b.ctx, chromedp.EmulateViewport(1280, 900)); err != nil {
		t.Fatal(err)
	}
	var shot []byte
	b.open(t, "file://"+pages[0], chromedp.FullScreenshot(&shot, 100)) // 100: PNG
	os.MkdirAll(filepath.Join("testdata", "artifacts"), 0o755)
	if err := os.WriteFile(filepath.Join("testdata", "artifacts", "index.png"), shot, 0o644); err != nil {
		t.Fatal(err)
	}
	for _, p := range b.takeProblems() {
		t.Error(p)
	}
}

// TestHostileNamesDoNotRun opens sites whose every name field holds a script payload
// (hostileNames), from disk and from a static server sending the policy as a header,
// and checks in Chromium that none ran, nothing was refused or logged as an error, the
// charts drew with the names as their labels, a tooltip shows them as text, and the
// policy is in force.
func TestHostileNamesDoNotRun(t *testing.T) {
	dir := t.TempDir()
	server := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Security-Policy", ContentSecurityPolicy)
		http.FileServer(http.Dir(dir)).ServeHTTP(w, r)
	}))
	defer server.Close()
	chromium := needChromium(t)
	d := testData(t)
	hostile := makeHostile(d)
	sites := map[string][]string{}
	audiences := []string{reports.Regulator, reports.Public}
	for _, audience := range audiences {
		sub := filepath.Join(dir, audience)
		if err := os.Mkdir(sub, 0o755); err != nil {
			t.Fatal(err)
		}
		sites[audience] = writeHostileSite(t, sub, audience, d)
	}
	b := openBrowser(t, chromium, "file://"+dir+"/", server.URL+"/")
	for _, audience := range audiences {
		for _, path := range sites[audience] {
			for _, url := range []string{"file://" + path, server.URL + "/" + audience + "/" + filepath.Base(path)} {
				var pwned bool
				var rendered []int
				var violations []string
				var policy string
				b.open(t, url, chromedp.Evaluate(`window.__pwned !== undefined`, &pwned),
					chromedp.Evaluate(chartsRendered, &rendered), chromedp.Evaluate(`window.__violations`, &violations),
					chromedp.Evaluate(`document.querySelector('meta[http-equiv="Content-Security-Policy"]').content`, &policy))
				if pwned {
					t.Errorf("%s: a payload ran", url)
				}
				if (rendered[1] == 0 && !(audience == reports.Public && filepath.Base(path) == "index.html")) || rendered[0] != rendered[1] {
					t.Errorf("%s: %d of %d charts drew on their canvas", url, rendered[0], rendered[1])
				}
				for _, v := range violations {
					t.Errorf("%s: the page's policy refused %s", url, v)
				}
				if policy != ContentSecurityPolicy {
					t.Errorf("%s: policy %q, want %q", url, policy, ContentSecurityPolicy)
				}
			}
		}
	}

	// The names arrive whole: in the chart's labels, in the page's text, in a tooltip.
	var labels []string
	var text string
	var box []float64
	b.open(t, "file://"+filepath.Join(dir, reports.Public, "power.html"),
		chromedp.Evaluate(`echarts.getInstanceByDom(document.getElementById('power_service')).getOption().xAxis[0].data`, &labels),
		chromedp.Evaluate(`document.body.textContent`, &text),
		chromedp.Evaluate(`(function () { var r = document.getElementById('power_service').getBoundingClientRect();
			window.scrollTo(0, r.top + window.scrollY - 100); r = document.getElementById('power_service').getBoundingClientRect();
			return [r.left, r.top, r.width, r.height]; })()`, &box))
	for _, want := range hostile.Districts {
		if !slices.Contains(labels, want) {
			t.Errorf("power.html: the service chart's labels %q lack %q", labels, want)
		}
	}
	if !strings.Contains(text, hostile.Profile.ID) {
		t.Errorf("power.html does not show the profile id %q as text", hostile.Profile.ID)
	}
	var tooltip string
	var pwned bool
	err := chromedp.Run(b.ctx,
		chromedp.MouseEvent(input.MouseMoved, box[0]+box[2]*0.6, box[1]+box[3]*0.5),
		chromedp.Sleep(400*time.Millisecond),
		chromedp.Evaluate(`document.getElementById('power_service').textContent`, &tooltip),
		chromedp.Evaluate(`window.__pwned !== undefined`, &pwned))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(tooltip, "window.__pwned=1") || pwned {
		t.Errorf("power.html: the tooltip shows %q (a payload ran: %v), want a district's name as text", tooltip, pwned)
	}

	// The workbook links point at the files, whatever their names hold.
	var links []string
	b.open(t, "file://"+filepath.Join(dir, reports.Regulator, "index.html"), chromedp.Evaluate(`Array.from(document.querySelectorAll('main a')).map(function (a) {
		return a.protocol + ' ' + decodeURIComponent(a.pathname.split('/').pop() + a.hash + a.search) + ' ' + a.textContent; })`, &links))
	for _, w := range hostileWorkbooks {
		if !slices.Contains(links, "file: "+w+" "+w) {
			t.Errorf("index.html links %q, want the workbook %q", links, w)
		}
	}
	for _, p := range b.takeProblems() {
		t.Error(p)
	}

	// The policy is in force, from disk and from the server: an inline script added
	// now does not run.
	for _, url := range []string{"file://" + filepath.Join(dir, reports.Public, "index.html"), server.URL + "/public/index.html"} {
		var inline bool
		var violations []string
		b.open(t, url, chromedp.Evaluate(`(function () {
			var s = document.createElement('script'); s.textContent = 'window.__inline = 1';
			document.body.appendChild(s); return window.__inline === 1; })()`, &inline),
			chromedp.Sleep(100*time.Millisecond), chromedp.Evaluate(`window.__violations`, &violations))
		// One refusal per policy: the meta tag's, and the server's header.
		refused := len(violations) > 0
		for _, v := range violations {
			refused = refused && v == "script-src-elem inline"
		}
		if inline || !refused {
			t.Errorf("%s: an inline script ran: %v, violations %q; the policy is not in force", url, inline, violations)
		}
	}
}
