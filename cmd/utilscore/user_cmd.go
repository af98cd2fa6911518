package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"golang.org/x/term"

	"github.com/utilscore/utilscore/service"
)

const userUsage = `add NAME --audience regulator|office|utility [--utility U] [--config utilscore.yaml]

Adds an account that may read the internal builds the service publishes, to the
users file the config names (http.users), or gives an existing account a new
password and audience. A utility account reads its own utility's files only. The
password is asked twice on a terminal, else read from the first line of stdin; only
its bcrypt hash is kept. The running service reads the file again when it changes.`

// passwordInput is where user add reads the password; tests replace it.
var passwordInput = os.Stdin

func runUser(ctx context.Context, args []string, out, errOut io.Writer) error {
	fs := newFlags("user", userUsage, errOut)
	configPath := fs.String("config", "utilscore.yaml", "config file naming the users file")
	audience := fs.String("audience", "", "regulator, office or utility")
	utility := fs.String("utility", "", "the utility audience: power, water, gas or telecom")
	pos, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 2 || pos[0] != "add" {
		return usagef("write: user add NAME --audience A [--utility U]")
	}
	u := service.User{Name: pos[1], Audience: *audience, Utility: *utility}
	if err := service.CheckUser(u); err != nil {
		return usageError{err.Error()}
	}
	cfg, err := loadServiceConfig(*configPath)
	if err != nil {
		return err
	}
	if cfg.HTTP.Users == "" {
		return errors.New("the config names no users file (http.users)")
	}
	password, err := readPassword(passwordInput, errOut)
	if err != nil {
		return err
	}
	replaced, err := service.AddUser(cfg.HTTP.Users, u, password)
	if err != nil {
		return fmt.Errorf("%s: %w", cfg.HTTP.Users, err)
	}
	verb := "added"
	if replaced {
		verb = "updated"
	}
	where, _ := filepath.Abs(cfg.HTTP.Users) // a relative path is the working folder's: say which
	fmt.Fprintf(out, "%s user %s (%s) in %s\n", verb, u.Name, strings.TrimSpace(u.Audience+" "+u.Utility), where)
	return nil
}

// readPassword asks twice on a terminal; otherwise it reads the first line.
func readPassword(in *os.File, prompt io.Writer) ([]byte, error) {
	if term.IsTerminal(int(in.Fd())) {
		fmt.Fprint(prompt, "Password: ")
		first, err := term.ReadPassword(int(in.Fd()))
		fmt.Fprintln(prompt)
		if err != nil {
			return nil, err
		}
		fmt.Fprint(prompt, "Again: ")
		second, err := term.ReadPassword(int(in.Fd()))
		fmt.Fprintln(prompt)
		if err != nil {
			return nil, err
		}
		if string(first) != string(second) {
			return nil, errors.New("the passwords differ")
		}
		return first, nil
	}
	line, err := bufio.NewReader(in).ReadString('\n')
	if err != nil && !errors.Is(err, io.EOF) {
		return nil, fmt.Errorf("reading the password from stdin: %w", err)
	}
	line = strings.TrimRight(line, "\r\n")
	if line == "" {
		return nil, errors.New("no password on stdin")
	}
	return []byte(line), nil
}
