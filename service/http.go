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
	"path/filepath"
	"sort"

	"github.com/utilscore/utilscore/dashboards"
)

// Server serves the published folders read-only: the current site at /, every
// published build under /archive/, and the service's own endpoints. Files are opened
// one path component at a time without following symbolic links (see openBelow); no
// directory is listed but /archive/ itself.
type Server struct {
	Output  string
	Health  func() error            // nil when the service is healthy
	Runs    func() (any, error)     // the run history, as JSON
	Metrics func(w io.Writer) error // Prometheus text format
	Access  *Access                 // who may fetch the internal builds; nil = nobody
	API     *API                    // the JSON routes under /api/v1/; nil = none
}

// Handler returns the HTTP handler.
func (s *Server) Handler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /healthz", s.healthz)
	mux.HandleFunc("GET /runs", s.runs)
	mux.HandleFunc("GET /metrics", s.metrics)
	mux.HandleFunc("GET /archive/{$}", s.archive)
	if s.API != nil {
		s.API.routes(mux, s.user)
	}
	mux.HandleFunc("GET /archive/{site}/{file...}", func(w http.ResponseWriter, r *http.Request) {
		site := r.PathValue("site")
		if !siteName.MatchString(site) {
			http.NotFound(w, r)
			return
		}
		s.serveBuild(w, r, site, r.PathValue("file"))
	})
	mux.HandleFunc("GET /{file...}", func(w http.ResponseWriter, r *http.Request) {
		site, err := currentSite(s.Output) // per request: current may have been switched
		if errors.Is(err, fs.ErrNotExist) && (r.URL.Path == "/" || r.URL.Path == "/index.html") {
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			io.WriteString(w, noPublicationPage)
			return
		}
		if err != nil {
			http.NotFound(w, r)
			return
		}
		s.serveBuild(w, r, site, r.PathValue("file"))
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

// serveBuild serves name from inside the published build site: a folder serves its
// index.html, or nothing; a symbolic link at any level serves nothing.
func (s *Server) serveBuild(w http.ResponseWriter, r *http.Request, site, name string) {
	elems, err := requestPath(name)
	if err != nil {
		http.NotFound(w, r)
		return
	}
	if !s.allow(w, r, needOf(elems), elems) {
		return
	}
	f, err := openBelow(s.Output, append([]string{sitesDir, site}, elems...))
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
	http.ServeContent(w, r, info.Name(), info.ModTime(), f)
}

// allow answers a request that may not fetch what it asks for.
func (s *Server) allow(w http.ResponseWriter, r *http.Request, n need, elems []string) bool {
	if n.audience != "" && s.Access == nil {
		http.Error(w, "内部版本未开放：尚未配置任何账户。", http.StatusForbidden)
		return false
	}
	return s.Access == nil || s.Access.allow(w, r, n, elems)
}

// user is the authenticated user of an internal route of any audience.
func (s *Server) user(w http.ResponseWriter, r *http.Request) (User, bool) {
	if s.Access == nil {
		http.Error(w, "内部版本未开放：尚未配置任何账户。", http.StatusForbidden)
		return User{}, false
	}
	u, ok := s.Access.authenticate(w, r)
	if ok {
		s.Access.Log.Info("access granted", "user", u.Name, "audience", u.Audience, "utility", u.Utility, "path", r.URL.Path)
	}
	return u, ok
}

// noPublicationPage answers / before the first quarter has been published.
const noPublicationPage = `<!DOCTYPE html>
<html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>尚无发布</title></head>
<body><h1>水电气网营商环境指标</h1><p>尚无发布：第一个季度的报告和图表发布后将在此显示。</p></body></html>
`

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

// runs is internal: its details name the files loaded and quote their errors.
func (s *Server) runs(w http.ResponseWriter, r *http.Request) {
	if _, ok := s.user(w, r); !ok {
		return
	}
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
