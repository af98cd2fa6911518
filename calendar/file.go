package calendar

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"time"
)

// ParseEntries reads a calendar file: a header line date,is_workday,note and one line
// per day. name is used in error messages.
func ParseEntries(r io.Reader, name string) ([]Entry, error) {
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = -1
	cr.Comment = '#'
	header, err := cr.Read()
	if err != nil {
		return nil, fmt.Errorf("calendar file %s: cannot read the header: %w", name, err)
	}
	if len(header) < 2 || strings.TrimSpace(strings.TrimPrefix(header[0], "\ufeff")) != "date" || strings.TrimSpace(header[1]) != "is_workday" {
		return nil, fmt.Errorf("calendar file %s line 1: the header must be date,is_workday,note", name)
	}
	var entries []Entry
	for {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			return entries, nil
		}
		if err != nil {
			return nil, fmt.Errorf("calendar file %s: %w", name, err)
		}
		line, _ := cr.FieldPos(0)
		if len(rec) < 2 {
			return nil, fmt.Errorf("calendar file %s line %d: expected date,is_workday,note", name, line)
		}
		date, err := time.Parse("2006-01-02", strings.TrimSpace(rec[0]))
		if err != nil {
			return nil, fmt.Errorf("calendar file %s line %d, column date: %q is not a date like 2024-10-12", name, line, rec[0])
		}
		var workday bool
		switch strings.ToLower(strings.TrimSpace(rec[1])) {
		case "true", "1", "yes", "是":
			workday = true
		case "false", "0", "no", "否":
		default:
			return nil, fmt.Errorf("calendar file %s line %d, column is_workday: %q is not true or false", name, line, rec[1])
		}
		e := Entry{Date: date, IsWorkday: workday}
		if len(rec) > 2 {
			e.Note = strings.TrimSpace(rec[2])
		}
		entries = append(entries, e)
	}
}

// LoadFile builds the calendar with the overrides of a user file; an empty path gives
// the built-in calendar.
func LoadFile(loc *time.Location, path string) (*Calendar, error) {
	if path == "" {
		return BuiltIn(loc)
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("calendar file: %w", err)
	}
	defer f.Close()
	entries, err := ParseEntries(f, path)
	if err != nil {
		return nil, err
	}
	return New(loc, entries)
}
