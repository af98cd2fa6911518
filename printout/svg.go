package printout

import (
	"fmt"
	"html/template"
	"math"
	"strconv"
	"strings"
)

// The charts are drawn here as SVG, inside the page: they print as vectors, need no
// script (the page's policy allows none inline) and look the same on paper as on
// screen. Every string from the data goes through esc.

// bar is one bar of a horizontal bar chart.
type bar struct {
	Label      string
	Value      *float64
	Suppressed bool     // a public figure of fewer than five records: a labelled gap
	Marker     *float64 // this bar's own limit, drawn as a tick across it
	Status     string   // met, missed or "": the bar's colour
}

// refLine is a reference line across every bar (a target, a grade).
type refLine struct {
	Label string
	Value float64
}

// barChart is a horizontal bar chart: names on the left read whole at any width.
type barChart struct {
	Bars        []bar
	Lines       []refLine
	Percent     bool   // values are fractions, shown as %
	Places      int    // decimals of the value labels
	Unit        string // after the value labels and on the axis, e.g. 个工作日
	MarkerLabel string // the legend of the markers, e.g. 单件时限
}

// A chart is drawn on a 520-unit wide canvas: at A4's width (print.css keeps it to
// 140 mm) its 12-unit text prints at about 9 pt, and on a 390 px phone it still
// reads at about 8.5 px.
const (
	chartWidth = 520.0
	labelWidth = 150.0
	valueRoom  = 66.0 // right of the longest bar: its value label
	rowHeight  = 24.0
	chartTop   = 8.0
	chartFoot  = 44.0 // the axis ticks and the legend
)

func esc(s string) string { return template.HTMLEscapeString(s) }

// format writes a value as the chart labels it.
func (c barChart) format(v float64) string {
	if c.Percent {
		return strconv.FormatFloat(v*100, 'f', c.Places, 64) + "%"
	}
	return strconv.FormatFloat(v, 'f', c.Places, 64)
}

// scaleMax is the axis' end: a round number above every value, line and marker.
func (c barChart) scaleMax() float64 {
	top := 0.0
	for _, b := range c.Bars {
		for _, v := range []*float64{b.Value, b.Marker} {
			if v != nil && !b.Suppressed {
				top = math.Max(top, *v)
			}
		}
	}
	for _, l := range c.Lines {
		top = math.Max(top, l.Value)
	}
	if top <= 0 || c.Percent && top <= 1 {
		return 1 // a share's axis ends at 100 %
	}
	return niceCeil(top * 1.05)
}

// niceCeil rounds up to a round multiple of a power of ten, one that splits into
// four round ticks.
func niceCeil(x float64) float64 {
	p := math.Pow(10, math.Floor(math.Log10(x)))
	for _, m := range []float64{1, 1.2, 1.6, 2, 2.4, 3, 4, 5, 6, 8, 10} {
		if m*p >= x-1e-12 {
			return m * p
		}
	}
	return 10 * p
}

