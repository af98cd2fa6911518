package pace

import (
	"context"
	"database/sql"
	"math"
	"time"

	"github.com/utilscore/utilscore/policy"
)

// Trial is one projection of a backtest: a target's line projected at the end of a
// quarter of a finished year, beside the year's actual figure and last year's.
type Trial struct {
	TargetID, AreaType string
	Kind               Kind
	Observed           int
	Projected          *float64
	// Standing is the simpler projection for shares and averages that the blend has to
	// beat: the year so far taken as the year.
	Standing  *float64
	Low, High *float64
	Actual    *float64
	LastYear  *float64 // the naive forecast: the year comes in as last year did
	Verdict   string   // made at the quarter's end
	Met       bool     // the year, at its end, met the target
}

// Backtest projects every year target of prof at the end of the first three quarters
// of a finished year and sets each projection beside the year's actual figure.
func Backtest(ctx context.Context, db *sql.DB, prof *policy.Profile, year int, loc *time.Location) ([]Trial, error) {
	final, err := Gather(ctx, db, prof, year, time.Date(year, 12, 31, 0, 0, 0, 0, loc))
	if err != nil {
		return nil, err
	}
	actual := map[[2]string]Line{}
	for _, l := range final.Lines {
		actual[[2]string{l.TargetID, l.AreaType}] = l
	}
	var out []Trial
	for _, month := range []int{3, 6, 9} {
		r, err := Gather(ctx, db, prof, year, time.Date(year, time.Month(month)+1, 0, 0, 0, 0, 0, loc))
		if err != nil {
			return nil, err
		}
		for _, l := range r.Lines {
			a := actual[[2]string{l.TargetID, l.AreaType}]
			t := Trial{TargetID: l.TargetID, AreaType: l.AreaType, Kind: l.Rule.Kind, Observed: month, Projected: l.Point,
				Low: l.Low, High: l.High, Actual: a.Series.YTD, LastYear: l.Series.LastTotal, Verdict: l.Verdict,
				Met: a.Verdict == OnPace}
			t.Standing = t.Projected
			if l.Rule.Kind != Additive && l.Point != nil {
				t.Standing = l.Series.YTD
			}
			out = append(out, t)
		}
	}
	return out, nil
}

// Score sums up a backtest for one kind of figure and one quarter's end (0: every
// quarter): the mean absolute error of the projections, of the year so far standing
// and of last year's figure over the trials that have all three, the share of actual
// figures inside the band, and the share of verdicts that the year bore out (按进度 for
// a year that met its target, 有风险 or 已未达标 for one that did not).
type Score struct {
	Trials          int
	ProjectionMAE   float64
	StandingMAE     float64
	LastYearMAE     float64
	InBand          float64
	VerdictsRight   float64
	VerdictsJudged  int
	ProjectionWorse bool
}

// Summarise scores the trials of a kind and a quarter's end (observed 0: all).
func Summarise(trials []Trial, kind Kind, observed int) Score {
	var s Score
	var inBand, right int
	for _, t := range trials {
		if t.Kind != kind || observed != 0 && t.Observed != observed {
			continue
		}
		if t.Verdict != NoProjection && t.Actual != nil {
			s.VerdictsJudged++
			if (t.Verdict == OnPace) == t.Met {
				right++
			}
		}
		if t.Projected == nil || t.Actual == nil || t.LastYear == nil {
			continue
		}
		s.Trials++
		s.ProjectionMAE += math.Abs(*t.Projected - *t.Actual)
		if t.Standing != nil {
			s.StandingMAE += math.Abs(*t.Standing - *t.Actual)
		}
		s.LastYearMAE += math.Abs(*t.LastYear - *t.Actual)
		if *t.Low-tolerance <= *t.Actual && *t.Actual <= *t.High+tolerance {
			inBand++
		}
	}
	if s.Trials > 0 {
		n := float64(s.Trials)
		s.ProjectionMAE /= n
		s.LastYearMAE /= n
		s.StandingMAE /= n
		s.InBand = float64(inBand) / n
		s.ProjectionWorse = s.ProjectionMAE > s.LastYearMAE+tolerance
	}
	if s.VerdictsJudged > 0 {
		s.VerdictsRight = float64(right) / float64(s.VerdictsJudged)
	}
	return s
}
