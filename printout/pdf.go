package printout

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/chromedp/cdproto/log"
	"github.com/chromedp/cdproto/network"
	cdppage "github.com/chromedp/cdproto/page"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"

	"github.com/utilscore/utilscore/outfile"
)

// ErrNoChromium: no browser to print with was found.
var ErrNoChromium = errors.New("no Chromium found to print the PDF with: install one (apt-get install chromium) or set UTILSCORE_CHROMIUM to its path; the HTML report prints from any browser")

// FindChromium finds the browser: UTILSCORE_CHROMIUM, else a Chromium or Chrome on
// the PATH.
func FindChromium() (string, error) {
	if p := os.Getenv("UTILSCORE_CHROMIUM"); p != "" {
		if _, err := os.Stat(p); err != nil {
			return "", fmt.Errorf("UTILSCORE_CHROMIUM=%s: %w", p, err)
		}
		return p, nil
	}
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome", "google-chrome-stable", "headless_shell"} {
		if p, err := exec.LookPath(name); err == nil {
			return p, nil
		}
	}
	return "", ErrNoChromium
}

// ErrNoChineseFont: fontconfig, through which Chromium finds its fonts on Linux, knows
// no font with Chinese glyphs, and every character of the report would print as a box.
var ErrNoChineseFont = errors.New("no font with Chinese glyphs is installed (fc-list :lang=zh lists none), so the PDF would print boxes: install one (apt-get install fonts-noto-cjk)")

// CheckChineseFont returns ErrNoChineseFont where fontconfig is present and knows no
// font with Chinese glyphs; where fontconfig is absent (macOS, Windows) the system's
// own fonts serve and nothing is checked.
func CheckChineseFont() error {
	fcList, err := exec.LookPath("fc-list")
	if err != nil {
		return nil
	}
	out, err := exec.Command(fcList, ":lang=zh", "family").Output()
	if err != nil {
		return fmt.Errorf("fc-list: %w", err)
	}
	if strings.TrimSpace(string(out)) == "" {
		return ErrNoChineseFont
	}
	return nil
}

// PDF prints each HTML report to a PDF beside it, with one headless Chromium, and
// returns the PDFs' paths. A page that throws, logs an error or asks for anything
// outside its folder fails: the PDF would not be the page the HTML shows.
func PDF(ctx context.Context, chromium string, pages ...string) ([]string, error) {
	profile, err := os.MkdirTemp("", "utilscore-print-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(profile)
	opts := append(chromedp.DefaultExecAllocatorOptions[:], chromedp.ExecPath(chromium), chromedp.DisableGPU,
		chromedp.Flag("disable-background-networking", true), chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true), chromedp.Flag("no-first-run", true), chromedp.UserDataDir(profile))
	if os.Geteuid() == 0 {
		// Chromium refuses to run as root inside its sandbox; the pages are our own files.
		opts = append(opts, chromedp.NoSandbox)
	}
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(ctx, opts...)
	defer cancelAlloc()
	bctx, cancel := chromedp.NewContext(allocCtx)
	defer cancel()
	bctx, cancelTimeout := context.WithTimeout(bctx, 5*time.Minute)
	defer cancelTimeout()

	var mu sync.Mutex
	var problems []string
	var folder string
	chromedp.ListenTarget(bctx, func(ev any) {
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
		case *log.EventEntryAdded:
			if e.Entry.Level == log.LevelError {
				problems = append(problems, "console error: "+e.Entry.Text)
			}
		case *network.EventRequestWillBeSent:
			if !strings.HasPrefix(e.Request.URL, "data:") && !strings.HasPrefix(e.Request.URL, folder) {
				problems = append(problems, "request outside the report's folder: "+e.Request.URL)
			}
		}
	})
	if err := chromedp.Run(bctx, network.Enable(), runtime.Enable(), log.Enable()); err != nil {
		return nil, fmt.Errorf("start %s: %w", chromium, err)
	}
	var out []string
	for _, htmlPath := range pages {
		abs, err := filepath.Abs(htmlPath)
		if err != nil {
			return out, err
		}
		u := (&url.URL{Scheme: "file", Path: abs}).String()
		mu.Lock()
		folder, problems = (&url.URL{Scheme: "file", Path: filepath.Dir(abs) + "/"}).String(), nil
		mu.Unlock()
		var pdf []byte
		err = chromedp.Run(bctx, chromedp.Navigate(u), chromedp.WaitReady("body"),
			chromedp.ActionFunc(func(ctx context.Context) error {
				var err error
				// The page's own @page rule sets A4 and the margins, with the page numbers in them.
				pdf, _, err = cdppage.PrintToPDF().WithPrintBackground(true).WithPreferCSSPageSize(true).
					WithGenerateDocumentOutline(true).WithGenerateTaggedPDF(true).Do(ctx)
				return err
			}))
		if err != nil {
			return out, fmt.Errorf("print %s: %w", filepath.Base(htmlPath), err)
		}
		mu.Lock()
		found := problems
		mu.Unlock()
		if len(found) > 0 {
			return out, fmt.Errorf("print %s: %s", filepath.Base(htmlPath), strings.Join(found, "; "))
		}
		path := strings.TrimSuffix(htmlPath, filepath.Ext(htmlPath)) + ".pdf"
		if err := outfile.Write(path, func(w io.Writer) error { _, err := w.Write(pdf); return err }); err != nil {
			return out, err
		}
		out = append(out, path)
	}
	return out, nil
}
