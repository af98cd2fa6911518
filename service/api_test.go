package service

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/utilscore/utilscore/ingest"
	"github.com/utilscore/utilscore/metrics"
	"github.com/utilscore/utilscore/policy"
	"github.com/utilscore/utilscore/store"
)

// apiServer serves the API over a database loaded with generated exports of 2024.
func apiServer(t *testing.T) (*httptest.Server, *store.DB) {
	t.Helper()
	loc, _ := time.LoadLocation("Asia/Shanghai")
	cfg := testConfig(t, time.Date(2024, 7, 1, 0, 0, 0, 0, loc), time.Date(2025, 1, 1, 0, 0, 0, 0, loc))
	ctx := context.Background()
	db, err := store.Open(ctx, cfg.Database, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	loader, err := ingest.NewLoader(ctx, db.DB, ingest.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := loader.LoadInbox(ctx, cfg.Inbox); err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer((&Server{Output: cfg.Output, Access: NewAccess(NewAccounts(writeUsers(t)), nil, nil),
		API: NewAPI(db, cfg.Profile, loc, nil)}).Handler())
	t.Cleanup(srv.Close)
	return srv, db
}

func TestAPI(t *testing.T) {
	srv, db := apiServer(t)
	ctx := context.Background()

	// Periods are open to all: the quarters holding records.
	resp, body := fetch(t, nil, srv.URL+"/api/v1/periods", "", "")
	var periods []PeriodInfo
	json.Unmarshal([]byte(body), &periods)
	if resp.StatusCode != 200 || resp.Header.Get("Content-Type") != "application/json; charset=utf-8" || len(periods) < 2 {
		t.Fatalf("periods = %d %s", resp.StatusCode, body)
	}
	if p := periods[0]; p.Period != "2024Q3" || p.Start != "2024-07-01" || p.End != "2024-09-30" || p.Records == 0 {
		t.Errorf("periods = %+v", periods)
	}

	// Without credentials the internal routes answer 401.
	for _, path := range []string{"/api/v1/metrics?period=2024Q4", "/api/v1/scorecard?period=2024Q4", "/api/v1/metrics"} {
		if resp, body := fetch(t, nil, srv.URL+path, "", ""); resp.StatusCode != http.StatusUnauthorized || strings.Contains(body, "metric_id") {
			t.Errorf("GET %s without credentials = %d", path, resp.StatusCode)
		}
	}

	// The metrics are the contract's rows, as the metrics command computes them.
	p, _ := metrics.ParsePeriod("2024Q4", db.Location)
	prof, _ := policy.Load("district-wpgt")
	computed, err := metrics.Compute(ctx, db.DB, p, prof.MetricSettings(), prof.CaseTargets(p)...)
	if err != nil {
		t.Fatal(err)
	}
	// Compared as JSON carries them, whatever fields the JSON holds.
	var want []metrics.Row
	judged, _ := json.Marshal(policy.Judge(prof, p, computed))
	json.Unmarshal(judged, &want)
	resp, body = fetch(t, nil, srv.URL+"/api/v1/metrics?period=2024Q4&profile=district-wpgt", "reg", testPassword)
	var got []metrics.Row
	if err := json.Unmarshal([]byte(body), &got); err != nil || resp.StatusCode != 200 {
		t.Fatalf("metrics = %d %.200s: %v", resp.StatusCode, body, err)
	}
	if len(got) == 0 || !reflect.DeepEqual(got, want) {
		t.Errorf("the API's %d rows differ from the %d computed", len(got), len(want))
	}

	// A utility's user gets that utility's rows only.
	resp, body = fetch(t, nil, srv.URL+"/api/v1/metrics?period=2024Q4", "pw", testPassword)
	got = nil
	json.Unmarshal([]byte(body), &got)
	if resp.StatusCode != 200 || len(got) == 0 {
		t.Fatalf("power's metrics = %d %.200s", resp.StatusCode, body)
	}
	for _, r := range got {
		if r.Utility != "power" {
			t.Fatalf("a power user got a %q row", r.Utility)
		}
	}
	resp, body = fetch(t, nil, srv.URL+"/api/v1/scorecard?period=2024Q4", "pw", testPassword)
	var card Scorecard
	json.Unmarshal([]byte(body), &card)
	if resp.StatusCode != 200 || card.Profile != "district-wpgt" || len(card.Scores) != 1 || card.Scores[0].Key != "power" {
		t.Errorf("power's scorecard = %d %s", resp.StatusCode, body)
	}
	resp, body = fetch(t, nil, srv.URL+"/api/v1/scorecard?period=2024Q4", "off", testPassword)
	card = Scorecard{}
	json.Unmarshal([]byte(body), &card)
	if resp.StatusCode != 200 || len(card.Scores) < 4 {
		t.Errorf("the office's scorecard = %d %s", resp.StatusCode, body)
	}

	// Refusals say why, as JSON.
	for _, tt := range []struct {
		user, query string
		status      int
		want        string
	}{
		{"pw", "period=2024Q4&utility=water", 403, "reads power figures only"},
		{"reg", "", 400, "period is required"},
		{"reg", "period=2024Q5", 400, "period:"},
		{"reg", "period=2024Q4&utility=heat", 400, `utility \"heat\" is not known`},
		{"reg", "period=2024Q4&profile=/etc/passwd", 400, "not a built-in profile"},
		{"reg", "period=2031Q1", 404, "no data for 2031Q1"},
	} {
		resp, body := fetch(t, nil, srv.URL+"/api/v1/metrics?"+tt.query, tt.user, testPassword)
		if resp.StatusCode != tt.status || !strings.Contains(body, `"error"`) || !strings.Contains(body, tt.want) {
			t.Errorf("%s metrics?%s = %d %s, want %d %q", tt.user, tt.query, resp.StatusCode, body, tt.status, tt.want)
		}
	}
	if resp, _ := fetch(t, nil, srv.URL+"/api/v1/nothing", "reg", testPassword); resp.StatusCode != 404 {
		t.Errorf("an unknown route = %d", resp.StatusCode)
	}
}
