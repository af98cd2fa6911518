package service

import (
	"bytes"
	_ "embed"
	"errors"
	"fmt"
	"maps"
	"net"
	"os"
	"slices"
	"strings"
	"time"

	"github.com/robfig/cron/v3"
	"gopkg.in/yaml.v3"

	"github.com/utilscore/utilscore/ingest"
	"github.com/utilscore/utilscore/policy"
	"github.com/utilscore/utilscore/reports"
)

//go:embed utilscore.example.yaml
var ExampleConfig []byte

// Config is utilscore.yaml: where things are, what to publish and when.
type Config struct {
	Database  string   `yaml:"database"`
	Inbox     string   `yaml:"inbox"`
	Output    string   `yaml:"output"`
	Profile   string   `yaml:"profile"`
	Audiences []string `yaml:"audiences"`
	TimeZone  string   `yaml:"time_zone"`
	Calendar  string   `yaml:"calendar"`
	// MemoryLimit bounds DuckDB's memory ("1GB"; empty: 80% of the machine's).
	MemoryLimit string `yaml:"memory_limit"`
	Schedule    struct {
		Nightly   string `yaml:"nightly"`
		Quarterly string `yaml:"quarterly"`
	} `yaml:"schedule"`
	// Mappings read each utility's own export format: an inbox subfolder → the mapping
	// profile its files are read with.
	Mappings map[string]string `yaml:"mappings"`
	HTTP     struct {
		Address        string   `yaml:"address"`
		Users          string   `yaml:"users"`
		TrustedProxies []string `yaml:"trusted_proxies"`
	} `yaml:"http"`
}

// envOverrides are the environment variables that override the file, each with the
// key it overrides (a value refused is reported by the variable's name).
var envOverrides = []struct {
	env, key string
	field    func(*Config) *string
}{
	{"UTILSCORE_DATABASE", "database", func(c *Config) *string { return &c.Database }},
	{"UTILSCORE_INBOX", "inbox", func(c *Config) *string { return &c.Inbox }},
	{"UTILSCORE_OUTPUT", "output", func(c *Config) *string { return &c.Output }},
	{"UTILSCORE_PROFILE", "profile", func(c *Config) *string { return &c.Profile }},
	{"UTILSCORE_TIME_ZONE", "time_zone", func(c *Config) *string { return &c.TimeZone }},
	{"UTILSCORE_CALENDAR", "calendar", func(c *Config) *string { return &c.Calendar }},
	{"UTILSCORE_MEMORY_LIMIT", "memory_limit", func(c *Config) *string { return &c.MemoryLimit }},
	{"UTILSCORE_SCHEDULE_NIGHTLY", "schedule.nightly", func(c *Config) *string { return &c.Schedule.Nightly }},
	{"UTILSCORE_SCHEDULE_QUARTERLY", "schedule.quarterly", func(c *Config) *string { return &c.Schedule.Quarterly }},
	{"UTILSCORE_HTTP_ADDRESS", "http.address", func(c *Config) *string { return &c.HTTP.Address }},
	{"UTILSCORE_HTTP_USERS", "http.users", func(c *Config) *string { return &c.HTTP.Users }},
}

// keyError is a refused value, by the config key that holds it.
type keyError struct {
	key string
	err error
}

func (e keyError) Error() string { return e.key + ": " + e.err.Error() }

func keyErrorf(key, format string, a ...any) error {
	return keyError{key, fmt.Errorf(format, a...)}
}

// cronParser reads five-field specs, or six with seconds first (for tests).
var cronParser = cron.NewParser(cron.SecondOptional | cron.Minute | cron.Hour | cron.Dom | cron.Month | cron.Dow | cron.Descriptor)

