package service

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"html"
	"io"
	"log/slog"
	"maps"
	"net/url"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/robfig/cron/v3"

	"github.com/utilscore/utilscore/dashboards"
	"github.com/utilscore/utilscore/domain"
	"github.com/utilscore/utilscore/ingest"
	"github.com/utilscore/utilscore/metrics"
	"github.com/utilscore/utilscore/policy"
	"github.com/utilscore/utilscore/printout"
	"github.com/utilscore/utilscore/progress"
	"github.com/utilscore/utilscore/reports"
	"github.com/utilscore/utilscore/store"
)

// Service runs the scheduled jobs against one database, one job at a time: DuckDB has
// one writer, and the jobs share it.
type Service struct {
	Config *Config
	DB     *store.DB
	Log    *slog.Logger
	Now    func() time.Time // the clock; time.Now unless a test sets it
	mu     sync.Mutex
}

// Run is one finished run of a job.
type Run struct {
	ID           int64     `json:"id"`
	Job          string    `json:"job"`
	Period       string    `json:"period,omitempty"`
	Started      time.Time `json:"start"`
	Finished     time.Time `json:"end"`
	Files        int64     `json:"files"`
	RowsLoaded   int64     `json:"rows_loaded"`
	RowsRejected int64     `json:"rows_rejected"`
	Outcome      string    `json:"outcome"`
	Detail       string    `json:"detail,omitempty"`
}

func (s *Service) now() time.Time {
	if s.Now != nil {
		return s.Now().In(s.Config.Location())
	}
	return time.Now().In(s.Config.Location())
}

// Nightly loads every new inbox file, writes the current quarter's figures so far,
// and publishes the last quarter if no earlier run managed to.
func (s *Service) Nightly(ctx context.Context) (Run, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	run := Run{Job: "nightly", Started: s.now()}
	s.Log.Info("run started", "job", run.Job)
	steps := s.steps(run.Job)
	err := s.nightly(ctx, &run, steps)
	s.record(ctx, &run, err)
	if err == nil {
		// Readers use the snapshot while the service holds the database; a stale one
		// says its age, so a failure to refresh it is logged, not fatal to the run.
		steps.Step(filepath.Base(s.Config.Database), "数据库快照", 0, 0)
		if err := store.PublishSnapshot(ctx, s.DB); err != nil {
			s.Log.Error("snapshot not published", "err", err)
		}
		err = s.catchUpQuarterly(ctx)
	}
	return run, err
}

// steps logs the steps of a run of job as the commands show theirs (progress.Log):
// which file is being loaded, which workbook and sheet written.
func (s *Service) steps(job string) *progress.Reporter {
	return progress.Log(s.Log.With("job", job))
}

func (s *Service) nightly(ctx context.Context, run *Run, steps *progress.Reporter) error {
	if err := os.MkdirAll(s.Config.Inbox, 0o755); err != nil {
		return err
	}
	var refused, failed []string
	load := func(folder string, profile *ingest.MappingProfile) error {
		dir := filepath.Join(s.Config.Inbox, folder)
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return err
		}
		// Under the ingest command's memory limit: a large export spills to disk
		// rather than taking the memory the HTTP server and the machine need.
		loader, err := ingest.NewLoader(ctx, s.DB.DB, ingest.Options{Profile: profile, MemoryLimit: ingest.LoadMemoryLimit,
			Progress: steps.Step})
		if err != nil {
			return err
		}
		results, err := loader.LoadInbox(ctx, dir)
		for _, r := range results {
			name := path.Join(filepath.ToSlash(folder), filepath.Base(r.File))
			if r.Waiting {
				s.Log.Info("still being written; left for the next run", "file", name)
				continue
			}
			run.Files++
			run.RowsLoaded += r.RowsLoaded
			run.RowsRejected += r.RowsRejected
			if r.Refused != nil {
				refused = append(refused, name)
			}
			s.Log.Info("loaded", "file", name, "kind", r.Kind, "profile", r.Profile, "read", r.RowsRead, "loaded", r.RowsLoaded,
				"rejected", r.RowsRejected, "refused", r.Refused != nil)
		}
		return err
	}
	err := load("", nil)
	// Each utility's subfolder with its own profile; a profile that no longer loads
	// leaves its files waiting and fails the run, not the other folders.
	for _, folder := range slices.Sorted(maps.Keys(s.Config.Mappings)) {
		if err != nil || ctx.Err() != nil {
			break
		}
		profile, ferr := ingest.LoadProfile(s.Config.Mappings[folder])
		if ferr == nil {
			ferr = load(folder, profile)
		}
		if ferr != nil {
			failed = append(failed, fmt.Sprintf("%s: %v", folder, ferr))
		}
	}
	if err == nil {
		err = ctx.Err()
	}
	if len(refused) > 0 {
		run.Detail = fmt.Sprintf("quarantined %d of %d files: %s", len(refused), run.Files, strings.Join(refused, ", "))
	}
	if err != nil {
		return err
	}
	if err := s.refresh(ctx, run, steps); err != nil {
		return err
	}
	if len(failed) > 0 {
		return fmt.Errorf("inbox subfolders not loaded: %s", strings.Join(failed, "; "))
	}
	return nil
}

