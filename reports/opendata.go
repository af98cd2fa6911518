package reports

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/utilscore/utilscore/metrics"
	"github.com/utilscore/utilscore/outfile"
)

// OpenDataDir is the folder, inside the public build, of the open data.
const OpenDataDir = "open-data"

// openField is one column of the open data: the CSV header, the JSON key and its
// description in datapackage.json come from here, and so does each row's value.
type openField struct {
	Name, Title, Type, Description string
	Required                       bool
	Enum                           []string
	value                          func(o *openData, r metrics.Row, hidden bool) any // nil = empty
}

type openData struct {
	d     *Data
	names map[string]string // metric id → Chinese name
}

func orNil(v *float64) any {
	if v == nil {
		return nil
	}
	return *v
}

// openFields are the open data's columns, in order: the metrics contract
// (spec/outputs.md) with the target's id, the names a reader needs, and whether the
// figure is suppressed.
var openFields = []openField{
	{"period", "统计周期", "string", "统计周期：季度 2024Q3、年 2024 或月 2024-07。", true, nil,
		func(o *openData, r metrics.Row, _ bool) any { return r.Period }},
	{"metric_id", "指标编号", "string", "指标编号，口径见 metrics 中同编号的说明。", true, nil,
		func(o *openData, r metrics.Row, _ bool) any { return r.MetricID }},
	{"metric_name", "指标名称", "string", "指标的中文名称。", true, nil,
		func(o *openData, r metrics.Row, _ bool) any { return or(o.names, r.MetricID) }},
	{"utility", "行业", "string", "行业代码（" + codeList(UtilityZH) + "）；空 = 各行业合计。", false, nil,
		func(o *openData, r metrics.Row, _ bool) any { return r.Utility }},
	{"customer_class", "客户类别", "string", "客户类别代码（" + codeList(classZH) + "）；多个类别以 + 连接；空 = 全部。", false, nil,
		func(o *openData, r metrics.Row, _ bool) any { return r.CustomerClass }},
	{"district", "区县代码", "string", "区县行政区划代码；空 = 全部区县。", false, nil,
		func(o *openData, r metrics.Row, _ bool) any { return r.District }},
	{"district_name", "区县", "string", "区县名称（区县表中有时）。", false, nil,
		func(o *openData, r metrics.Row, _ bool) any { return o.d.Districts[r.District] }},
	{"area_type", "区域类型", "string", "区域类型代码（" + codeList(areaZH) + "）；空 = 全部。", false, nil,
		func(o *openData, r metrics.Row, _ bool) any { return r.AreaType }},
	{"statistic", "统计量", "string", "统计量（" + codeList(statisticZH) + "）。", true, slices.Sorted(keys(statisticZH)),
		func(o *openData, r metrics.Row, _ bool) any { return r.Statistic }},
	{"value", "数值", "number", "数值，单位见 unit 列；比率为小数（0.953 即 95.3%）。无数据或按小样本规则不公开时为空。", false, nil,
		func(o *openData, r metrics.Row, hidden bool) any {
			if hidden {
				return nil
			}
			return orNil(r.Value)
		}},
	{"unit", "单位", "string", "数值的单位（" + codeList(unitZH) + "）。", false, nil,
		func(o *openData, r metrics.Row, _ bool) any { return r.Unit }},
	{"n", "样本数", "integer", "数值所依据的记录数（件）。按小样本规则不公开时为空。", false, nil,
		func(o *openData, r metrics.Row, hidden bool) any {
			if hidden {
				return nil
			}
			return r.N
		}},
	{"target", "目标值", "number", "政策目标值，单位同 value；无目标时为空。", false, nil,
		func(o *openData, r metrics.Row, _ bool) any { return orNil(r.Target) }},
	{"comparison", "比较方式", "string", "数值与目标的比较方式（如 <=、>=）；无目标时为空。", false, nil,
		func(o *openData, r metrics.Row, _ bool) any { return r.Comparison }},
	{"target_id", "目标编号", "string", "所评判的政策目标编号；不评判目标的行为空。", false, nil,
		func(o *openData, r metrics.Row, _ bool) any { return r.TargetID }},
	{"status", "达标情况", "string", "达标情况（" + codeList(statusZH) + "）。按小样本规则不公开时为空。", false, slices.Sorted(keys(statusZH)),
		func(o *openData, r metrics.Row, hidden bool) any {
			if hidden {
				return nil
			}
			return r.Status
		}},
	{"source", "依据", "string", "目标所依据的政策文件简称及条款；无目标时为空。", false, nil,
		func(o *openData, r metrics.Row, _ bool) any { return r.Source }},
	{"suppressed", "小样本不公开", "boolean", "true：样本不足，数值、样本数和达标情况不公开（见 suppression）。", true, nil,
		func(o *openData, r metrics.Row, hidden bool) any { return hidden }},
}

