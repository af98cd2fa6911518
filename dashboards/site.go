// Package dashboards writes the quarter's static chart pages (spec/outputs.md): an
// index page and a page per utility, drawn with go-echarts. The ECharts script ships
// inside the binary and is copied into the folder, so the pages work opened from disk
// or from any static server, with no network.
package dashboards

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"

	"github.com/utilscore/utilscore/domain"
	"github.com/utilscore/utilscore/metrics"
	"github.com/utilscore/utilscore/outfile"
	"github.com/utilscore/utilscore/reports"
)

var (
	utilities = domain.Utilities
	utilityZH = domain.UtilityZH
)

// Write writes the site of one audience into dir and returns the paths of its pages.
// Workbooks already in dir (*.xlsx) are linked from the index page.
func Write(dir, audience string, d *reports.Data) ([]string, error) {
	if err := os.MkdirAll(filepath.Join(dir, "assets"), outfile.DirMode); err != nil {
		return nil, err
	}
	for _, a := range assets {
		if err := outfile.WriteFile(filepath.Join(dir, "assets", a.name), a.data); err != nil {
			return nil, err
		}
	}
	s := &site{d: d, audience: audience}
	var err error
	if s.missed, err = collectMissed(d, audience); err != nil {
		return nil, err
	}
	if audience == reports.Public {
		s.pub, s.pubOf = d.Public(), map[*metrics.Row]*reports.Suppression{}
	}
	workbooks, _ := filepath.Glob(filepath.Join(dir, "*.xlsx"))
	sort.Strings(workbooks)
	for _, w := range workbooks {
		s.workbooks = append(s.workbooks, filepath.Base(w))
	}
	pages := []struct {
		name  string
		build func() page
	}{{"index.html", s.index}}
	for _, u := range utilities {
		u := u
		pages = append(pages, struct {
			name  string
			build func() page
		}{u + ".html", func() page { return s.utilityPage(u) }})
	}
	var paths []string
	for _, p := range pages {
		path := filepath.Join(dir, p.name)
		if err := outfile.Write(path, func(w io.Writer) error { return writePage(w, p.build()) }); err != nil {
			return paths, fmt.Errorf("%s: %w", p.name, err)
		}
		paths = append(paths, path)
	}
	return paths, nil
}

type site struct {
	d         *reports.Data
	audience  string
	workbooks []string
	missed    map[string][]missedTarget             // by utility; "" across utilities
	pub       *reports.Suppression                  // the public's, nil for internal audiences
	pubOf     map[*metrics.Row]*reports.Suppression // other periods' rows, by their first
}

// page is what the page template fills in.
type page struct {
	Title, Subtitle string
	Nav             []link
	Tables          []table
	Charts          []chartBlock
	Missed          []table // the missed targets and their breakdowns, after the charts
	Workbooks       []string
	Notes           []string
}

type link struct{ Href, Label string }

type table struct {
	ID      string // the section's anchor, when a link points at it
	Caption string
	Header  []string
	Rows    [][]cell
}

type cell struct {
	Text, Class string
	Href        string // a link within the site
}

func (s *site) nav() []link {
	nav := []link{{"index.html", "总览"}}
	for _, u := range utilities {
		nav = append(nav, link{u + ".html", utilityZH[u]})
	}
	return nav
}

func (s *site) subtitle() string {
	asOf := "—"
	if at, _ := s.d.CutoffOf(""); !at.IsZero() {
		asOf = at.In(s.d.Period.Start.Location()).Format("2006-01-02 15:04")
	}
	return fmt.Sprintf("统计周期 %s 至 %s · 数据截至 %s · 依据《%s》 · %s", s.d.Period.Start.Format("2006-01-02"),
		s.d.Period.End.AddDate(0, 0, -1).Format("2006-01-02"), asOf, s.d.Profile.ShortTitle(), domain.AudienceZH[s.audience])
}

// suppressed: the public site holds the public workbook's rule, on the rows of the
// period or of another (the trend's), each by its own period's suppression.
func (s *site) suppressed(rows []metrics.Row, r metrics.Row) bool {
	if s.pub == nil || len(rows) == 0 {
		return false
	}
	if len(s.d.Rows) > 0 && &rows[0] == &s.d.Rows[0] {
		return s.pub.Hidden(r)
	}
	pub, ok := s.pubOf[&rows[0]]
	if !ok {
		pub = s.d.PublicOf(rows)
		s.pubOf[&rows[0]] = pub
	}
	return pub.Hidden(r)
}

// value is a figure for a chart: nil when missing or suppressed.
func (s *site) value(rows []metrics.Row, metric, statistic, utility, class, district, area string) any {
	v, _ := s.figure(rows, metric, statistic, utility, class, district, area)
	return v
}

// figure is a figure for a chart (nil when missing or suppressed) and whether the
// public may not see it.
func (s *site) figure(rows []metrics.Row, metric, statistic, utility, class, district, area string) (any, bool) {
	r, ok := reports.GeneralRow(rows, metric, statistic, utility, class, district, area)
	if !ok {
		return nil, false
	}
	if s.suppressed(rows, r) {
		return nil, true
	}
	if r.Value == nil {
		return nil, false
	}
	return round(*r.Value, 4), false
}

func round(x float64, places int) float64 {
	p := 1.0
	for i := 0; i < places; i++ {
		p *= 10
	}
	if x < 0 {
		return -float64(int64(-x*p+0.5)) / p
	}
	return float64(int64(x*p+0.5)) / p
}
