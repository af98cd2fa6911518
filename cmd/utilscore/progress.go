package main

import (
	"io"

	steps "github.com/utilscore/utilscore/progress"
)

// progress is the commands' progress on errOut: a bar on a terminal, a line per step
// elsewhere.
type progress struct{ r *steps.Reporter }

func newProgress(w io.Writer) *progress { return &progress{steps.New(w)} }

// step has the signature of ingest.Options.Progress and reports.Data.Progress.
func (p *progress) step(item, step string, done, total int64) { p.r.Step(item, step, done, total) }

// done clears the bar before the command prints its results.
func (p *progress) done() { p.r.Done() }
