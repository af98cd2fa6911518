package service

import (
	"bytes"
	"crypto/rand"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"time"
	"unicode"

	"golang.org/x/crypto/bcrypt"
	"gopkg.in/yaml.v3"

	"github.com/utilscore/utilscore/reports"
)

// User is an account that may read one audience's internal build (for the utility
// audience, one utility's files).
type User struct {
	Name     string `yaml:"name"`
	Audience string `yaml:"audience"`
	Utility  string `yaml:"utility,omitempty"`
	Hash     string `yaml:"hash"` // bcrypt
}

type usersFile struct {
	Users []User `yaml:"users"`
}

const usersHeader = "# utilscore accounts for the internal builds, written by `utilscore user add`.\n# Passwords are stored as bcrypt hashes.\n"

// CheckUser refuses an account no build could serve: the audience must be an
// internal one, and a utility user must name a utility (the lists are the reports').
func CheckUser(u User) error {
	if u.Name == "" || strings.ContainsFunc(u.Name, func(r rune) bool { return r == ':' || unicode.IsSpace(r) || unicode.IsControl(r) }) {
		return fmt.Errorf("user name %q: must be non-empty, without spaces or ':'", u.Name)
	}
	if u.Audience == reports.Public {
		return fmt.Errorf("user %s: the public build is open to all and needs no account", u.Name)
	}
	if _, ok := reports.AudienceZH[u.Audience]; !ok {
		return fmt.Errorf("user %s: unknown audience %q (%s)", u.Name, u.Audience, internalAudiences())
	}
	if u.Audience == reports.Utility {
		if _, ok := reports.UtilityZH[u.Utility]; !ok || u.Utility == "" {
			return fmt.Errorf("user %s: the utility audience needs a known utility, not %q (%s)", u.Name, u.Utility, knownUtilities())
		}
	} else if u.Utility != "" {
		return fmt.Errorf("user %s: only the utility audience names a utility", u.Name)
	}
	return nil
}

func internalAudiences() string {
	var out []string
	for a := range reports.AudienceZH {
		if a != reports.Public {
			out = append(out, a)
		}
	}
	slices.Sort(out)
	return strings.Join(out, ", ")
}

func knownUtilities() string {
	var out []string
	for u := range reports.UtilityZH {
		if u != "" {
			out = append(out, u)
		}
	}
	slices.Sort(out)
	return strings.Join(out, ", ")
}

// readUsers reads a users file; a file that does not exist holds no users.
func readUsers(path string) ([]User, error) {
	data, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	var f usersFile
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	if err := dec.Decode(&f); err != nil && err.Error() != "EOF" {
		return nil, fmt.Errorf("users file %s: %w", path, err)
	}
	seen := map[string]bool{}
	for i, u := range f.Users {
		if err := CheckUser(u); err != nil {
			return nil, fmt.Errorf("users file %s, entry %d: %w", path, i+1, err)
		}
		if _, err := bcrypt.Cost([]byte(u.Hash)); err != nil {
			return nil, fmt.Errorf("users file %s, user %s: the hash is not bcrypt", path, u.Name)
		}
		if seen[u.Name] {
			return nil, fmt.Errorf("users file %s: user %s is listed twice", path, u.Name)
		}
		seen[u.Name] = true
	}
	return f.Users, nil
}

// AddUser adds an account to the users file, or replaces the one of that name, and
// tells which. The file is rewritten through a rename and readable by its owner only.
func AddUser(path string, u User, password []byte) (replaced bool, err error) {
	if err := CheckUser(u); err != nil {
		return false, err
	}
	if len(password) < 8 {
		return false, errors.New("the password must have at least 8 characters")
	}
	if len(password) > 72 {
		return false, errors.New("the password must have at most 72 bytes (bcrypt reads no more)")
	}
	hash, err := bcrypt.GenerateFromPassword(password, bcrypt.DefaultCost)
	if err != nil {
		return false, err
	}
	u.Hash = string(hash)
	users, err := readUsers(path)
	if err != nil {
		return false, err
	}
	if i := slices.IndexFunc(users, func(x User) bool { return x.Name == u.Name }); i >= 0 {
		users[i], replaced = u, true
	} else {
		users = append(users, u)
	}
	data, err := yaml.Marshal(usersFile{users})
	if err != nil {
		return false, err
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), ".users-*") // 0600
	if err != nil {
		return false, err
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.Write(append([]byte(usersHeader), data...)); err != nil {
		tmp.Close()
		return false, err
	}
	if err := tmp.Close(); err != nil {
		return false, err
	}
	return replaced, os.Rename(tmp.Name(), path)
}