// refresh writes the figures of the quarter so far as metrics/<quarter>.csv. The
// quarter is measured up to now, not to its end: open cases are aged as of now, and a
// figure that needs every month of the quarter stays no_data until the quarter ends.
func (s *Service) refresh(ctx context.Context, run *Run, steps *progress.Reporter) error {
	p := quarterOf(s.now())
	if now := s.now().Truncate(time.Second); now.Before(p.End) {
		p.End = now
	}
	run.Period = p.Label
	prof, err := policy.Load(s.Config.Profile)
	if err != nil {
		return err
	}
	steps.Step(p.Label, "计算指标", 0, 0)
	ev, err := policy.Evaluate(ctx, s.DB.DB, prof, p)
	if err != nil {
		return err
	}
	return writeAtomically(filepath.Join(s.Config.Output, "metrics", p.Label+".csv"), func(w io.Writer) error {
		return metrics.WriteCSV(w, ev.Rows)
	})
}

// Quarterly publishes a quarter: every audience's workbooks and pages in one build.
func (s *Service) Quarterly(ctx context.Context, p metrics.Period) (Run, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.quarterly(ctx, p)
}

func (s *Service) quarterly(ctx context.Context, p metrics.Period) (Run, error) {
	run := Run{Job: "quarterly", Period: p.Label, Started: s.now()}
	s.Log.Info("run started", "job", run.Job, "period", run.Period)
	err := s.publish(ctx, p, &run, s.steps(run.Job))
	s.record(ctx, &run, err)
	return run, err
}

// ErrNoData is a quarter with no record to publish: the run is recorded as skipped,
// and the nightly tries again once data has come.
var ErrNoData = errors.New("no data")

func (s *Service) publish(ctx context.Context, p metrics.Period, run *Run, steps *progress.Reporter) error {
	prof, err := policy.Load(s.Config.Profile)
	if err != nil {
		return err
	}
	if n, err := s.DB.RecordsIn(ctx, p.Start, p.End, ""); err != nil {
		return err
	} else if n.Total() == 0 {
		return fmt.Errorf("%w for %s: the database holds no record of the quarter, nothing is published", ErrNoData, p.Label)
	}
	steps.Step(p.Label, "计算指标", 0, 0)
	data, err := reports.Collect(ctx, s.DB.DB, p, prof)
	if err != nil {
		return err
	}
	defer data.Close()
	data.Progress = steps.Step // each workbook's sheets
	dir, err := Publish(s.Config.Output, p.Label, func(dir string) error {
		var links []string
		for _, a := range s.Config.Audiences {
			sub := filepath.Join(dir, a)
			if err := os.MkdirAll(sub, 0o755); err != nil {
				return err
			}
			utilities := []string{""}
			if a == reports.Utility {
				if utilities, err = s.DB.Utilities(ctx); err != nil { // the schema's one list
					return err
				}
			}
			var printed []string
			for _, u := range utilities {
				if _, err := reports.Write(sub, a, u, data); err != nil {
					return err
				}
				// The printable report beside its workbook, served by the same rule
				// (needOf): a utility's to that utility's users only.
				name := printout.FileName(p.Label, a, u, "html")
				steps.Step(name, "打印版报告", 0, 0)
				if _, err := printout.Write(sub, a, u, data); err != nil {
					return err
				}
				title := "季度报告"
				if u != "" {
					title += "·" + domain.Or(reports.UtilityZH, u)
				}
				printed = append(printed, fmt.Sprintf(`<a href="%s/%s">%s</a>`, a, url.PathEscape(name), html.EscapeString(title)))
				run.Files++
			}
			steps.Step(reports.AudienceZH[a], "图表页面", 0, 0)
			if _, err := dashboards.Write(sub, a, data); err != nil {
				return err
			}
			links = append(links, fmt.Sprintf(`<li><a href="%s/index.html">%s</a>（%s）</li>`, a, reports.AudienceZH[a], strings.Join(printed, "、")))
			if a == reports.Public {
				steps.Step(reports.AudienceZH[a], "开放数据", 0, 0)
				if _, err := reports.WriteOpenData(sub, data); err != nil {
					return err
				}
				links = append(links, fmt.Sprintf(`<li><a href="%s/%s/datapackage.json">开放数据（CSV、JSON）</a></li>`, a, reports.OpenDataDir))
			}
		}
		index := `<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">` +
			`<title>` + p.Label + `</title></head><body><h1>` + p.Label + ` 水电气网营商环境指标</h1><ul>` + strings.Join(links, "") +
			`</ul><p><a href="/archive/">历期发布</a></p></body></html>`
		return os.WriteFile(filepath.Join(dir, "index.html"), []byte(index), 0o644)
	})
	if err == nil {
		run.Detail = "published " + filepath.Base(dir)
	}
	return err
}

