// Package service runs utilscore as a service: it publishes each quarter's site
// atomically and serves the published folders read-only over HTTP.
package service

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"time"
)

// Layout of the output folder: every published build in sites/<name>, and current, a
// symbolic link to the build being served.
const (
	sitesDir   = "sites"
	currentDir = "current"
)

var siteName = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._-]*$`)

// Publish builds a site into a fresh folder and then switches current to it in one
// rename, so a reader sees the old site or the new one, never half of one. build
// writes the site's files into the folder it is given; they are published 0644 and
// their folders 0755, under the umask, so a separate web server can read them.
func Publish(output, label string, build func(dir string) error) (string, error) {
	name := label + "-" + time.Now().UTC().Format("20060102T150405.000000000Z")
	if !siteName.MatchString(name) {
		return "", fmt.Errorf("publish: %q is not a usable folder name", name)
	}
	sites := filepath.Join(output, sitesDir)
	if err := os.MkdirAll(sites, publishedFolder); err != nil {
		return "", err
	}
	umask, err := umaskIn(sites)
	if err != nil {
		return "", err
	}
	tmp, err := os.MkdirTemp(sites, ".building-")
	if err != nil {
		return "", err
	}
	if err := build(tmp); err != nil {
		os.RemoveAll(tmp)
		return "", fmt.Errorf("publish %s: %w", label, err)
	}
	if err := makeReadable(tmp, umask); err != nil {
		os.RemoveAll(tmp)
		return "", fmt.Errorf("publish %s: %w", label, err)
	}
	final := filepath.Join(sites, name)
	if err := os.Rename(tmp, final); err != nil {
		os.RemoveAll(tmp)
		return "", err
	}
	// A new link beside the old one, renamed over it: rename is atomic.
	link := filepath.Join(output, ".current-"+name)
	if err := os.Symlink(filepath.Join(sitesDir, name), link); err != nil {
		return "", err
	}
	if err := os.Rename(link, filepath.Join(output, currentDir)); err != nil {
		os.Remove(link)
		return "", err
	}
	return final, nil
}