func keys(m map[string]string, extra ...string) func(func(string) bool) {
	return func(yield func(string) bool) {
		for k := range m {
			if k != "" && !yield(k) {
				return
			}
		}
		for _, k := range extra {
			if !yield(k) {
				return
			}
		}
	}
}

// codeList writes a code table as "code=名称, …", in code order.
func codeList(m map[string]string) string {
	var parts []string
	for _, k := range slices.Sorted(keys(m)) {
		parts = append(parts, k+"="+m[k])
	}
	return strings.Join(parts, "，")
}

// WriteOpenData writes the period's public figures into dir/open-data: as CSV and as
// JSON, the same rows, and a datapackage.json (Frictionless Data Package) that
// describes every column, the metrics with their units, and the suppression rule.
// The figures are the public workbook's, suppressed by the same rule
// (Data.Public). It returns the paths written.
func WriteOpenData(dir string, d *Data) ([]string, error) {
	out := filepath.Join(dir, OpenDataDir)
	if err := os.MkdirAll(out, outfile.DirMode); err != nil {
		return nil, err
	}
	o := &openData{d: d, names: map[string]string{}}
	for _, def := range d.Definitions {
		o.names[def.ID] = def.NameZH
	}
	base := "figures-" + d.Period.Label
	var csvBuf, jsonBuf bytes.Buffer
	cw := csv.NewWriter(&csvBuf)
	header := make([]string, len(openFields))
	for i, f := range openFields {
		header[i] = f.Name
	}
	cw.Write(header)
	jsonBuf.WriteString("[")
	pub := d.Public()
	for i, r := range d.Rows {
		hidden := pub.Hidden(r)
		record := make([]string, len(openFields))
		if i > 0 {
			jsonBuf.WriteString(",")
		}
		jsonBuf.WriteString("\n{")
		for j, f := range openFields {
			v := f.value(o, r, hidden)
			record[j] = csvValue(v)
			key, _ := json.Marshal(f.Name)
			val, err := json.Marshal(v)
			if err != nil {
				return nil, fmt.Errorf("open data %s, %s: %w", r.MetricID, f.Name, err)
			}
			if j > 0 {
				jsonBuf.WriteString(",")
			}
			jsonBuf.Write(key)
			jsonBuf.WriteString(":")
			jsonBuf.Write(val)
		}
		jsonBuf.WriteString("}")
		cw.Write(metrics.SafeCSV(record))
	}
	jsonBuf.WriteString("\n]\n")
	cw.Flush()
	if err := cw.Error(); err != nil {
		return nil, err
	}
	pkg, err := o.datapackage(base)
	if err != nil {
		return nil, err
	}
	var paths []string
	for name, data := range map[string][]byte{base + ".csv": csvBuf.Bytes(), base + ".json": jsonBuf.Bytes(), "datapackage.json": pkg} {
		path := filepath.Join(out, name)
		if err := outfile.WriteFile(path, data); err != nil {
			return paths, err
		}
		paths = append(paths, path)
	}
	slices.Sort(paths)
	return paths, nil
}

func csvValue(v any) string {
	switch v := v.(type) {
	case nil:
		return ""
	case string:
		return v
	case float64:
		return strconv.FormatFloat(v, 'f', -1, 64)
	case int64:
		return strconv.FormatInt(v, 10)
	case bool:
		return strconv.FormatBool(v)
	}
	panic(fmt.Sprintf("open data: no CSV form for %T", v))
}

