package service

import (
	"encoding/json"
	"errors"
	"fmt"
	"html/template"
	"io"
	"io/fs"
	"net/http"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strings"

	"github.com/utilscore/utilscore/dashboards"
)

// Server serves the published folders read-only: the current site at /, every
// published build under /archive/, and the service's own endpoints. Files are opened
// through os.Root, which refuses any name or symbolic link that leads outside the
// folder; no directory is listed but /archive/ itself.
type Server struct {
	Output  string
	Health  func() error            // nil when the service is healthy
	Runs    func() (any, error)     // the run history, as JSON
	Metrics func(w io.Writer) error // Prometheus text format
}

// Handler returns the HTTP handler.
func (s *Server) Handler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /healthz", s.healthz)
	mux.HandleFunc("GET /runs", s.runs)
	mux.HandleFunc("GET /metrics", s.metrics)
	mux.HandleFunc("GET /archive/{$}", s.archive)
	mux.HandleFunc("GET /archive/{site}/{file...}", func(w http.ResponseWriter, r *http.Request) {
		site := r.PathValue("site")
		if !siteName.MatchString(site) {
			http.NotFound(w, r)
			return
		}
		serveFile(w, r, filepath.Join(s.Output, sitesDir, site), r.PathValue("file"))
	})
	mux.HandleFunc("GET /{file...}", func(w http.ResponseWriter, r *http.Request) {
		serveFile(w, r, filepath.Join(s.Output, currentDir), r.PathValue("file"))
	})
	return headers(mux)
}

// headers: files are what they say they are, and pages load nothing from elsewhere
// (dashboards.ContentSecurityPolicy, the pages' own meta tag: scripts from files only).
func headers(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("X-Content-Type-Options", "nosniff")
		w.Header().Set("Content-Security-Policy", dashboards.ContentSecurityPolicy)
		next.ServeHTTP(w, r)
	})
}

// serveFile serves name from inside base: a folder serves its index.html, or nothing.
func serveFile(w http.ResponseWriter, r *http.Request, base, name string) {
	root, err := os.OpenRoot(base) // per request: current may have been switched
	if err != nil {
		http.NotFound(w, r)
		return
	}
	defer root.Close()
	name = strings.TrimPrefix(path.Clean("/"+name), "/")
	if name == "" {
		name = "."
	}
	f, err := root.Open(name)
	if err != nil {
		http.NotFound(w, r)
		return
	}
	defer f.Close()
	info, err := f.Stat()
	if err != nil {
		http.NotFound(w, r)
		return
	}
	if info.IsDir() {
		f.Close()
		if f, err = root.Open(path.Join(name, "index.html")); err != nil {
			http.NotFound(w, r) // no listing
			return
		}
		defer f.Close()
		if info, err = f.Stat(); err != nil || info.IsDir() {
			http.NotFound(w, r)
			return
		}
	}
	http.ServeContent(w, r, info.Name(), info.ModTime(), f)
}

var archiveTemplate = template.Must(template.New("archive").Parse(`<!DOCTYPE html>
<html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>历期发布</title></head>
<body><h1>历期发布</h1><ul>{{range .}}<li><a href="{{.}}/">{{.}}</a></li>{{end}}</ul></body></html>
`))

// archive lists the published builds: the one folder listing the server gives.
func (s *Server) archive(w http.ResponseWriter, r *http.Request) {
	entries, err := os.ReadDir(filepath.Join(s.Output, sitesDir))
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		http.Error(w, "cannot read the published folders", http.StatusInternalServerError)
		return
	}
	var names []string
	for _, e := range entries {
		if e.IsDir() && siteName.MatchString(e.Name()) {
			names = append(names, e.Name())
		}
	}
	sort.Sort(sort.Reverse(sort.StringSlice(names)))
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	archiveTemplate.Execute(w, names)
}

func (s *Server) healthz(w http.ResponseWriter, r *http.Request) {
	if s.Health != nil {
		if err := s.Health(); err != nil {
			http.Error(w, "unhealthy: "+err.Error(), http.StatusServiceUnavailable)
			return
		}
	}
	fmt.Fprintln(w, "ok")
}

func (s *Server) runs(w http.ResponseWriter, r *http.Request) {
	var runs any = []any{}
	if s.Runs != nil {
		var err error
		if runs, err = s.Runs(); err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
	}
	w.Header().Set("Content-Type", "application/json")
	json.NewEncoder(w).Encode(runs)
}

func (s *Server) metrics(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "text/plain; version=0.0.4")
	if s.Metrics != nil {
		if err := s.Metrics(w); err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
		}
	}
}