// LoadConfig reads a config file (missing keys take the defaults of the example),
// applies the environment and checks every value; an error names the key.
func LoadConfig(path string, env func(string) string) (*Config, error) {
	var c Config
	if err := decodeConfig(ExampleConfig, &c); err != nil {
		return nil, fmt.Errorf("the built-in example config: %w", err)
	}
	if path != "" {
		data, err := os.ReadFile(path)
		if err != nil {
			return nil, fmt.Errorf("config: %w", err)
		}
		if err := decodeConfig(data, &c); err != nil {
			return nil, fmt.Errorf("config %s: %w", path, err)
		}
	}
	fromEnv := map[string]string{} // key → variable
	for _, o := range envOverrides {
		if v := env(o.env); v != "" {
			*o.field(&c) = v
			fromEnv[o.key] = o.env
		}
	}
	if v := env("UTILSCORE_AUDIENCES"); v != "" {
		c.Audiences = strings.Split(v, ",")
		fromEnv["audiences"] = "UTILSCORE_AUDIENCES"
	}
	if err := c.check(); err != nil {
		var ke keyError
		if errors.As(err, &ke) && fromEnv[ke.key] != "" {
			return nil, fmt.Errorf("environment %s: %w", fromEnv[ke.key], ke.err)
		}
		if path == "" {
			return nil, fmt.Errorf("config (built-in defaults): %w", err)
		}
		return nil, fmt.Errorf("config %s: %w", path, err)
	}
	return &c, nil
}

func decodeConfig(data []byte, c *Config) error {
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	if err := dec.Decode(c); err != nil && err.Error() != "EOF" {
		return err
	}
	return nil
}

func (c *Config) check() error {
	for _, f := range []struct{ key, value string }{{"database", c.Database}, {"inbox", c.Inbox}, {"output", c.Output}, {"profile", c.Profile}} {
		if strings.TrimSpace(f.value) == "" {
			return keyErrorf(f.key, "must be set")
		}
	}
	if _, err := time.LoadLocation(c.TimeZone); err != nil {
		return keyErrorf("time_zone", "%q is not a time zone (e.g. Asia/Shanghai)", c.TimeZone)
	}
	if _, err := policy.Load(c.Profile); err != nil {
		return keyError{"profile", err}
	}
	if len(c.Audiences) == 0 {
		return keyErrorf("audiences", "name at least one of %s", audienceNames())
	}
	for _, a := range c.Audiences {
		if _, ok := reports.AudienceZH[a]; !ok {
			return keyErrorf("audiences", "%q is not an audience (%s)", a, audienceNames())
		}
	}
	for _, f := range []struct{ key, spec string }{{"schedule.nightly", c.Schedule.Nightly}, {"schedule.quarterly", c.Schedule.Quarterly}} {
		if _, err := cronParser.Parse(f.spec); err != nil {
			return keyErrorf(f.key, "%q is not a cron schedule (minute hour day month weekday): %v", f.spec, err)
		}
	}
	if _, _, err := net.SplitHostPort(c.HTTP.Address); err != nil {
		return keyErrorf("http.address", "%q is not host:port (e.g. 127.0.0.1:8080)", c.HTTP.Address)
	}
	for _, folder := range slices.Sorted(maps.Keys(c.Mappings)) {
		key := "mappings." + folder
		if !siteName.MatchString(folder) || folder == ingest.ProcessedDir || folder == ingest.QuarantineDir {
			return keyErrorf(key, "%q is not a subfolder name of the inbox (letters, digits, '.', '_', '-'; not processed or quarantine)", folder)
		}
		if _, err := ingest.LoadProfile(c.Mappings[folder]); err != nil {
			return keyError{key, err}
		}
	}
	for _, p := range c.HTTP.TrustedProxies {
		if net.ParseIP(p) == nil {
			return keyErrorf("http.trusted_proxies", "%q is not an IP address", p)
		}
	}
	return nil
}

// audienceNames lists the audiences the reports know.
func audienceNames() string {
	names := slices.Sorted(maps.Keys(reports.AudienceZH))
	return strings.Join(names, ", ")
}

// Location is the configured time zone.
func (c *Config) Location() *time.Location {
	loc, _ := time.LoadLocation(c.TimeZone)
	return loc
}
