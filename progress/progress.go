// Package progress tells people which step a long command or job is in: a bar on a
// terminal, a line per step elsewhere (a log file, CI, the service's log). The
// loader (ingest.Options.Progress) and the report writer (reports.Data.Progress)
// report through Step.
package progress

import (
	"fmt"
	"io"
	"log/slog"
	"os"
	"sync"
	"time"

	"github.com/schollz/progressbar/v3"
	"golang.org/x/term"
)

// Reporter shows the step under way. While DuckDB works on a step there is nothing to
// count, so a bar becomes a spinner that a ticker keeps turning.
type Reporter struct {
	w    io.Writer
	line func(item, step string) // off a terminal: says a step once, as it starts

	mu       sync.Mutex
	bar      *progressbar.ProgressBar
	item     string
	lastStep string
	stop     chan struct{}
}

// New shows a bar when w is a terminal and writes a timed line per step otherwise.
func New(w io.Writer) *Reporter {
	if f, ok := w.(*os.File); ok && term.IsTerminal(int(f.Fd())) {
		return &Reporter{w: w}
	}
	return &Reporter{line: func(item, step string) {
		fmt.Fprintf(w, "%s %s: %s\n", time.Now().Format("15:04:05"), item, step)
	}}
}

// Log logs each step as a record of log (msg "progress", item and step as
// attributes), for a process whose output is its log.
func Log(log *slog.Logger) *Reporter {
	return &Reporter{line: func(item, step string) { log.Info("progress", "item", item, "step", step) }}
}

// Step is told that item (a file, a workbook, a period) is in step; done and total
// count bytes where there is something to count, and are zero otherwise.
func (p *Reporter) Step(item, step string, done, total int64) {
	p.mu.Lock()
	defer p.mu.Unlock()
	changed := item != p.item || step != p.lastStep
	p.item, p.lastStep = item, step
	if p.line != nil {
		if changed {
			p.line(item, step)
		}
		return
	}
	if changed || p.bar == nil {
		p.finishLocked()
		max := int64(-1) // a spinner
		if total > 0 {
			max = total
		}
		p.bar = progressbar.NewOptions64(max,
			progressbar.OptionSetWriter(p.w),
			progressbar.OptionSetDescription(item+": "+step),
			progressbar.OptionShowBytes(total > 0),
			progressbar.OptionSetWidth(30),
			progressbar.OptionThrottle(100*time.Millisecond),
			progressbar.OptionClearOnFinish())
		if total <= 0 {
			p.stop = make(chan struct{})
			go p.spin(p.bar, p.stop)
		}
	}
	if total > 0 {
		p.bar.Set64(done)
	}
}

func (p *Reporter) spin(bar *progressbar.ProgressBar, stop chan struct{}) {
	t := time.NewTicker(150 * time.Millisecond)
	defer t.Stop()
	for {
		select {
		case <-stop:
			return
		case <-t.C:
			p.mu.Lock()
			bar.Add(1)
			p.mu.Unlock()
		}
	}
}

func (p *Reporter) finishLocked() {
	if p.stop != nil {
		close(p.stop)
		p.stop = nil
	}
	if p.bar != nil {
		p.bar.Finish()
		p.bar = nil
	}
}

// Done clears the bar before a report is printed; the next Step starts a new one,
// and a step reported again after Done is said again.
func (p *Reporter) Done() {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.finishLocked()
	p.item, p.lastStep = "", ""
}
