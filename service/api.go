package service

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"slices"
	"time"

	"github.com/utilscore/utilscore/metrics"
	"github.com/utilscore/utilscore/policy"
	"github.com/utilscore/utilscore/reports"
	"github.com/utilscore/utilscore/store"
)

// API answers the JSON routes from the service's database: what the read commands
// print, without a second process (DuckDB has one writer). /api/v1/periods is open to
// all (it names quarters and counts records); metrics and scorecard are internal,
// and a utility's user sees that utility's figures only. The public figures are the
// open data of the public build.
type API struct {
	DB       *store.DB
	Profile  string // the config's profile, the scorecard's default
	Location *time.Location
	Log      *slog.Logger
	busy     chan struct{} // computations at once: each scans the quarter
}

// maxComputations bounds the metric computations the API runs at once.
const maxComputations = 2

// NewAPI answers from db.
func NewAPI(db *store.DB, profile string, loc *time.Location, log *slog.Logger) *API {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &API{DB: db, Profile: profile, Location: loc, Log: log, busy: make(chan struct{}, maxComputations)}
}

type apiError struct {
	Error string `json:"error"`
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.Encode(v)
}

func apiErrorf(w http.ResponseWriter, status int, format string, a ...any) {
	writeJSON(w, status, apiError{fmt.Sprintf(format, a...)})
}

// PeriodInfo is one quarter that holds records.
type PeriodInfo struct {
	Period  string `json:"period"`
	Start   string `json:"start"`
	End     string `json:"end"` // the last day
	Records int64  `json:"records"`
}

func (a *API) periods(w http.ResponseWriter, r *http.Request) {
	quarters, err := a.DB.QuartersWithRecords(r.Context())
	if err != nil {
		apiErrorf(w, http.StatusInternalServerError, "periods: %v", err)
		return
	}
	out := []PeriodInfo{}
	for _, q := range quarters {
		p, err := metrics.ParsePeriod(fmt.Sprintf("%dQ%d", q.Year, q.Quarter), a.Location)
		if err != nil {
			continue // a year the periods do not cover
		}
		out = append(out, PeriodInfo{p.Label, p.Start.Format(time.DateOnly), p.End.AddDate(0, 0, -1).Format(time.DateOnly), q.Records})
	}
	writeJSON(w, http.StatusOK, out)
}

// query is a checked metrics or scorecard request.
type query struct {
	period  metrics.Period
	profile *policy.Profile // nil: no targets
	utility string
}

// parseQuery reads period, profile and utility. A profile is a built-in id: the API
// never opens a file a client names. A utility's user gets their utility's figures.
func (a *API) parseQuery(w http.ResponseWriter, r *http.Request, user User, defaultProfile string) (query, bool) {
	var q query
	v := r.URL.Query()
	label := v.Get("period")
	if label == "" {
		apiErrorf(w, http.StatusBadRequest, "period is required (e.g. 2024Q3, 2024, 2024-07)")
		return q, false
	}
	var err error
	if q.period, err = metrics.ParsePeriod(label, a.Location); err != nil {
		apiErrorf(w, http.StatusBadRequest, "period: %v", err)
		return q, false
	}
	name := v.Get("profile")
	if name == "" {
		name = defaultProfile
	}
	if name != "" {
		if name != a.Profile && !slices.Contains(policy.BuiltinIDs(), name) {
			apiErrorf(w, http.StatusBadRequest, "profile %q is not a built-in profile (%v)", name, policy.BuiltinIDs())
			return q, false
		}
		if q.profile, err = policy.Load(name); err != nil {
			apiErrorf(w, http.StatusBadRequest, "profile: %v", err)
			return q, false
		}
	}
	q.utility = v.Get("utility")
	if _, ok := reports.UtilityZH[q.utility]; !ok {
		apiErrorf(w, http.StatusBadRequest, "utility %q is not known (%s)", q.utility, knownUtilities())
		return q, false
	}
	if user.Audience == reports.Utility {
		if q.utility != "" && q.utility != user.Utility {
			a.Log.Warn("access refused", "user", user.Name, "audience", user.Audience, "utility", user.Utility, "path", r.URL.String(),
				"reason", "another utility's figures")
			apiErrorf(w, http.StatusForbidden, "user %s reads %s figures only", user.Name, user.Utility)
			return q, false
		}
		q.utility = user.Utility
	}
	n, err := a.DB.RecordsIn(r.Context(), q.period.Start, q.period.End, q.utility)
	if err != nil {
		apiErrorf(w, http.StatusInternalServerError, "%v", err)
		return q, false
	}
	if n.Total() == 0 {
		apiErrorf(w, http.StatusNotFound, "no data for %s", q.period.Label)
		return q, false
	}
	return q, true
}

