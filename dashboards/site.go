// Package dashboards writes the quarter's static chart pages (spec/outputs.md): an
// index page and a page per utility, drawn with go-echarts. The ECharts script ships
// inside the binary and is copied into the folder, so the pages work opened from disk
// or from any static server, with no network.
package dashboards

import (
	_ "embed"
	"fmt"
	"html/template"
	"io"
	"os"
	"path/filepath"
	"sort"

	"github.com/go-echarts/go-echarts/v2/render"

	"github.com/utilscore/utilscore/domain"
	"github.com/utilscore/utilscore/metrics"
	"github.com/utilscore/utilscore/reports"
)

//go:embed assets/echarts.min.js
var echartsJS []byte

// minGroup: the public sees no histogram bin of fewer than five cases.
const minGroup = domain.MinPublicGroup

var utilities = []string{"power", "water", "gas", "telecom"}

var utilityZH = reports.UtilityZH

// Write writes the site of one audience into dir and returns the paths of its pages.
// Workbooks already in dir (*.xlsx) are linked from the index page.
func Write(dir, audience string, d *reports.Data) ([]string, error) {
	if err := os.MkdirAll(filepath.Join(dir, "assets"), 0o755); err != nil {
		return nil, err
	}
	if err := os.WriteFile(filepath.Join(dir, "assets", "echarts.min.js"), echartsJS, 0o644); err != nil {
		return nil, err
	}
	s := &site{d: d, audience: audience}
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
		f, err := os.Create(path)
		if err != nil {
			return paths, err
		}
		err = writePage(f, p.build())
		if cerr := f.Close(); err == nil {
			err = cerr
		}
		if err != nil {
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
}

// page is what the page template fills in.
type page struct {
	Title, Subtitle string
	Nav             []link
	Tables          []table
	Charts          []chartBlock
	Workbooks       []string
	Notes           []string
}

type link struct{ Href, Label string }

type table struct {
	Caption string
	Header  []string
	Rows    [][]cell
}

type cell struct {
	Text, Class string
}

type chartBlock struct {
	Element, Script template.HTML
}

func (s *site) nav() []link {
	nav := []link{{"index.html", "总览"}}
	for _, u := range utilities {
		nav = append(nav, link{u + ".html", utilityZH[u]})
	}
	return nav
}

func (s *site) subtitle() string {
	return fmt.Sprintf("统计周期 %s 至 %s · 政策配置 %s · %s", s.d.Period.Start.Format("2006-01-02"),
		s.d.Period.End.AddDate(0, 0, -1).Format("2006-01-02"), s.d.Profile.ID, reports.AudienceZH[s.audience])
}

// suppressed: the public site holds the public workbook's rule.
func (s *site) suppressed(r metrics.Row) bool {
	return s.audience == reports.Public && s.d.HiddenFromPublic(r)
}

// find returns the general row (not a target's own) of a figure and group.
func (s *site) find(rows []metrics.Row, metric, statistic, utility, class, district, area string) (metrics.Row, bool) {
	for _, r := range rows {
		if r.TargetID == "" && r.MetricID == metric && r.Statistic == statistic && r.Utility == utility &&
			r.CustomerClass == class && r.District == district && r.AreaType == area {
			return r, true
		}
	}
	return metrics.Row{}, false
}

// value is a figure for a chart: nil when missing or suppressed.
func (s *site) value(rows []metrics.Row, metric, statistic, utility, class, district, area string) any {
	r, ok := s.find(rows, metric, statistic, utility, class, district, area)
	if !ok || r.Value == nil || s.suppressed(r) {
		return nil
	}
	return round(*r.Value, 4)
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

func snippet(r interface{ RenderSnippet() render.ChartSnippet }) chartBlock {
	sn := r.RenderSnippet()
	return chartBlock{Element: template.HTML(sn.Element), Script: template.HTML(sn.Script)}
}

var pageTemplate = template.Must(template.New("page").Parse(`<!DOCTYPE html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{.Title}}</title>
<script src="assets/echarts.min.js"></script>
<style>
body { font-family: "PingFang SC", "Noto Sans CJK SC", "Microsoft YaHei", sans-serif; margin: 0; color: #222; background: #f6f7f9; }
header { background: #1f3864; color: #fff; padding: 12px 16px; }
header h1 { font-size: 1.25rem; margin: 0 0 4px; }
header p { margin: 0; font-size: .85rem; opacity: .85; }
nav { display: flex; flex-wrap: wrap; gap: 4px; padding: 8px 16px; background: #fff; border-bottom: 1px solid #ddd; }
nav a { padding: 4px 10px; border-radius: 4px; text-decoration: none; color: #1f3864; background: #eef2f9; }
main { padding: 12px 16px; max-width: 1200px; margin: 0 auto; }
section { background: #fff; border: 1px solid #e2e5ea; border-radius: 6px; margin: 0 0 12px; padding: 8px; overflow-x: auto; }
table { border-collapse: collapse; width: 100%; font-size: .85rem; }
caption { text-align: left; font-weight: bold; padding: 4px 0; }
th, td { border: 1px solid #e2e5ea; padding: 4px 6px; text-align: left; white-space: nowrap; }
th { background: #eef2f9; }
td.num { text-align: right; }
td.met { background: #c6efce; color: #006100; }
td.missed { background: #ffc7ce; color: #9c0006; }
td.no_data { background: #ffeb9c; color: #7f6000; }
.chart > div { width: 100% !important; max-width: 100%; }
ul { margin: 4px 0; }
</style>
</head>
<body>
<header><h1>{{.Title}}</h1><p>{{.Subtitle}}</p></header>
<nav>{{range .Nav}}<a href="{{.Href}}">{{.Label}}</a>{{end}}</nav>
<main>
{{range .Tables}}<section><table><caption>{{.Caption}}</caption>
<tr>{{range .Header}}<th>{{.}}</th>{{end}}</tr>
{{range .Rows}}<tr>{{range .}}<td class="{{.Class}}">{{.Text}}</td>{{end}}</tr>
{{end}}</table></section>
{{end}}{{range .Charts}}<section class="chart">{{.Element}}</section>
{{end}}{{if .Workbooks}}<section><strong>本期工作簿</strong><ul>{{range .Workbooks}}<li><a href="{{.}}">{{.}}</a></li>{{end}}</ul></section>{{end}}
{{if .Notes}}<section><strong>说明</strong><ul>{{range .Notes}}<li>{{.}}</li>{{end}}</ul></section>{{end}}
</main>
{{range .Charts}}{{.Script}}
{{end}}<script>
// Charts follow the width of the page (phones included).
window.addEventListener('resize', function () {
  document.querySelectorAll('[_echarts_instance_]').forEach(function (el) { echarts.getInstanceByDom(el).resize(); });
});
</script>
</body>
</html>
`))

func writePage(w io.Writer, p page) error { return pageTemplate.Execute(w, p) }

// EChartsScript is the ECharts script the sites ship.
func EChartsScript() []byte { return echartsJS }
