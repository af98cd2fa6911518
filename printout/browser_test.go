package printout

import (
	"bytes"
	"context"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"

	"github.com/utilscore/utilscore/reports"
)

// needTool returns a program's path, or skips the test where it is missing (it fails
// in CI, which installs it), as the dashboards' browser test does.
func needTool(t *testing.T, find func() (string, error), install string) string {
	t.Helper()
	path, err := find()
	if err != nil {
		if os.Getenv("CI") != "" {
			t.Fatalf("%v; .ci/run installs it (%s)", err, install)
		}
		t.Skipf("%v (%s): the browser test did not run", err, install)
	}
	return path
}

func needChromium(t *testing.T) string {
	needTool(t, func() (string, error) { return "", CheckChineseFont() }, "apt-get install -y fonts-noto-cjk")
	return needTool(t, FindChromium, "apt-get install -y chromium")
}

func needPoppler(t *testing.T) string {
	return needTool(t, func() (string, error) { return exec.LookPath("pdftotext") }, "apt-get install -y poppler-utils")
}

// The page area of print.css's @page rule in CSS pixels (96 per inch): A4 less the
// margins, 182 × 263 mm.
const (
	pageAreaWidth  = 182 / 25.4 * 96
	pageAreaHeight = 263 / 25.4 * 96
)

// span is a section's measured height laid out for print at the page's width, and
// the tallest block it may not split (a figure; a heading kept with its table's
// header and first row): a page holds at least a page's height less that.
type span struct {
	ID      string  `json:"id"`
	Heading string  `json:"heading"` // its h2, which starts its first page
	Height  float64 `json:"height"`
	Keep    float64 `json:"keep"`
}

const measureSections = `(function () {
  function h(el) { return el ? el.getBoundingClientRect().height : 0; }
  function tallest(root, sel) { var m = 0; root.querySelectorAll(sel).forEach(function (e) { m = Math.max(m, h(e)); }); return m; }
  var groups = [[document.querySelector('header.cover'), document.getElementById('headline')]];
  document.querySelectorAll('section.part').forEach(function (s) { groups.push([s]); });
  return groups.map(function (g) {
    var last = g[g.length - 1];
    var top = g[0].getBoundingClientRect().top, bottom = last.getBoundingClientRect().bottom;
    var head = tallest(last, 'h3') + tallest(last, '.summary') + tallest(last, 'thead');
    var keep = Math.max(tallest(last, 'figure'), head + tallest(last, 'tbody tr'), tallest(last, 'li')) + tallest(last, 'thead');
    return {id: last.id, heading: last.querySelector('h2').textContent, height: bottom - top, keep: keep};
  });
})()`

// pageRange is how many pages a section's content implies: at least its height over
// a page's, at most its height over what a page holds when every page loses the
// tallest block it may not split. slack covers the margins of the section's heading.
func (s span) pageRange() (int, int) {
	const slack = 24
	lo := int(math.Ceil((s.Height - slack) / pageAreaHeight))
	hi := int(math.Ceil((s.Height + slack) / (pageAreaHeight - s.Keep)))
	return max(lo, 1), max(hi, 1)
}

var pageObject = regexp.MustCompile(`/Type\s*/Page[^s]`)

