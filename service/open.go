package service

import (
	"errors"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"

	"golang.org/x/sys/unix"
)

// errNotServed is every reason a path serves nothing: the client learns no more.
var errNotServed = errors.New("not served")

// requestPath splits a URL path into its components: cleaned, with no empty, hidden
// (.tmp-*, .building-*) or NUL-holding component.
func requestPath(name string) ([]string, error) {
	name = strings.TrimPrefix(path.Clean("/"+name), "/")
	if name == "" {
		return nil, nil
	}
	elems := strings.Split(name, "/")
	for _, e := range elems {
		if e == "" || strings.HasPrefix(e, ".") || strings.ContainsRune(e, 0) {
			return nil, errNotServed
		}
	}
	return elems, nil
}

// currentSite is the name of the build current points to. current is the one
// symbolic link the server honours, and only by reading it: its text must be
// sites/<name>, which is then opened like any archived build, so a link planted in
// its place leads nowhere else.
func currentSite(output string) (string, error) {
	target, err := os.Readlink(filepath.Join(output, currentDir))
	if err != nil {
		return "", err
	}
	dir, name := filepath.Split(target)
	if filepath.Clean(dir) != sitesDir || !siteName.MatchString(name) {
		return "", errNotServed
	}
	return name, nil
}

// openBelow opens the file at dir/elems[0]/elems[1]/…, one component at a time with
// O_NOFOLLOW, so a symbolic link at any level (a site, a folder, the file) ends the
// walk instead of being followed. Only dir itself, the configured output folder, is
// opened by its path. A folder serves its index.html; anything but a regular file or
// a folder (a FIFO, a device) serves nothing.
func openBelow(dir string, elems []string) (*os.File, error) {
	fd, err := unix.Open(dir, unix.O_RDONLY|unix.O_DIRECTORY|unix.O_CLOEXEC, 0)
	if err != nil {
		return nil, err
	}
	elems = slices.Clone(elems)
	index := false
	for i := 0; ; i++ {
		var st unix.Stat_t
		if err := unix.Fstat(fd, &st); err != nil {
			unix.Close(fd)
			return nil, err
		}
		kind := st.Mode & unix.S_IFMT
		switch {
		case kind == unix.S_IFREG && i == len(elems):
			return os.NewFile(uintptr(fd), path.Join(append([]string{dir}, elems...)...)), nil
		case kind == unix.S_IFDIR && i == len(elems) && !index:
			index, elems = true, append(elems, "index.html")
		case kind != unix.S_IFDIR || i == len(elems):
			unix.Close(fd)
			return nil, errNotServed
		}
		// O_NONBLOCK: opening a FIFO must not wait for a writer.
		next, err := unix.Openat(fd, elems[i], unix.O_RDONLY|unix.O_CLOEXEC|unix.O_NOFOLLOW|unix.O_NONBLOCK, 0)
		unix.Close(fd)
		if err != nil {
			return nil, err // ELOOP for a symbolic link
		}
		fd = next
	}
}
