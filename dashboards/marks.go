package dashboards

import "strconv"

// Suppressed is how a page writes a figure the public may not see (spec/outputs.md,
// "Small groups on public pages").
const Suppressed = "<5"

// narrow is the widest chart, in CSS pixels, that gets phone labels.
const narrow = 600

// gaps marks the categories of a series the public may not see: a grey band over
// each, labelled <5, so a hidden figure never looks like a zero bar or no data. axis
// is the category axis ("xAxis", or "yAxis" on a horizontal chart). Bands name their
// categories by index: no name from the data is repeated in the option.
func gaps(series int, axis string, names []string, hidden []bool) func(map[string]any) {
	return func(option map[string]any) {
		var data []any
		for i := 0; i < len(names) && i < len(hidden); i++ {
			if hidden[i] {
				data = append(data, []any{map[string]any{"name": Suppressed, axis: i}, map[string]any{axis: i}})
			}
		}
		markGaps(option, series, data)
	}
}

// binGaps marks the hidden bins of a histogram: one band over each run of them, empty
// bins between hidden ones included (fewer than five too), so that narrow bins on a
// phone carry one readable label a run rather than a label each.
func binGaps(series int, names []string, hidden []bool, counts []any) func(map[string]any) {
	return func(option map[string]any) {
		var data []any
		for i := 0; i < len(names) && i < len(hidden); i++ {
			if !hidden[i] {
				continue
			}
			j := i
			for k := i + 1; k < len(names) && k < len(hidden); k++ {
				if hidden[k] {
					j = k
				} else if c, ok := counts[k].(int64); !ok || c != 0 {
					break
				}
			}
			data = append(data, []any{map[string]any{"name": Suppressed, "xAxis": i}, map[string]any{"xAxis": j}})
			i = j
		}
		markGaps(option, series, data)
	}
}

func markGaps(option map[string]any, series int, data []any) {
	s := seriesAt(option, series)
	if len(data) == 0 || s == nil {
		return
	}
	s["markArea"] = map[string]any{
		"silent":    true,
		"itemStyle": map[string]any{"color": "rgba(150,150,150,0.18)", "borderColor": "#8c8c8c", "borderType": "dashed", "borderWidth": 1},
		"label":     map[string]any{"show": true, "position": "insideBottom", "color": "#404040", "fontWeight": "bold", "distance": 6},
		"data":      data,
	}
}

func seriesAt(option map[string]any, i int) map[string]any {
	list, _ := option["series"].([]any)
	if i >= len(list) {
		return nil
	}
	s, _ := list[i].(map[string]any)
	return s
}

// percentAxis shows a value axis in per cent: the figures are drawn as 93.8, not
// 0.938, and the axis says so.
func percentAxis(axis string) func(map[string]any) {
	return func(option map[string]any) {
		for _, a := range asAxes(option[axis]) {
			if a["type"] == "category" || a["data"] != nil {
				continue
			}
			a["axisLabel"] = map[string]any{"formatter": "{value}%"}
		}
	}
}

func asAxes(v any) []map[string]any {
	var out []map[string]any
	switch v := v.(type) {
	case []any:
		for _, a := range v {
			if m, ok := a.(map[string]any); ok {
				out = append(out, m)
			}
		}
	case map[string]any:
		out = append(out, v)
	}
	return out
}

// lineLabels writes each reference line's name at its end, not its bare value.
func lineLabels(option map[string]any) {
	list, _ := option["series"].([]any)
	for _, s := range list {
		sm, _ := s.(map[string]any)
		if ml, ok := sm["markLine"].(map[string]any); ok {
			ml["label"] = map[string]any{"formatter": "{b}", "position": "insideEndTop", "fontSize": 11}
			ml["symbol"] = "none"
		}
	}
}

// phoneLabels keeps every category label of a chart on a phone: at a width up to
// narrow the labels are all drawn, turned by 40°, and the grid leaves room for them.
// The switch is an ECharts media query, so it follows the page's width as it changes.
func phoneLabels(option map[string]any) {
	base := map[string]any{}
	for k, v := range option {
		base[k] = v
	}
	for k := range option {
		delete(option, k)
	}
	option["baseOption"] = base
	option["media"] = []any{
		map[string]any{"option": map[string]any{"grid": map[string]any{"bottom": 60}}},
		map[string]any{"query": map[string]any{"maxWidth": narrow}, "option": map[string]any{
			"xAxis": []any{map[string]any{"axisLabel": map[string]any{"interval": 0, "rotate": 40, "fontSize": 11}, "nameLocation": "middle", "nameGap": 48}},
			"grid":  map[string]any{"left": 48, "right": 16, "bottom": 96},
		}},
	}
}

// pct is a fraction as a percentage for a chart, to two places; nil stays nil.
func pct(v any) any {
	if x, ok := v.(float64); ok {
		return round(x*100, 2)
	}
	return v
}

// pctName names a limit in per cent: 0.09 → "9%".
func pctName(x float64) string { return strconv.FormatFloat(round(x*100, 2), 'f', -1, 64) + "%" }