// TestPDFInBrowser prints the regulator's and the public report with headless
// Chromium: no console error, no request outside the folder (PDF fails on either),
// and as many pages as the content implies, section by section: each section starts
// a page, spans the pages its measured height needs, every page carries its number
// and none is blank. It also checks that the page does not scroll sideways on a
// phone, and saves the screenshots and the first pages in testdata/artifacts.
func TestPDFInBrowser(t *testing.T) {
	chromium := needChromium(t)
	pdftotext := needPoppler(t)
	dir := t.TempDir()
	var pages []string
	for _, e := range []edition{{reports.Regulator, ""}, {reports.Public, ""}} {
		path, err := Write(dir, e.audience, e.utility, testData(t))
		if err != nil {
			t.Fatal(err)
		}
		pages = append(pages, path)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	pdfs, err := PDF(ctx, chromium, pages...)
	if err != nil {
		t.Fatal(err)
	}
	if len(pdfs) != len(pages) {
		t.Fatalf("%d PDFs for %d pages", len(pdfs), len(pages))
	}
	b := openBrowser(t, chromium)
	artifacts := filepath.Join("testdata", "artifacts")
	os.MkdirAll(artifacts, 0o755)
	for i, pdfPath := range pdfs {
		name := filepath.Base(pages[i])
		data, err := os.ReadFile(pdfPath)
		if err != nil {
			t.Fatal(err)
		}
		total := len(pageObject.FindAll(data, -1))
		if !bytes.HasPrefix(data, []byte("%PDF-")) || total == 0 {
			t.Fatalf("%s: not a PDF with pages", pdfPath)
		}
		var spans []span
		err = chromedp.Run(b, emulation.SetEmulatedMedia().WithMedia("print"),
			chromedp.EmulateViewport(int64(math.Round(pageAreaWidth)), int64(math.Round(pageAreaHeight))),
			chromedp.Navigate("file://"+pages[i]), chromedp.WaitReady("body"), chromedp.Evaluate(measureSections, &spans))
		if err != nil {
			t.Fatal(err)
		}
		var sectionHeadings []string
		for _, s := range spans {
			sectionHeadings = append(sectionHeadings, s.Heading)
		}
		if len(spans) < 6 || sectionHeadings[0] != "一、主要指标" {
			t.Fatalf("%s: sections %q, want the headline figures first and six at least", name, sectionHeadings)
		}
		// Where each section starts, from the PDF's text page by page.
		starts := make([]int, len(sectionHeadings))
		for p := 1; p <= total; p++ {
			out, err := exec.Command(pdftotext, "-f", strconv.Itoa(p), "-l", strconv.Itoa(p), pdfPath, "-").Output()
			if err != nil {
				t.Fatalf("pdftotext %s page %d: %v", pdfPath, p, err)
			}
			text := string(out)
			footer := "第 " + strconv.Itoa(p) + " 页，共 " + strconv.Itoa(total) + " 页"
			if !strings.Contains(text, footer) {
				t.Errorf("%s page %d lacks its number %q", name, p, footer)
			}
			body := strings.Join(strings.Fields(strings.NewReplacer(footer, "", "水电气网营商环境指标报告", "").Replace(text)), "")
			if len([]rune(body)) < 10 {
				t.Errorf("%s page %d is blank: %q", name, p, text)
			}
			for k, h := range sectionHeadings {
				if strings.Contains(text, h) && starts[k] == 0 {
					starts[k] = p
				}
			}
		}
		if starts[0] != 1 {
			t.Errorf("%s: the headline figures start on page %d, want 1", name, starts[0])
		}
		sum := [2]int{}
		for k, s := range spans {
			next := total + 1
			if k+1 < len(starts) {
				next = starts[k+1]
			}
			lo, hi := s.pageRange()
			sum[0], sum[1] = sum[0]+lo, sum[1]+hi
			if starts[k] == 0 || next <= starts[k] {
				t.Errorf("%s: section %s starts on page %d, the next on %d", name, sectionHeadings[k], starts[k], next)
				continue
			}
			if got := next - starts[k]; got < lo || got > hi {
				t.Errorf("%s: section %s takes %d pages; its %.0f px of content (unsplittable %.0f px) imply %d to %d",
					name, sectionHeadings[k], got, s.Height, s.Keep, lo, hi)
			}
		}
		t.Logf("%s: %d pages, the content implies %d to %d", name, total, sum[0], sum[1])
		png, err := exec.Command("pdftoppm", "-r", "50", "-png", "-f", "1", "-l", "3", pdfPath, filepath.Join(artifacts, strings.TrimSuffix(name, ".html"))).CombinedOutput()
		if err != nil {
			t.Logf("pdftoppm: %v %s", err, png)
		}
	}
	// On screen: desktop and phone; the page never scrolls sideways.
	if err := chromedp.Run(b, emulation.SetEmulatedMedia().WithMedia("screen")); err != nil {
		t.Fatal(err)
	}
	for _, width := range []int64{1280, 390} {
		for _, page := range pages {
			var overflow bool
			var shot []byte
			err := chromedp.Run(b, chromedp.EmulateViewport(width, 844, chromedp.EmulateMobile),
				chromedp.Navigate("file://"+page), chromedp.WaitReady("body"),
				chromedp.Evaluate(`document.documentElement.scrollWidth > window.innerWidth + 1`, &overflow),
				chromedp.FullScreenshot(&shot, 100))
			if err != nil {
				t.Fatal(err)
			}
			if overflow {
				t.Errorf("%s is wider than %d px", filepath.Base(page), width)
			}
			os.WriteFile(filepath.Join(artifacts, strings.TrimSuffix(filepath.Base(page), ".html")+"-"+strconv.FormatInt(width, 10)+".png"), shot, 0o644)
		}
	}
}

// openBrowser starts a headless Chromium for the measurements and screenshots.
func openBrowser(t *testing.T, chromium string) context.Context {
	t.Helper()
	profile := t.TempDir()
	opts := append(chromedp.DefaultExecAllocatorOptions[:], chromedp.ExecPath(chromium), chromedp.NoSandbox, chromedp.DisableGPU,
		chromedp.Flag("no-first-run", true), chromedp.UserDataDir(profile))
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	t.Cleanup(cancelAlloc)
	ctx, cancel := chromedp.NewContext(allocCtx)
	t.Cleanup(cancel)
	ctx, cancelTimeout := context.WithTimeout(ctx, 5*time.Minute)
	t.Cleanup(cancelTimeout)
	return ctx
}

// A page whose script the policy refuses, or that asks for a file outside its folder,
// is not printed: the PDF would not be what the page shows.
func TestPDFRefusesAFaultyPage(t *testing.T) {
	chromium := needChromium(t)
	dir := t.TempDir()
	tests := []struct{ name, head, body, want string }{
		{"inline.html", `<meta http-equiv="Content-Security-Policy" content="default-src 'none'">`, `<p>x</p><script>window.x = 1</script>`, "console error"},
		{"outside.html", "", `<p>x</p><img src="../elsewhere.png" alt="">`, "outside the report's folder"},
	}
	for _, tt := range tests {
		page := `<!DOCTYPE html><html><head><meta charset="utf-8">` + tt.head + `<title>t</title></head><body>` + tt.body + `</body></html>`
		path := filepath.Join(dir, tt.name)
		if err := os.WriteFile(path, []byte(page), 0o644); err != nil {
			t.Fatal(err)
		}
		_, err := PDF(context.Background(), chromium, path)
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: err = %v, want %q", tt.name, err, tt.want)
		}
		if _, statErr := os.Stat(strings.TrimSuffix(path, ".html") + ".pdf"); statErr == nil {
			t.Errorf("%s: a PDF was written", tt.name)
		}
	}
}