// Accounts checks credentials against the users file, read again whenever it
// changes, so `utilscore user add` takes effect without a restart. A file that
// cannot be read holds no users: nothing internal is served until it is fixed.
type Accounts struct {
	path    string
	mu      sync.Mutex
	stamp   string // size and modification time of the file last read
	users   map[string]User
	dummy   []byte // hash compared for an unknown name, so it takes as long as a known one
	loadErr error
}

// NewAccounts reads the users file at path ("" = no users).
func NewAccounts(path string) *Accounts {
	a := &Accounts{path: path}
	a.reload()
	return a
}

func (a *Accounts) reload() {
	if a.path == "" {
		return
	}
	info, err := os.Stat(a.path)
	stamp := "none"
	if err == nil {
		stamp = fmt.Sprint(info.Size(), info.ModTime().UnixNano())
	}
	if stamp == a.stamp {
		return
	}
	a.stamp = stamp
	users, err := readUsers(a.path)
	a.users, a.loadErr = map[string]User{}, err
	cost := bcrypt.DefaultCost
	for _, u := range users {
		a.users[u.Name] = u
		cost, _ = bcrypt.Cost([]byte(u.Hash))
	}
	a.dummy, _ = bcrypt.GenerateFromPassword([]byte(rand.Text()), cost)
}

// Status says how many users there are, or why none could be read.
func (a *Accounts) Status() (int, error) {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.reload()
	return len(a.users), a.loadErr
}

// Check returns the user the credentials name when the password is theirs. An
// unknown name costs one bcrypt comparison too, so timing does not tell which names
// exist.
func (a *Accounts) Check(name, password string) (User, bool) {
	a.mu.Lock()
	a.reload()
	u, known := a.users[name]
	dummy := a.dummy
	a.mu.Unlock()
	hash := []byte(u.Hash)
	if !known {
		hash = dummy
	}
	ok := bcrypt.CompareHashAndPassword(hash, []byte(password)) == nil
	return u, ok && known
}

// attemptLimit counts failed logins per client: past max failures within window, a
// client is refused, right password or not, until its oldest failure is that old.
type attemptLimit struct {
	max      int
	window   time.Duration
	now      func() time.Time
	mu       sync.Mutex
	failures map[string][]time.Time
}

// Failed logins allowed per client in a window.
const (
	maxFailedLogins   = 5
	failedLoginWindow = 15 * time.Minute
	maxTrackedClients = 100_000 // bounds the memory a flood of addresses can take
)

func newAttemptLimit() *attemptLimit {
	return &attemptLimit{max: maxFailedLogins, window: failedLoginWindow, now: time.Now, failures: map[string][]time.Time{}}
}

// recent drops a client's failures older than the window; mu is held.
func (l *attemptLimit) recent(client string, now time.Time) []time.Time {
	f := l.failures[client]
	for len(f) > 0 && now.Sub(f[0]) >= l.window {
		f = f[1:]
	}
	if len(f) == 0 {
		delete(l.failures, client)
		return nil
	}
	l.failures[client] = f
	return f
}

// wait is how long the client must wait before its next attempt; 0 = it may try.
func (l *attemptLimit) wait(client string) time.Duration {
	l.mu.Lock()
	defer l.mu.Unlock()
	now := l.now()
	f := l.recent(client, now)
	if len(f) < l.max {
		return 0
	}
	return f[len(f)-l.max].Add(l.window).Sub(now)
}

func (l *attemptLimit) fail(client string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	now := l.now()
	if len(l.failures) >= maxTrackedClients {
		for c := range l.failures {
			l.recent(c, now)
		}
	}
	if len(l.failures) < maxTrackedClients || l.failures[client] != nil {
		l.failures[client] = append(l.recent(client, now), now)
	}
}

func (l *attemptLimit) clear(client string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	delete(l.failures, client)
}
