package printout

import (
	"html/template"

	"github.com/utilscore/utilscore/metrics"
)

// page is what the report's template fills in.
type page struct {
	CSP, Title, Edition string
	Meta                []pair
	Summary             []string
	Headline            table
	Scorecard           []scoreGroup
	Figures             []figure
	Disclosure          table
	Missed              []missedTarget
	Pace                *paceView // nil: not in this audience's report
	Notes               []string
	Headings            map[string]string // section id → its numbered heading
}

type pair struct{ K, V string }

type table struct {
	Header []string
	Rows   [][]cell
}

type cell struct{ Text, Class string }

type scoreGroup struct {
	Utility string
	Rows    []scoreRow
}

// scoreRow is one target in words and its figure.
type scoreRow struct {
	No                          int
	ID, Statement, Value, Count string
	Key                         string // the target's id, and the utility or area type its row judges apart
	Median, Status, StatusClass string
	Change, Source              string
	row                         metrics.Row
}

type figure struct {
	ID, Title, Caption string
	SVG                template.HTML
}

// missedTarget is a missed target and its districts, those adding most to the miss
// first.
type missedTarget struct {
	No                               int
	ID, Key, Statement, Value, Count string
	Source                           string
	Districts                        table
	Drill                            *drill // nil: not in this audience's report
	row                              metrics.Row
}

// drill is what lies behind a missed target: its figure, the groups that weigh most
// in the miss, and the first of its missed records.
type drill struct {
	Figure, Note, Caption string
	Groups, Records       table
}

// paceView is the year's pace of the targets judged on the year.
type paceView struct {
	Summary string
	Lines   table
	Risks   []string
}

// The sections start on a new page each (print.css); a table's rows and a figure are
// never split, and a table's header repeats on every page it runs over.
var pageTemplate = template.Must(template.New("report").Parse(`<!DOCTYPE html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="{{.CSP}}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{.Title}}（{{.Edition}}）</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="assets/print.css">
</head>
<body>
<header class="cover">
<h1>{{.Title}}</h1>
<p class="edition">{{.Edition}}</p>
<dl>{{range .Meta}}<div><dt>{{.K}}</dt><dd>{{.V}}</dd></div>{{end}}</dl>
</header>
<main>
<section id="headline">
<h2>{{index .Headings "headline"}}</h2>
{{range .Summary}}<p class="summary">{{.}}</p>{{end}}
<div class="scroll"><table>
<thead><tr>{{range .Headline.Header}}<th>{{.}}</th>{{end}}</tr></thead>
<tbody>{{range .Headline.Rows}}<tr>{{range .}}<td class="{{.Class}}">{{.Text}}</td>{{end}}</tr>
{{end}}</tbody></table></div>
{{if .Missed}}<h3>本期未达标的目标</h3>
<ol class="missed-list">{{range .Missed}}<li value="{{.No}}"><a href="#missed-{{.Key}}">{{.Statement}}</a>：本期 {{.Value}}</li>
{{end}}</ol>{{end}}
</section>
<section id="scorecard" class="part">
<h2>{{index .Headings "scorecard"}}</h2>
{{range .Scorecard}}<h3>{{.Utility}}</h3>
<table class="scorecard">
<thead><tr><th class="no">序号</th><th>目标</th><th>本期</th><th>达标情况</th><th>较上期</th><th>依据</th></tr></thead>
<tbody>{{range .Rows}}<tr id="target-{{.Key}}"><td class="no">{{.No}}</td><td class="statement" data-no="{{.No}}">{{.Statement}}</td>
<td class="num" data-label="本期">{{.Value}}{{if .Count}}<br><span class="sub">{{.Count}}</span>{{end}}{{if .Median}}<br><span class="sub">{{.Median}}</span>{{end}}</td>
<td class="{{.StatusClass}}" data-label="达标情况">{{.Status}}</td><td class="num" data-label="较上期">{{.Change}}</td><td class="source" data-label="依据">{{.Source}}</td></tr>
{{end}}</tbody></table>
{{end}}</section>
<section id="charts" class="part">
<h2>{{index .Headings "charts"}}</h2>
{{range .Figures}}<figure id="figure-{{.ID}}">
<figcaption>{{.Title}}</figcaption>
{{.SVG}}
<p class="note">{{.Caption}}</p>
</figure>
{{end}}</section>
<section id="disclosure" class="part">
<h2>{{index .Headings "disclosure"}}</h2>
<p class="summary">各企业每季度应公开的停电（停水、停气）与漏损情况。</p>
<div class="scroll"><table>
<thead><tr>{{range .Disclosure.Header}}<th>{{.}}</th>{{end}}</tr></thead>
<tbody>{{range .Disclosure.Rows}}<tr>{{range .}}<td class="{{.Class}}">{{.Text}}</td>{{end}}</tr>
{{end}}</tbody></table></div>
</section>
<section id="missed" class="part">
<h2>{{index .Headings "missed"}}</h2>
{{if not .Missed}}<p class="summary">本期无未达标目标。</p>{{end}}
{{range .Missed}}<div class="missed" id="missed-{{.Key}}">
<h3>{{.No}}. {{.Statement}}</h3>
<p class="summary">本期 {{.Value}}{{if .Count}}（{{.Count}}）{{end}}；依据 {{.Source}}。</p>
{{if .Districts.Rows}}<table class="breakdown">
<thead><tr>{{range .Districts.Header}}<th>{{.}}</th>{{end}}</tr></thead>
<tbody>{{range .Districts.Rows}}<tr>{{range .}}<td class="{{.Class}}">{{.Text}}</td>{{end}}</tr>
{{end}}</tbody></table>{{end}}
{{with .Drill}}<h4>未达标分布</h4>
<p class="summary">本期 {{.Figure}}。</p>
{{if .Groups.Rows}}<table class="breakdown groups">
<thead><tr>{{range .Groups.Header}}<th>{{.}}</th>{{end}}</tr></thead>
<tbody>{{range .Groups.Rows}}<tr>{{range .}}<td class="{{.Class}}">{{.Text}}</td>{{end}}</tr>
{{end}}</tbody></table>{{end}}
{{if .Note}}<p class="note">{{.Note}}</p>{{end}}
{{if .Records.Rows}}<h4>{{.Caption}}</h4>
<div class="scroll"><table class="records">
<thead><tr>{{range .Records.Header}}<th>{{.}}</th>{{end}}</tr></thead>
<tbody>{{range .Records.Rows}}<tr>{{range .}}<td class="{{.Class}}">{{.Text}}</td>{{end}}</tr>
{{end}}</tbody></table></div>{{end}}
{{end}}</div>
{{end}}</section>
{{with .Pace}}<section id="pace" class="part">
<h2>{{index $.Headings "pace"}}</h2>
<p class="summary">{{.Summary}}</p>
<div class="scroll"><table class="pace">
<thead><tr>{{range .Lines.Header}}<th>{{.}}</th>{{end}}</tr></thead>
<tbody>{{range .Lines.Rows}}<tr>{{range .}}<td class="{{.Class}}">{{.Text}}</td>{{end}}</tr>
{{end}}</tbody></table></div>
{{if .Risks}}<ul class="risks">{{range .Risks}}<li>{{.}}</li>{{end}}</ul>{{end}}
</section>{{end}}
<section id="notes" class="part">
<h2>{{index .Headings "notes"}}</h2>
<ul>{{range .Notes}}<li>{{.}}</li>{{end}}</ul>
</section>
</main>
</body>
</html>
`))
