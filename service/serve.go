package service

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"time"

	"github.com/robfig/cron/v3"

	"github.com/utilscore/utilscore/store"
)

// ShutdownGrace is how long a running job may go on after a stop signal before its
// context is cancelled (a load in progress then rolls back).
var ShutdownGrace = 60 * time.Second

// Serve opens the database (the service is then its only writer), runs the schedule
// and serves the published folders until ctx ends, then stops cleanly. ready, when
// set, is told the address the server listens on.
func Serve(ctx context.Context, cfg *Config, log *slog.Logger, ready func(addr string)) error {
	db, err := store.Open(ctx, cfg.Database, store.Options{TimeZone: cfg.TimeZone, CalendarFile: cfg.Calendar})
	if err != nil {
		return err
	}
	defer db.Close()
	svc := &Service{Config: cfg, DB: db, Log: log}

	// Jobs get their own context: a stop signal first lets them finish.
	jobCtx, cancelJobs := context.WithCancel(context.WithoutCancel(ctx))
	defer cancelJobs()
	logger := cronLogger{log}
	c := cron.New(cron.WithLocation(cfg.Location()), cron.WithParser(cronParser),
		cron.WithChain(cron.Recover(logger), cron.SkipIfStillRunning(logger)))
	if _, err := c.AddFunc(cfg.Schedule.Nightly, func() { svc.Nightly(jobCtx) }); err != nil {
		return fmt.Errorf("schedule.nightly: %w", err)
	}
	if _, err := c.AddFunc(cfg.Schedule.Quarterly, func() { svc.ScheduledQuarterly(jobCtx) }); err != nil {
		return fmt.Errorf("schedule.quarterly: %w", err)
	}

	accounts := NewAccounts(cfg.HTTP.Users)
	if n, err := accounts.Status(); err != nil {
		log.Error("the users file cannot be read: nothing internal is served", "users", cfg.HTTP.Users, "err", err)
	} else if n == 0 {
		log.Warn("no accounts: only the public build is served", "users", cfg.HTTP.Users)
	} else {
		log.Info("accounts", "users", cfg.HTTP.Users, "count", n)
	}
	if info, err := os.Stat(cfg.HTTP.Users); err == nil && info.Mode().Perm()&0o077 != 0 {
		log.Warn("the users file can be read by others: its hashes can be guessed at offline; chmod 600 it", "users", cfg.HTTP.Users, "mode", info.Mode().Perm().String())
	}
	server := &Server{Output: cfg.Output, Access: NewAccess(accounts, log, cfg.HTTP.TrustedProxies),
		API:     NewAPI(db, cfg.Profile, cfg.Location(), log),
		Health:  func() error { return svc.Health(ctx) },
		Runs:    func() (any, error) { return svc.Runs(ctx) },
		Metrics: func(w io.Writer) error { return svc.WriteMetrics(ctx, w) }}
	httpServer := &http.Server{Handler: server.Handler(), ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout: 30 * time.Second, WriteTimeout: 5 * time.Minute, IdleTimeout: 2 * time.Minute}
	ln, err := net.Listen("tcp", cfg.HTTP.Address)
	if err != nil {
		return fmt.Errorf("http.address %s: %w", cfg.HTTP.Address, err)
	}
	serveErr := make(chan error, 1)
	go func() { serveErr <- httpServer.Serve(ln) }()
	c.Start()
	log.Info("serving", "address", ln.Addr().String(), "database", cfg.Database, "inbox", cfg.Inbox, "output", cfg.Output,
		"nightly", cfg.Schedule.Nightly, "quarterly", cfg.Schedule.Quarterly)
	if ready != nil {
		ready(ln.Addr().String())
	}

	select {
	case <-ctx.Done():
		log.Info("stopping: no new work; waiting for a running job", "grace", ShutdownGrace)
	case err := <-serveErr:
		c.Stop()
		return fmt.Errorf("http: %w", err)
	}
	stopped := c.Stop()
	select {
	case <-stopped.Done():
	case <-time.After(ShutdownGrace):
		log.Warn("a job is still running: cancelling it, its load rolls back")
		cancelJobs()
		<-stopped.Done()
	}
	shutdownCtx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := httpServer.Shutdown(shutdownCtx); err != nil && !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	log.Info("stopped")
	return nil
}

// cronLogger lets robfig/cron log through slog.
type cronLogger struct{ log *slog.Logger }

func (l cronLogger) Info(msg string, kv ...any) { l.log.Debug("cron: "+msg, kv...) }
func (l cronLogger) Error(err error, msg string, kv ...any) {
	l.log.Error("cron: "+msg, append(kv, "err", err)...)
}