// datapackage describes the two files (tabular-data-package, Frictionless v1).
func (o *openData) datapackage(base string) ([]byte, error) {
	type field struct {
		Name        string         `json:"name"`
		Title       string         `json:"title"`
		Type        string         `json:"type"`
		Description string         `json:"description"`
		Constraints map[string]any `json:"constraints,omitempty"`
	}
	var fields []field
	for _, f := range openFields {
		c := map[string]any{}
		if f.Required {
			c["required"] = true
		}
		if f.Enum != nil {
			c["enum"] = f.Enum
		}
		if len(c) == 0 {
			c = nil
		}
		fields = append(fields, field{f.Name, f.Title, f.Type, f.Description, c})
	}
	schema := map[string]any{"fields": fields, "missingValues": []string{""}}
	type metric struct {
		ID              string   `json:"id"`
		Name            string   `json:"name"`
		NameEN          string   `json:"name_en"`
		Unit            string   `json:"unit"`
		UnitName        string   `json:"unit_name"`
		Direction       string   `json:"direction"`
		Statistics      []string `json:"statistics"`
		Definition      string   `json:"definition"`
		SuppressedBelow *int     `json:"suppressed_below"`
	}
	var defs []metric
	for _, def := range o.d.Definitions {
		m := metric{def.ID, def.NameZH, def.NameEN, def.Unit, or(unitZH, def.Unit), def.Direction, def.Statistics, def.Text, nil}
		if o.d.Suppressible(def.ID) {
			below := MinGroup
			m.SuppressedBelow = &below
		}
		defs = append(defs, m)
	}
	var sources []string
	for _, r := range o.d.Rows {
		if r.Source != "" && !slices.Contains(sources, r.Source) {
			sources = append(sources, r.Source)
		}
	}
	slices.Sort(sources)
	title := periodZH(o.d.Period) + "水电气网营商环境指标（" + AudienceZH[Public] + "）开放数据"
	pkg := map[string]any{
		"profile":     "tabular-data-package",
		"name":        "utilscore-public-figures-" + strings.ToLower(o.d.Period.Label),
		"title":       title,
		"description": "各行业、客户类别、区县的营商环境指标数值及其政策目标，与公开版报告相同。每行一个数值；口径见 metrics，目标依据见 sources 与 source 列。",
		"created":     o.d.MadeAt.Format(time.RFC3339),
		"period":      map[string]string{"label": o.d.Period.Label, "start": o.d.Period.Start.Format("2006-01-02"), "end": o.d.Period.End.AddDate(0, 0, -1).Format("2006-01-02")},
		"policy":      map[string]string{"id": o.d.Profile.ID, "title": o.d.Profile.Title, "document": o.d.Profile.Document},
		"sources":     sources,
		"suppression": map[string]any{
			"min_group": MinGroup,
			"rule": fmt.Sprintf("数值所依据的客户记录（工单、评价、投诉）少于%d件时不公开，以免识别到个别客户：value、n、status 留空，suppressed 为 true（公开版报告中显示为 <5）。"+
				"为防止用合计减去其余分组反推出不公开的数值，同一合计下有分组不公开时，另将记录数最少的其他分组一并不公开，直至不公开的分组至少两个、合计不少于%d件（互补隐藏）；合计本身照常公开。"+
				"停电与漏损数值描述的是管网而非客户，始终公开。适用于哪些指标见 metrics 的 suppressed_below。", MinGroup, MinGroup),
		},
		"metrics": defs,
		"resources": []map[string]any{
			{"name": "figures-csv", "path": base + ".csv", "profile": "tabular-data-resource", "format": "csv", "mediatype": "text/csv",
				"encoding": "utf-8", "title": title + "（CSV）", "schema": schema},
			{"name": "figures-json", "path": base + ".json", "profile": "tabular-data-resource", "format": "json", "mediatype": "application/json",
				"encoding": "utf-8", "title": title + "（JSON）", "schema": schema},
		},
	}
	data, err := json.MarshalIndent(pkg, "", "  ")
	return append(data, '\n'), err
}