// compute runs the period's metrics (judged under the profile, if any), at most
// maxComputations at once.
func (a *API) compute(ctx context.Context, q query) ([]metrics.Row, error) {
	select {
	case a.busy <- struct{}{}:
		defer func() { <-a.busy }()
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	if q.profile == nil {
		return metrics.Compute(ctx, a.DB.DB, q.period, metrics.DefaultSettings())
	}
	rows, err := metrics.Compute(ctx, a.DB.DB, q.period, q.profile.MetricSettings(), q.profile.CaseTargets(q.period)...)
	if err != nil {
		return nil, err
	}
	return policy.Judge(q.profile, q.period, rows), nil
}

// metrics answers the rows of the metrics contract (spec/outputs.md) as JSON, as
// `utilscore metrics --format json` prints them.
func (a *API) metrics(w http.ResponseWriter, r *http.Request, user User) {
	q, ok := a.parseQuery(w, r, user, "")
	if !ok {
		return
	}
	rows, err := a.compute(r.Context(), q)
	if err != nil {
		apiErrorf(w, http.StatusInternalServerError, "metrics of %s: %v", q.period.Label, err)
		return
	}
	out := []metrics.Row{}
	for _, row := range rows {
		if q.utility == "" || row.Utility == q.utility {
			out = append(out, row)
		}
	}
	writeJSON(w, http.StatusOK, out)
}

// ScoreInfo is one scorecard line.
type ScoreInfo struct {
	Scope  string  `json:"scope"` // utility or district
	Key    string  `json:"key"`   // the utility, or the district code
	Score  float64 `json:"score"` // 0–100
	Met    int     `json:"met"`
	Missed int     `json:"missed"`
	NoData int     `json:"no_data"`
}

// Scorecard is what /api/v1/scorecard answers.
type Scorecard struct {
	Period  string      `json:"period"`
	Profile string      `json:"profile"`
	Scores  []ScoreInfo `json:"scores"`
}

func (a *API) scorecard(w http.ResponseWriter, r *http.Request, user User) {
	q, ok := a.parseQuery(w, r, user, a.Profile)
	if !ok {
		return
	}
	rows, err := a.compute(r.Context(), q)
	if err != nil {
		apiErrorf(w, http.StatusInternalServerError, "scorecard of %s: %v", q.period.Label, err)
		return
	}
	card := Scorecard{Period: q.period.Label, Profile: q.profile.ID, Scores: []ScoreInfo{}}
	for _, s := range policy.Scores(q.profile, rows) {
		// A utility's user sees their utility's score, not the districts' (which
		// mix every utility's cases).
		if q.utility != "" && (s.Scope != "utility" || s.Key != q.utility) {
			continue
		}
		card.Scores = append(card.Scores, ScoreInfo{s.Scope, s.Key, s.Score, s.Met, s.Missed, s.NoData})
	}
	writeJSON(w, http.StatusOK, card)
}

// routes adds the API to mux; the internal routes ask user for the account.
func (a *API) routes(mux *http.ServeMux, user func(http.ResponseWriter, *http.Request) (User, bool)) {
	mux.HandleFunc("GET /api/v1/periods", a.periods)
	internal := func(h func(http.ResponseWriter, *http.Request, User)) http.HandlerFunc {
		return func(w http.ResponseWriter, r *http.Request) {
			if u, ok := user(w, r); ok {
				h(w, r, u)
			}
		}
	}
	mux.HandleFunc("GET /api/v1/metrics", internal(a.metrics))
	mux.HandleFunc("GET /api/v1/scorecard", internal(a.scorecard))
	mux.HandleFunc("GET /api/", func(w http.ResponseWriter, r *http.Request) {
		apiErrorf(w, http.StatusNotFound, "no such route: %s %s", r.Method, r.URL.Path)
	})
}
