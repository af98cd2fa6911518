package dashboards

import (
	_ "embed"
	"encoding/json"
	"fmt"
	"html/template"
	"io"
	"net/url"
)

// ContentSecurityPolicy is the policy of every page, as the page's meta tag (pages
// opened from disk) and as the server's header. Scripts and style sheets come only
// from files in the site: the charts' options are JSON data read by assets/charts.js,
// never inline code. Style attributes stay allowed because ECharts writes its
// tooltips and data view as HTML with style attributes (their text is escaped).
const ContentSecurityPolicy = "default-src 'none'; script-src 'self'; style-src 'self'; style-src-attr 'unsafe-inline'; " +
	"img-src 'self' data:; base-uri 'none'; form-action 'none'"

var (
	//go:embed assets/echarts.min.js
	echartsJS []byte
	//go:embed assets/charts.js
	chartsJS []byte
	//go:embed assets/site.css
	siteCSS []byte
)

// assets are the files every site holds in its assets folder.
var assets = []struct {
	name string
	data []byte
}{{"echarts.min.js", echartsJS}, {"charts.js", chartsJS}, {"site.css", siteCSS}}

// EChartsScript is the ECharts script the sites ship.
func EChartsScript() []byte { return echartsJS }

// chartBlock is a chart on a page: its element's id and its ECharts option as JSON.
type chartBlock struct {
	ID     string
	Option template.JS
}

// echart is what go-echarts' charts give: their option, once validated.
type echart interface {
	Validate()
	JSON() map[string]any
}

// chart turns a go-echarts chart into a block. The option is marshalled here rather
// than rendered by go-echarts, whose renderer turns any "__f__…__f__" inside a string
// into JavaScript code: from this JSON a string from the data stays a string.
// encoding/json escapes <, >, & and U+2028/U+2029, so no value can end the script
// element that holds it.
// Each decoration then changes the option as plain JSON data, for what go-echarts'
// structs do not say (labelled gaps, label rotation on phones).
func chart(id string, c echart, decorations ...func(option map[string]any)) chartBlock {
	c.Validate()
	option, err := json.Marshal(c.JSON())
	if err == nil && len(decorations) > 0 {
		var m map[string]any
		if err = json.Unmarshal(option, &m); err == nil {
			for _, d := range decorations {
				d(m)
			}
			option, err = json.Marshal(m)
		}
	}
	if err != nil {
		// The options are go-echarts' own structs of strings and numbers.
		panic(fmt.Sprintf("chart %s: %v", id, err))
	}
	return chartBlock{ID: id, Option: template.JS(option)}
}

// href links a file in the same folder whatever its name holds (#, ?, %, a colon).
func href(name string) string { return (&url.URL{Path: name}).String() }

var pageTemplate = template.Must(template.New("page").Funcs(template.FuncMap{"href": href}).Parse(`<!DOCTYPE html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="{{.CSP}}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{.Title}}</title>
<link rel="icon" href="data:,">{{/* the site has no icon: the browser asks for none */}}
<link rel="stylesheet" href="assets/site.css">
</head>
<body>
<header><h1>{{.Title}}</h1><p>{{.Subtitle}}</p></header>
<nav>{{range .Nav}}<a href="{{.Href}}">{{.Label}}</a>{{end}}</nav>
<main>
{{define "table"}}<section{{if .ID}} id="{{.ID}}"{{end}}><table><caption>{{.Caption}}</caption>
<tr>{{range .Header}}<th>{{.}}</th>{{end}}</tr>
{{range .Rows}}<tr>{{range .}}<td class="{{.Class}}">{{if .Href}}<a href="{{.Href}}">{{.Text}}</a>{{else}}{{.Text}}{{end}}</td>{{end}}</tr>
{{end}}</table></section>
{{end}}{{range .Tables}}{{template "table" .}}{{end}}{{range .Charts}}<section class="chart"><div class="chart-canvas" id="{{.ID}}"></div>
<script type="application/json" data-chart="{{.ID}}">{{.Option}}</script></section>
{{end}}{{range .Missed}}{{template "table" .}}{{end}}{{if .Workbooks}}<section><strong>本期工作簿</strong><ul>{{range .Workbooks}}<li><a href="{{href .}}">{{.}}</a></li>{{end}}</ul></section>{{end}}
{{if .Notes}}<section><strong>说明</strong><ul>{{range .Notes}}<li>{{.}}</li>{{end}}</ul></section>{{end}}
</main>
<script src="assets/echarts.min.js"></script>
<script src="assets/charts.js"></script>
</body>
</html>
`))

func writePage(w io.Writer, p page) error {
	return pageTemplate.Execute(w, struct {
		page
		CSP string
	}{p, ContentSecurityPolicy})
}