// ScheduledQuarterly is the quarterly job as the schedule starts it. When the
// nightly job fires at the same tick, it leaves the quarter to the nightly, which
// publishes it after that night's load (catchUpQuarterly): the two would otherwise
// race for the lock, and the quarter could go out before its last data.
func (s *Service) ScheduledQuarterly(ctx context.Context) (Run, error) {
	now := s.now()
	quarterly, qerr := cronParser.Parse(s.Config.Schedule.Quarterly)
	nightly, nerr := cronParser.Parse(s.Config.Schedule.Nightly)
	if qerr == nil && nerr == nil && firedTogether(quarterly, nightly, now) {
		s.Log.Info("the quarterly job waits for the nightly load fired with it", "period", quarterOf(now).Previous(1).Label)
		return Run{}, nil
	}
	return s.Quarterly(ctx, quarterOf(now).Previous(1))
}

// firedTogether tells whether both schedules fire at the tick a job started at now
// belongs to: cron ticks are whole seconds, and a job starts within a second of its
// tick.
func firedTogether(a, b cron.Schedule, now time.Time) bool {
	for _, tick := range []time.Time{now.Truncate(time.Second), now.Truncate(time.Second).Add(-time.Second)} {
		before := tick.Add(-time.Second)
		if a.Next(before).Equal(tick) && b.Next(before).Equal(tick) {
			return true
		}
	}
	return false
}

// catchUpQuarterly publishes the last full quarter when it is past its scheduled
// time and no run has published it: a failed quarterly run is retried nightly.
func (s *Service) catchUpQuarterly(ctx context.Context) error {
	last := quarterOf(s.now()).Previous(1)
	var done int
	err := s.DB.QueryRowContext(ctx, `SELECT count(*) FROM runs WHERE job = 'quarterly' AND period = ? AND outcome = 'ok'`, last.Label).Scan(&done)
	if err != nil || done > 0 {
		return err
	}
	due, err := cronParser.Parse(s.Config.Schedule.Quarterly)
	if err != nil {
		return err
	}
	if next := due.Next(last.End.Add(-time.Second)); s.now().Before(next) {
		return nil // its scheduled run has not come yet
	}
	if _, err = s.quarterly(ctx, last); errors.Is(err, ErrNoData) {
		return nil // recorded as skipped; tried again tomorrow
	}
	return err
}

// quarterOf is the quarter holding t.
func quarterOf(t time.Time) metrics.Period {
	p, _ := metrics.ParsePeriod(fmt.Sprintf("%dQ%d", t.Year(), (int(t.Month())-1)/3+1), t.Location())
	return p
}

