package dashboards

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
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

// TestSiteInBrowser opens every page of a generated site from disk in headless
// Chromium and fails on a JavaScript exception, a console error, a request for
// anything outside the folder, or a chart whose canvas did not render. It saves a
// screenshot of the index page in testdata/artifacts.
func TestSiteInBrowser(t *testing.T) {
	browser := chromiumPath()
	if browser == "" {
		if os.Getenv("CI") != "" {
			t.Fatal("chromium is not installed; .ci/run installs it (apt-get install -y chromium)")
		}
		t.Skip("chromium is not installed (apt-get install -y chromium): the browser test did not run")
	}
	dir := t.TempDir()
	pages := writeTestSite(t, dir)

	allocOpts := append(chromedp.DefaultExecAllocatorOptions[:], chromedp.ExecPath(browser),
		chromedp.NoSandbox, chromedp.DisableGPU, chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-background-networking", true), chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true), chromedp.Flag("no-first-run", true),
		chromedp.WindowSize(1280, 900), chromedp.UserDataDir(t.TempDir()))
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), allocOpts...)
	defer cancelAlloc()
	ctx, cancel := chromedp.NewContext(allocCtx)
	defer cancel()
	ctx, cancelTimeout := context.WithTimeout(ctx, 2*time.Minute)
	defer cancelTimeout()

	var mu sync.Mutex
	var problems []string
	folder := "file://" + dir + "/"
	chromedp.ListenTarget(ctx, func(ev any) {
		mu.Lock()
		defer mu.Unlock()
		switch e := ev.(type) {
		case *runtime.EventExceptionThrown:
			problems = append(problems, "JavaScript exception: "+e.ExceptionDetails.Error())
		case *runtime.EventConsoleAPICalled:
			if e.Type == runtime.APITypeError {
				var args []string
				for _, a := range e.Args {
					args = append(args, string(a.Value))
				}
				problems = append(problems, "console error: "+strings.Join(args, " "))
			}
		case *network.EventRequestWillBeSent:
			if !strings.HasPrefix(e.Request.URL, folder) && !strings.HasPrefix(e.Request.URL, "data:") {
				problems = append(problems, "request outside the folder: "+e.Request.URL)
			}
		}
	})
	if err := chromedp.Run(ctx, network.Enable(), runtime.Enable()); err != nil {
		t.Fatal(err)
	}
	for _, page := range pages {
		var rendered, charts int
		err := chromedp.Run(ctx,
			chromedp.Navigate("file://"+page),
			chromedp.WaitReady("body"),
			chromedp.Sleep(300*time.Millisecond), // ECharts draws on the next frames
			chromedp.Evaluate(`document.querySelectorAll('[_echarts_instance_]').length`, &charts),
			chromedp.Evaluate(`Array.from(document.querySelectorAll('[_echarts_instance_]')).filter(function (el) {
				var c = el.querySelector('canvas');
				if (!c || c.width === 0 || c.height === 0) return false;
				var data = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
				for (var i = 3; i < data.length; i += 4) { if (data[i] !== 0) return true; }
				return false;
			}).length`, &rendered),
		)
		if err != nil {
			t.Fatalf("%s: %v", filepath.Base(page), err)
		}
		if charts == 0 || rendered != charts {
			t.Errorf("%s: %d of %d charts drew on their canvas", filepath.Base(page), rendered, charts)
		}
	}
	// On a phone the page itself never scrolls sideways; wide tables scroll in their box.
	for _, page := range pages {
		var overflow bool
		err := chromedp.Run(ctx, chromedp.EmulateViewport(390, 844, chromedp.EmulateMobile),
			chromedp.Navigate("file://"+page), chromedp.WaitReady("body"), chromedp.Sleep(200*time.Millisecond),
			chromedp.Evaluate(`document.documentElement.scrollWidth > window.innerWidth + 1`, &overflow))
		if err != nil {
			t.Fatalf("%s on a phone: %v", filepath.Base(page), err)
		}
		if overflow {
			t.Errorf("%s is wider than a phone's screen", filepath.Base(page))
		}
	}
	if err := chromedp.Run(ctx, chromedp.EmulateViewport(1280, 900)); err != nil {
		t.Fatal(err)
	}
	var shot []byte
	if err := chromedp.Run(ctx, chromedp.Navigate("file://"+pages[0]), chromedp.WaitReady("body"),
		chromedp.Sleep(300*time.Millisecond), chromedp.FullScreenshot(&shot, 100)); err != nil { // 100: PNG
		t.Fatal(err)
	}
	os.MkdirAll(filepath.Join("testdata", "artifacts"), 0o755)
	if err := os.WriteFile(filepath.Join("testdata", "artifacts", "index.png"), shot, 0o644); err != nil {
		t.Fatal(err)
	}
	mu.Lock()
	defer mu.Unlock()
	for _, p := range problems {
		t.Error(p)
	}
}