// SVG draws the chart; title is its accessible name.
func (c barChart) SVG(title string) template.HTML {
	plotW := chartWidth - labelWidth - valueRoom
	height := chartTop + rowHeight*float64(len(c.Bars)) + chartFoot
	max := c.scaleMax()
	x := func(v float64) float64 { return labelWidth + plotW*math.Max(0, v)/max }
	var b strings.Builder
	fmt.Fprintf(&b, `<svg class="chart" viewBox="0 0 %.0f %.0f" role="img" aria-label="%s" xmlns="http://www.w3.org/2000/svg">`, chartWidth, height, esc(title))
	// Grid and axis: five ticks.
	bottom := chartTop + rowHeight*float64(len(c.Bars))
	for i := 0; i <= 4; i++ {
		v := max * float64(i) / 4
		fmt.Fprintf(&b, `<line class="grid" x1="%.1f" y1="%.1f" x2="%.1f" y2="%.1f"/>`, x(v), chartTop-4, x(v), bottom)
		fmt.Fprintf(&b, `<text class="tick" x="%.1f" y="%.1f" text-anchor="middle">%s</text>`, x(v), bottom+14, esc(c.tick(v)))
	}
	if c.Unit != "" {
		fmt.Fprintf(&b, `<text class="tick" x="%.1f" y="%.1f" text-anchor="end">%s</text>`, chartWidth-4, bottom+14, esc(c.Unit))
	}
	for i, br := range c.Bars {
		y := chartTop + rowHeight*float64(i)
		fmt.Fprintf(&b, `<g data-row="%s">`, esc(br.Label))
		fmt.Fprintf(&b, `<text class="label" x="%.1f" y="%.1f" text-anchor="end">%s</text>`, labelWidth-6, y+rowHeight/2+4, esc(shorten(br.Label, 12)))
		switch {
		case br.Suppressed:
			// A gap, outlined and labelled, never a bar that reads as zero.
			fmt.Fprintf(&b, `<rect class="gap" x="%.1f" y="%.1f" width="%.1f" height="%.1f"/>`, labelWidth, y+4, 44.0, rowHeight-8)
			fmt.Fprintf(&b, `<text class="gaplabel" x="%.1f" y="%.1f">&lt;5 样本不足5</text>`, labelWidth+50, y+rowHeight/2+4)
		case br.Value == nil:
			fmt.Fprintf(&b, `<text class="gaplabel" x="%.1f" y="%.1f">无数据</text>`, labelWidth+6, y+rowHeight/2+4)
		default:
			cls := "bar"
			if br.Status != "" {
				cls += " " + br.Status
			}
			w := x(*br.Value) - labelWidth
			fmt.Fprintf(&b, `<rect class="%s" x="%.1f" y="%.1f" width="%.1f" height="%.1f"/>`, cls, labelWidth, y+4, w, rowHeight-8)
			at, label := labelWidth+w+4, c.format(*br.Value)
			if m := br.Marker; m != nil && x(*m)+6 > at && x(*m)-6 < at+textWidth(label) {
				at = x(*m) + 8 // clear of the marker
			}
			fmt.Fprintf(&b, `<text class="value" x="%.1f" y="%.1f">%s</text>`, at, y+rowHeight/2+4, esc(label))
		}
		if br.Marker != nil {
			mx := x(*br.Marker)
			fmt.Fprintf(&b, `<path class="marker" d="M%.1f %.1f l5 %.1f l-5 %.1f l-5 %.1f z"/>`, mx, y+2, rowHeight/2-2, rowHeight/2-2, -(rowHeight/2 - 2))
		}
		b.WriteString(`</g>`)
	}
	for i, l := range c.Lines {
		lx := x(l.Value)
		fmt.Fprintf(&b, `<line class="ref ref%d" x1="%.1f" y1="%.1f" x2="%.1f" y2="%.1f"/>`, i%3, lx, chartTop-4, lx, bottom)
	}
	// The legend: the markers, then the reference lines, in a row under the axis.
	lx, ly := labelWidth, height-6
	if c.MarkerLabel != "" {
		fmt.Fprintf(&b, `<path class="marker" d="M%.1f %.1f l5 6 l-5 6 l-5 -6 z"/>`, lx+5, ly-10)
		fmt.Fprintf(&b, `<text class="tick" x="%.1f" y="%.1f">%s</text>`, lx+14, ly, esc(c.MarkerLabel))
		lx += 24 + textWidth(c.MarkerLabel)
	}
	for i, l := range c.Lines {
		fmt.Fprintf(&b, `<line class="ref ref%d" x1="%.1f" y1="%.1f" x2="%.1f" y2="%.1f"/>`, i%3, lx, ly-4, lx+16, ly-4)
		fmt.Fprintf(&b, `<text class="tick" x="%.1f" y="%.1f">%s</text>`, lx+20, ly, esc(l.Label))
		lx += 30 + textWidth(l.Label)
	}
	b.WriteString(`</svg>`)
	return template.HTML(b.String())
}