// record stores a finished run; a failure is logged and kept with its reason.
func (s *Service) record(ctx context.Context, run *Run, err error) {
	run.Finished = s.now()
	run.Outcome = "ok"
	if errors.Is(err, ErrNoData) {
		run.Outcome = "skipped"
		run.Detail = strings.TrimSpace(run.Detail + " " + err.Error())
		s.Log.Warn("run skipped", "job", run.Job, "period", run.Period, "reason", err)
	} else if err != nil {
		run.Outcome = "failed"
		run.Detail = strings.TrimSpace(run.Detail + " " + err.Error())
		s.Log.Error("run failed", "job", run.Job, "period", run.Period, "err", err)
	} else {
		s.Log.Info("run finished", "job", run.Job, "period", run.Period, "files", run.Files, "rows_loaded", run.RowsLoaded,
			"rows_rejected", run.RowsRejected, "seconds", run.Finished.Sub(run.Started).Seconds())
	}
	// Recorded even when the job's context was cancelled: the history must say so.
	ctx = context.WithoutCancel(ctx)
	if err := s.DB.QueryRowContext(ctx, `SELECT nextval('run_ids')`).Scan(&run.ID); err != nil {
		s.Log.Error("cannot record the run", "err", err)
		return
	}
	_, dbErr := s.DB.ExecContext(ctx, `INSERT INTO runs VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, run.ID, run.Job, nullIfEmpty(run.Period),
		run.Started, run.Finished, run.Files, run.RowsLoaded, run.RowsRejected, run.Outcome, nullIfEmpty(run.Detail))
	if dbErr != nil {
		s.Log.Error("cannot record the run", "err", dbErr)
	}
}

func nullIfEmpty(s string) any {
	if s == "" {
		return nil
	}
	return s
}

// Runs returns the run history, newest first.
func (s *Service) Runs(ctx context.Context) ([]Run, error) {
	rows, err := s.DB.QueryContext(ctx, `SELECT run_id, job, coalesce(period, ''), started_at, finished_at, files, rows_loaded,
		rows_rejected, outcome, coalesce(detail, '') FROM runs ORDER BY run_id DESC LIMIT 500`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []Run{}
	for rows.Next() {
		var r Run
		if err := rows.Scan(&r.ID, &r.Job, &r.Period, &r.Started, &r.Finished, &r.Files, &r.RowsLoaded, &r.RowsRejected, &r.Outcome, &r.Detail); err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// Health is nil when the database answers and the last nightly run did not fail.
func (s *Service) Health(ctx context.Context) error {
	if err := s.DB.PingContext(ctx); err != nil {
		return fmt.Errorf("database: %w", err)
	}
	var outcome string
	err := s.DB.QueryRowContext(ctx, `SELECT outcome FROM runs WHERE job = 'nightly' ORDER BY run_id DESC LIMIT 1`).Scan(&outcome)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return err
	}
	if outcome == "failed" {
		return errors.New("the last nightly run failed; see /runs")
	}
	return nil
}

// WriteMetrics writes the service's counters in the Prometheus text format.
func (s *Service) WriteMetrics(ctx context.Context, w io.Writer) error {
	rows, err := s.DB.QueryContext(ctx, `SELECT job, outcome, count(*), sum(rows_loaded), sum(rows_rejected),
		max(epoch(finished_at)) FILTER (outcome = 'ok') FROM runs GROUP BY ALL ORDER BY ALL`)
	if err != nil {
		return err
	}
	defer rows.Close()
	type agg struct {
		job, outcome           string
		runs, loaded, rejected int64
		lastOK                 sql.NullFloat64
	}
	var all []agg
	for rows.Next() {
		var a agg
		if err := rows.Scan(&a.job, &a.outcome, &a.runs, &a.loaded, &a.rejected, &a.lastOK); err != nil {
			return err
		}
		all = append(all, a)
	}
	fmt.Fprintln(w, "# HELP utilscore_runs_total Finished runs of the scheduled jobs.\n# TYPE utilscore_runs_total counter")
	for _, a := range all {
		fmt.Fprintf(w, "utilscore_runs_total{job=%q,outcome=%q} %d\n", a.job, a.outcome, a.runs)
	}
	var loaded, rejected int64
	lastOK := map[string]float64{}
	for _, a := range all {
		loaded += a.loaded
		rejected += a.rejected
		if a.lastOK.Valid && a.lastOK.Float64 > lastOK[a.job] {
			lastOK[a.job] = a.lastOK.Float64
		}
	}
	fmt.Fprintf(w, "# HELP utilscore_rows_loaded_total Rows loaded by the service.\n# TYPE utilscore_rows_loaded_total counter\nutilscore_rows_loaded_total %d\n", loaded)
	fmt.Fprintf(w, "# HELP utilscore_rows_rejected_total Rows rejected by the service.\n# TYPE utilscore_rows_rejected_total counter\nutilscore_rows_rejected_total %d\n", rejected)
	fmt.Fprintln(w, "# HELP utilscore_last_success_timestamp_seconds End of the last successful run of each job.\n# TYPE utilscore_last_success_timestamp_seconds gauge")
	for _, job := range []string{"nightly", "quarterly"} {
		if ts, ok := lastOK[job]; ok {
			fmt.Fprintf(w, "utilscore_last_success_timestamp_seconds{job=%q} %.0f\n", job, ts)
		}
	}
	return rows.Err()
}

// writeAtomically writes a file through a temporary one and a rename, so a reader
// sees the old file or the new one; it is published 0644 under the umask.
func writeAtomically(path string, write func(io.Writer) error) error {
	if err := os.MkdirAll(filepath.Dir(path), publishedFolder); err != nil {
		return err
	}
	umask, err := umaskIn(filepath.Dir(path))
	if err != nil {
		return err
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), ".tmp-*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	if err := write(tmp); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Chmod(publishedFile &^ umask); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}

// LastQuarter is the named quarter, or the last full one in the configured zone.
func LastQuarter(cfg *Config, label string) (metrics.Period, error) {
	if label != "" {
		return metrics.ParsePeriod(label, cfg.Location())
	}
	return quarterOf(time.Now().In(cfg.Location())).Previous(1), nil
}
