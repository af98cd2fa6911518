package service

import (
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/utilscore/utilscore/printout"
	"github.com/utilscore/utilscore/reports"
)

// Access decides who may fetch what (spec/outputs.md, "Who may fetch what over
// HTTP"): the public build is open to all; a file of an internal audience's build
// only to that audience's users, and a utility's files only to that utility's users.
// Every internal fetch, granted or refused, is logged with the user.
type Access struct {
	Accounts       *Accounts
	Log            *slog.Logger
	TrustedProxies []string // addresses whose X-Forwarded-For names the client
	limit          *attemptLimit
}

// NewAccess checks credentials against accounts.
func NewAccess(accounts *Accounts, log *slog.Logger, trustedProxies []string) *Access {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &Access{Accounts: accounts, Log: log, TrustedProxies: trustedProxies, limit: newAttemptLimit()}
}

// need is what a path asks of the user fetching it.
type need struct {
	audience string // "" = public
	utility  string // for the utility audience: the utility owning the file, "" = none does
	shared   bool   // for the utility audience: any utility's user may fetch it
}

// needOf says who may fetch a file of a build. Every internal output is written in
// its audience's folder (see Service.publish), so the first component decides; in
// the utility audience's folder, a file belongs to the utility its name starts or
// ends with (power.html, …_企业版_电力.xlsx, …_企业版_电力.html), scripts and style
// sheets under assets/ are shared, and anything else, the overview of every utility
// included, is for none of them.
func needOf(elems []string) need {
	if len(elems) == 0 || elems[0] == reports.Public {
		return need{}
	}
	if _, ok := reports.AudienceZH[elems[0]]; !ok {
		return need{} // the build's own index page
	}
	n := need{audience: elems[0]}
	if n.audience != reports.Utility {
		return n
	}
	rest := elems[1:]
	if len(rest) > 1 && rest[0] == "assets" {
		n.shared = true
		return n
	}
	if len(rest) != 1 {
		return n
	}
	name := rest[0]
	stem, _, _ := strings.Cut(name, ".")
	for u := range reports.UtilityZH {
		if u != "" && (stem == u || strings.HasSuffix(name, reports.FileName("", reports.Utility, u)) ||
			strings.HasSuffix(name, printout.FileName("", reports.Utility, u, "html"))) {
			n.utility = u
		}
	}
	return n
}

// isIndex: a request for an audience folder's landing page.
func isIndex(elems []string) bool {
	return len(elems) == 1 || (len(elems) == 2 && elems[1] == "index.html")
}

// allow tells whether the request may fetch a file that needs n, and answers it
// when not: 401 without valid credentials, 403 for another audience's or utility's
// file, 429 after too many failed logins. A utility user asking for the utility
// audience's landing page is sent to their own utility's page.
func (a *Access) allow(w http.ResponseWriter, r *http.Request, n need, elems []string) bool {
	if n.audience == "" {
		return true
	}
	user, ok := a.authenticate(w, r)
	if !ok {
		return false
	}
	granted := user.Audience == n.audience
	if granted && n.audience == reports.Utility && !n.shared {
		if n.utility == "" && isIndex(elems) {
			a.Log.Info("access granted", "user", user.Name, "path", r.URL.Path, "redirect", user.Utility)
			folder := strings.TrimSuffix(strings.TrimSuffix(r.URL.Path, "index.html"), "/")
			http.Redirect(w, r, folder+"/"+user.Utility+".html", http.StatusFound)
			return false
		}
		granted = n.utility == user.Utility
	}
	if !granted {
		a.Log.Warn("access refused", "user", user.Name, "audience", user.Audience, "utility", user.Utility, "path", r.URL.Path, "client", a.client(r), "reason", "another audience's or utility's file")
		http.Error(w, "无权访问：此文件不属于您的账户范围。", http.StatusForbidden)
		return false
	}
	a.Log.Info("access granted", "user", user.Name, "audience", user.Audience, "utility", user.Utility, "path", r.URL.Path)
	return true
}

// authenticate returns the user whose credentials the request carries, or answers
// it: 403 when no accounts exist, 429 while the client is locked out, else 401.
func (a *Access) authenticate(w http.ResponseWriter, r *http.Request) (User, bool) {
	client := a.client(r)
	refuse := func(status int, reason, user string) {
		level := slog.LevelWarn
		if status == http.StatusUnauthorized && user == "" {
			level = slog.LevelInfo // a browser's first request carries no credentials
		}
		a.Log.Log(r.Context(), level, "access refused", "user", user, "path", r.URL.Path, "client", client, "reason", reason)
		switch status {
		case http.StatusUnauthorized:
			w.Header().Set("WWW-Authenticate", `Basic realm="utilscore", charset="UTF-8"`)
			http.Error(w, "需要登录：请使用内部账户访问。", status)
		case http.StatusTooManyRequests:
			http.Error(w, "登录失败次数过多，请稍后再试。", status)
		default:
			http.Error(w, "内部版本未开放：尚未配置任何账户。", status)
		}
	}
	if n, err := a.Accounts.Status(); n == 0 {
		reason := "no accounts are configured"
		if err != nil {
			reason = "the users file cannot be read: " + err.Error()
		}
		refuse(http.StatusForbidden, reason, "")
		return User{}, false
	}
	if wait := a.limit.wait(client); wait > 0 {
		w.Header().Set("Retry-After", strconv.Itoa(int(wait.Round(time.Second)/time.Second)+1))
		name, _, _ := r.BasicAuth()
		refuse(http.StatusTooManyRequests, fmt.Sprintf("more than %d failed logins in %s", maxFailedLogins, failedLoginWindow), name)
		return User{}, false
	}
	name, password, ok := r.BasicAuth()
	if !ok {
		refuse(http.StatusUnauthorized, "no credentials", "")
		return User{}, false
	}
	user, ok := a.Accounts.Check(name, password)
	if !ok {
		a.limit.fail(client)
		refuse(http.StatusUnauthorized, "wrong name or password", name)
		return User{}, false
	}
	a.limit.clear(client)
	return user, true
}

// client is the address a request came from: the connection's, or the last
// X-Forwarded-For entry when the connection comes from a trusted reverse proxy.
func (a *Access) client(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		host = r.RemoteAddr
	}
	if fwd := r.Header.Values("X-Forwarded-For"); len(fwd) > 0 && slices.Contains(a.TrustedProxies, host) {
		parts := strings.Split(fwd[len(fwd)-1], ",")
		if ip := net.ParseIP(strings.TrimSpace(parts[len(parts)-1])); ip != nil {
			return ip.String()
		}
	}
	return host
}
