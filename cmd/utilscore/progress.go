package main

import (
	"fmt"
	"io"
	"os"
	"time"

	"github.com/schollz/progressbar/v3"
	"golang.org/x/term"
)

// progress shows a bar on a terminal and plain log lines elsewhere (a log file, CI).
type progress struct {
	w        io.Writer
	terminal bool
	bar      *progressbar.ProgressBar
	file     string
	lastStep string
}

func newProgress(w io.Writer) *progress {
	f, ok := w.(*os.File)
	return &progress{w: w, terminal: ok && term.IsTerminal(int(f.Fd()))}
}

// step is called by the loader as a file moves through its steps.
func (p *progress) step(file, step string, done, total int64) {
	if !p.terminal {
		if file != p.file || step != p.lastStep {
			fmt.Fprintf(p.w, "%s %s: %s\n", time.Now().Format("15:04:05"), file, step)
		}
		p.file, p.lastStep = file, step
		return
	}
	if file != p.file || step != p.lastStep || p.bar == nil {
		p.finishBar()
		max := int64(-1) // a spinner while DuckDB works
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
		p.file, p.lastStep = file, step
	}
	if total > 0 {
		p.bar.Set64(done)
	} else {
		p.bar.Add(1)
	}
}

func (p *progress) finishBar() {
	if p.bar != nil {
		p.bar.Finish()
		p.bar = nil
	}
}

func (p *progress) done() { p.finishBar() }
