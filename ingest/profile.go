package ingest

import (
	"bytes"
	_ "embed"
	"fmt"
	"os"
	"strings"

	"golang.org/x/text/width"
	"gopkg.in/yaml.v3"
)

//go:embed profiles/zh-cn.yaml
var builtinProfileYAML []byte

// MappingProfile says how a utility's export maps onto the canonical columns: source
// headers to canonical names, source codes to canonical codes, columns the export
// lacks but whose value is fixed, and which sheet of a workbook holds the rows.
type MappingProfile struct {
	Name      string                       `yaml:"name"`
	Kind      string                       `yaml:"kind"`
	Sheet     string                       `yaml:"sheet"`
	Encoding  string                       `yaml:"encoding"`
	Headers   map[string]string            `yaml:"headers"`
	Codes     map[string]map[string]string `yaml:"codes"`
	Constants map[string]string            `yaml:"constants"`
}

// BuiltinProfile returns the profile for the Chinese headers and codes of the spec.
func BuiltinProfile() *MappingProfile {
	p, err := parseProfile(builtinProfileYAML, "built-in zh-cn")
	if err != nil {
		panic(err) // the embedded file is tested
	}
	return p
}

// LoadProfile reads a user mapping profile and layers it over the built-in one.
func LoadProfile(path string) (*MappingProfile, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("mapping profile: %w", err)
	}
	user, err := parseProfile(data, path)
	if err != nil {
		return nil, err
	}
	return BuiltinProfile().With(user), nil
}

func parseProfile(data []byte, name string) (*MappingProfile, error) {
	var p MappingProfile
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	if err := dec.Decode(&p); err != nil {
		return nil, fmt.Errorf("mapping profile %s: %w", name, err)
	}
	if p.Name == "" {
		p.Name = name
	}
	return &p, nil
}

// With returns a profile holding p's entries with over's on top.
func (p *MappingProfile) With(over *MappingProfile) *MappingProfile {
	out := &MappingProfile{
		Name:      over.Name,
		Kind:      firstNonEmpty(over.Kind, p.Kind),
		Sheet:     firstNonEmpty(over.Sheet, p.Sheet),
		Encoding:  firstNonEmpty(over.Encoding, p.Encoding),
		Headers:   map[string]string{},
		Codes:     map[string]map[string]string{},
		Constants: map[string]string{},
	}
	for _, src := range []*MappingProfile{p, over} {
		for k, v := range src.Headers {
			out.Headers[k] = v
		}
		for col, m := range src.Codes {
			if out.Codes[col] == nil {
				out.Codes[col] = map[string]string{}
			}
			for k, v := range m {
				out.Codes[col][k] = v
			}
		}
		for k, v := range src.Constants {
			out.Constants[k] = v
		}
	}
	return out
}

func firstNonEmpty(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

// normalizeHeader folds the differences header matching ignores: case, surrounding
// spaces, full-width versus half-width characters and a byte-order mark.
func normalizeHeader(h string) string {
	h = strings.TrimPrefix(h, "\ufeff")
	h = width.Fold.String(h)
	return strings.ToLower(strings.TrimSpace(h))
}

// canonicalColumn returns the canonical column a source header names, if any.
func (p *MappingProfile) canonicalColumn(header string, known map[string]bool) (string, bool) {
	n := normalizeHeader(header)
	if known[n] {
		return n, true
	}
	for alias, canonical := range p.Headers {
		if normalizeHeader(alias) == n {
			return canonical, true
		}
	}
	return "", false
}
