package service

import (
	"bytes"
	_ "embed"
	"fmt"
	"net"
	"os"
	"slices"
	"strings"
	"time"

	"github.com/robfig/cron/v3"
	"gopkg.in/yaml.v3"

	"github.com/utilscore/utilscore/policy"
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
	Schedule  struct {
		Nightly   string `yaml:"nightly"`
		Quarterly string `yaml:"quarterly"`
	} `yaml:"schedule"`
	HTTP struct {
		Address        string   `yaml:"address"`
		Users          string   `yaml:"users"`
		TrustedProxies []string `yaml:"trusted_proxies"`
	} `yaml:"http"`
}

// envOverrides name the environment variables that override the file.
var envOverrides = map[string]func(*Config) *string{
	"UTILSCORE_DATABASE":           func(c *Config) *string { return &c.Database },
	"UTILSCORE_INBOX":              func(c *Config) *string { return &c.Inbox },
	"UTILSCORE_OUTPUT":             func(c *Config) *string { return &c.Output },
	"UTILSCORE_PROFILE":            func(c *Config) *string { return &c.Profile },
	"UTILSCORE_TIME_ZONE":          func(c *Config) *string { return &c.TimeZone },
	"UTILSCORE_CALENDAR":           func(c *Config) *string { return &c.Calendar },
	"UTILSCORE_SCHEDULE_NIGHTLY":   func(c *Config) *string { return &c.Schedule.Nightly },
	"UTILSCORE_SCHEDULE_QUARTERLY": func(c *Config) *string { return &c.Schedule.Quarterly },
	"UTILSCORE_HTTP_ADDRESS":       func(c *Config) *string { return &c.HTTP.Address },
	"UTILSCORE_HTTP_USERS":         func(c *Config) *string { return &c.HTTP.Users },
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
	for name, field := range envOverrides {
		if v := env(name); v != "" {
			*field(&c) = v
		}
	}
	if v := env("UTILSCORE_AUDIENCES"); v != "" {
		c.Audiences = strings.Split(v, ",")
	}
	if err := c.check(); err != nil {
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
	for key, v := range map[string]string{"database": c.Database, "inbox": c.Inbox, "output": c.Output, "profile": c.Profile} {
		if strings.TrimSpace(v) == "" {
			return fmt.Errorf("%s: must be set", key)
		}
	}
	if _, err := time.LoadLocation(c.TimeZone); err != nil {
		return fmt.Errorf("time_zone: %q is not a time zone (e.g. Asia/Shanghai)", c.TimeZone)
	}
	if _, err := policy.Load(c.Profile); err != nil {
		return fmt.Errorf("profile: %w", err)
	}
	if len(c.Audiences) == 0 {
		return fmt.Errorf("audiences: name at least one of regulator, utility, office, public")
	}
	for _, a := range c.Audiences {
		if !slices.Contains([]string{"regulator", "utility", "office", "public"}, a) {
			return fmt.Errorf("audiences: %q is not regulator, utility, office or public", a)
		}
	}
	for key, spec := range map[string]string{"schedule.nightly": c.Schedule.Nightly, "schedule.quarterly": c.Schedule.Quarterly} {
		if _, err := cronParser.Parse(spec); err != nil {
			return fmt.Errorf("%s: %q is not a cron schedule (minute hour day month weekday): %v", key, spec, err)
		}
	}
	if _, _, err := net.SplitHostPort(c.HTTP.Address); err != nil {
		return fmt.Errorf("http.address: %q is not host:port (e.g. 127.0.0.1:8080)", c.HTTP.Address)
	}
	for _, p := range c.HTTP.TrustedProxies {
		if net.ParseIP(p) == nil {
			return fmt.Errorf("http.trusted_proxies: %q is not an IP address", p)
		}
	}
	return nil
}

// Location is the configured time zone.
func (c *Config) Location() *time.Location {
	loc, _ := time.LoadLocation(c.TimeZone)
	return loc
}