func (c barChart) tick(v float64) string {
	if c.Percent {
		v *= 100
	}
	// Rounded so that 0.15 × 100 prints 15, not 15.000000000000002.
	s := strconv.FormatFloat(math.Round(v*1000)/1000, 'f', -1, 64)
	if c.Percent {
		s += "%"
	}
	return s
}

// textWidth estimates a label's width in chart units: a Chinese character is as wide
// as the font is high, a digit or letter about half.
func textWidth(s string) float64 {
	w := 0.0
	for _, r := range s {
		if r < 0x2E80 {
			w += 6.5
		} else {
			w += 11
		}
	}
	return w
}

// shorten cuts a label to n characters with an ellipsis; the table beside the chart
// holds it whole.
func shorten(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}

// series is one line of a line chart.
type series struct {
	Label  string
	Values []*float64 // nil: no figure that period
}

// lineChart is a trend over periods.
type lineChart struct {
	Periods []string
	Series  []series
	Unit    string
	Places  int
}

// SVG draws the trend: one line per series, a gap where a period has no figure.
func (c lineChart) SVG(title string) template.HTML {
	const left, right, top, foot = 48.0, 20.0, 26.0, 56.0
	height := 260.0
	plotW, plotH := chartWidth-left-right, height-top-foot
	top0 := 0.0
	for _, s := range c.Series {
		for _, v := range s.Values {
			if v != nil {
				top0 = math.Max(top0, *v)
			}
		}
	}
	max := 1.0
	if top0 > 0 {
		max = niceCeil(top0 * 1.05)
	}
	step := plotW / math.Max(1, float64(len(c.Periods)-1))
	x := func(i int) float64 { return left + step*float64(i) }
	y := func(v float64) float64 { return top + plotH*(1-v/max) }
	var b strings.Builder
	fmt.Fprintf(&b, `<svg class="chart" viewBox="0 0 %.0f %.0f" role="img" aria-label="%s" xmlns="http://www.w3.org/2000/svg">`, chartWidth, height, esc(title))
	for i := 0; i <= 4; i++ {
		v := max * float64(i) / 4
		fmt.Fprintf(&b, `<line class="grid" x1="%.1f" y1="%.1f" x2="%.1f" y2="%.1f"/>`, left, y(v), chartWidth-right, y(v))
		fmt.Fprintf(&b, `<text class="tick" x="%.1f" y="%.1f" text-anchor="end">%s</text>`, left-4, y(v)+4, esc(strconv.FormatFloat(math.Round(v*1000)/1000, 'f', -1, 64)))
	}
	fmt.Fprintf(&b, `<text class="tick" x="%.1f" y="%.1f">%s</text>`, 2.0, top-14, esc(c.Unit))
	for i, p := range c.Periods {
		fmt.Fprintf(&b, `<text class="tick" x="%.1f" y="%.1f" text-anchor="middle">%s</text>`, x(i), top+plotH+14, esc(p))
	}
	for k, s := range c.Series {
		var d strings.Builder
		pen := "M"
		for i, v := range s.Values {
			if v == nil {
				pen = "M"
				continue
			}
			fmt.Fprintf(&d, "%s%.1f %.1f ", pen, x(i), y(*v))
			fmt.Fprintf(&b, `<circle class="s%d" cx="%.1f" cy="%.1f" r="2.5"/>`, k%4, x(i), y(*v))
			pen = "L"
		}
		if d.Len() > 0 {
			fmt.Fprintf(&b, `<path class="line s%d" d="%s"/>`, k%4, strings.TrimSpace(d.String()))
		}
		lx := left + float64(k)*110
		fmt.Fprintf(&b, `<rect class="s%d" x="%.1f" y="%.1f" width="14" height="4"/>`, k%4, lx, height-18)
		fmt.Fprintf(&b, `<text class="tick" x="%.1f" y="%.1f">%s</text>`, lx+18, height-13, esc(s.Label))
	}
	b.WriteString(`</svg>`)
	return template.HTML(b.String())
}
