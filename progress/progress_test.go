package progress

import (
	"bytes"
	"log/slog"
	"regexp"
	"strings"
	"testing"
)

// calls are the steps a load and a workbook report: a step reported again (the bytes
// of a file being hashed) is said once; after Done, a step is said again.
var calls = []struct {
	item, step  string
	done, total int64
}{
	{"cases.csv", "hashing", 10, 100}, {"cases.csv", "hashing", 100, 100}, {"cases.csv", "reading", 0, 0},
	{"监管部门版", "总览", 0, 0}, {"监管部门版", "超期工单", 5, 20}, {"监管部门版", "超期工单", 20, 20},
}

func report(r *Reporter) {
	for _, c := range calls {
		r.Step(c.item, c.step, c.done, c.total)
	}
	r.Done()
	r.Step("监管部门版", "超期工单", 0, 0)
}

func TestLinesOffATerminal(t *testing.T) {
	var out bytes.Buffer
	report(New(&out))
	got := regexp.MustCompile(`(?m)^\d\d:\d\d:\d\d `).ReplaceAllString(out.String(), "")
	want := "cases.csv: hashing\ncases.csv: reading\n监管部门版: 总览\n监管部门版: 超期工单\n监管部门版: 超期工单\n"
	if got != want {
		t.Errorf("lines:\n%s\nwant:\n%s", got, want)
	}
}

func TestLogRecords(t *testing.T) {
	var out bytes.Buffer
	report(Log(slog.New(slog.NewTextHandler(&out, &slog.HandlerOptions{
		ReplaceAttr: func(_ []string, a slog.Attr) slog.Attr {
			if a.Key == slog.TimeKey {
				return slog.Attr{}
			}
			return a
		}})).With("job", "quarterly")))
	want := []string{
		"level=INFO msg=progress job=quarterly item=cases.csv step=hashing",
		"level=INFO msg=progress job=quarterly item=cases.csv step=reading",
		"level=INFO msg=progress job=quarterly item=监管部门版 step=总览",
		"level=INFO msg=progress job=quarterly item=监管部门版 step=超期工单",
		"level=INFO msg=progress job=quarterly item=监管部门版 step=超期工单",
	}
	if got := strings.Split(strings.TrimSpace(out.String()), "\n"); strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("records:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}
