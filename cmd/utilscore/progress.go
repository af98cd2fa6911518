package main

import (
	"fmt"
	"io"
	"os"
	"sync"
	"time"

	"github.com/schollz/progressbar/v3"
	"golang.org/x/term"
)

// progress shows a bar on a terminal and plain log lines elsewhere (a log file, CI).
// While DuckDB works on a step there is nothing to count, so the bar becomes a spinner
// that a ticker keeps turning.
type progress struct {
	w        io.Writer
	terminal bool

	mu       sync.Mutex
	bar      *progressbar.ProgressBar
	file     string
	lastStep string
	stop     chan struct{}
}

func newProgress(w io.Writer) *progress {
	f, ok := w.(*os.File)
	return &progress{w: w, terminal: ok && term.IsTerminal(int(f.Fd()))}
}

// step is called by the loader as a file moves through its steps.
func (p *progress) step(file, step string, done, total int64) {
	p.mu.Lock()
	defer p.mu.Unlock()
	changed := file != p.file || step != p.lastStep
	p.file, p.lastStep = file, step
	if !p.terminal {
		if changed {
			fmt.Fprintf(p.w, "%s %s: %s\n", time.Now().Format("15:04:05"), file, step)
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
			progressbar.OptionSetDescription(file+": "+step),
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

func (p *progress) spin(bar *progressbar.ProgressBar, stop chan struct{}) {
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

func (p *progress) finishLocked() {
	if p.stop != nil {
		close(p.stop)
		p.stop = nil
	}
	if p.bar != nil {
		p.bar.Finish()
		p.bar = nil
	}
}

// done clears the bar before the report is printed.
func (p *progress) done() {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.finishLocked()
}
