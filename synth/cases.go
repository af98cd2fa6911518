package synth

import (
	"fmt"
	"hash/fnv"
	"math"
	"math/rand/v2"
	"strconv"
	"time"
)

// caseColumns is the column order of the case exports.
var caseColumns = []string{
	"case_id", "utility", "joint_id", "district", "area_type", "customer_class", "business_type",
	"capacity", "capacity_unit", "channel", "is_low_risk", "has_external_works", "procedures",
	"materials", "visits", "fee_cny", "status", "applied_at", "accepted_at", "surveyed_at",
	"plan_replied_at", "contract_at", "approval_submitted_at", "approval_granted_at",
	"works_started_at", "works_completed_at", "inspected_at", "connected_at", "closed_at",
	"suspended_days", "applicant", "contact_phone", "address", "recorded_at",
	// added in spec v2
	"survey_agreed_at", "survey_scheduled_for", "inspection_requested_at", "agreed_connection_at",
	"meter_fee_cny", "enterprise_size", "materials_at_application",
}

// stages in the order a case moves through them (spec/metrics.md, F).
var stages = []string{"applied", "accepted", "surveyed", "plan_replied", "contract", "approval_submitted",
	"approval_granted", "works_started", "works_completed", "inspected", "connected", "closed"}

// classSpec describes one customer class: its share, the limit its total time is
// skewed around, its capacity and how often it needs external works.
type classSpec struct {
	class         string
	weight        float64
	limitWD       float64
	capMin        float64
	capMax        float64
	unit          string
	worksShare    float64
	worksExcluded bool // the limit is "external works excluded"
}

var classSpecs = map[string][]classSpec{
	"power": {
		{"residential", 40, 3, 4, 12, "kW", 0.05, false},
		{"lv_zero", 25, 4, 10, 160, "kW", 0.3, false},
		{"lv_nonres", 20, 6, 160, 400, "kVA", 0.4, false},
		{"hv_single", 12, 16, 315, 5000, "kVA", 0.6, false},
		{"hv_dual", 3, 30, 1000, 10000, "kVA", 0.8, false},
	},
	"water": {
		{"residential", 50, 3, 15, 25, "DN", 0.05, false},
		{"nonres_dn40", 25, 4, 25, 40, "DN", 0.2, false},
		{"nonres_dn100", 12, 7, 50, 100, "DN", 0.4, false},
		{"nonres_large", 5, 10, 150, 300, "DN", 0.7, false},
		{"real_estate", 8, 15, 100, 300, "DN", 0.8, true},
	},
	"gas": {
		{"residential", 60, 14, 2, 6, "m3/h", 0.3, true},
		{"nonres_general", 30, 14, 10, 100, "m3/h", 0.6, true},
		{"nonres_large", 10, 14, 100, 1000, "m3/h", 0.8, true},
	},
	"telecom": {
		{"individual", 60, 3, 100, 1000, "Mbps", 0, false},
		{"business", 35, 3, 200, 1000, "Mbps", 0, false},
		{"key_account", 5, 5, 1000, 10000, "Mbps", 0.2, false},
	},
}

var utilityShares = []struct {
	utility string
	share   float64
	prefix  string
}{{"power", 0.40, "PW"}, {"water", 0.25, "WA"}, {"gas", 0.20, "GS"}, {"telecom", 0.15, "TC"}}

// caseRow is one generated case.
type caseRow struct {
	id, utility, joint, district, area, class, business, unit, channel string
	capacity                                                           float64
	lowRisk, works                                                     bool
	procedures, materials, visits                                      int
	fee                                                                float64
	status                                                             string
	at                                                                 map[string]time.Time
	suspendedWD                                                        int
	applicant, phone, address                                          string
	recordedAt                                                         time.Time
}

func (c *caseRow) row() []string {
	r := make([]string, 0, len(caseColumns))
	r = append(r, c.id, c.utility, c.joint, c.district, c.area, c.class, c.business,
		strconv.FormatFloat(c.capacity, 'f', -1, 64), c.unit, c.channel,
		strconv.FormatBool(c.lowRisk), strconv.FormatBool(c.works),
		strconv.Itoa(c.procedures), strconv.Itoa(c.materials), strconv.Itoa(c.visits),
		strconv.FormatFloat(c.fee, 'f', 2, 64), c.status)
	for _, s := range stages {
		r = append(r, stamp(c.at[s]))
	}
	suspended := ""
	if c.suspendedWD > 0 {
		suspended = strconv.Itoa(c.suspendedWD)
	}
	r = append(r, suspended, c.applicant, c.phone, c.address, stamp(c.recordedAt))
	return append(r, c.v2Columns()...)
}

// v2Columns draws the optional columns of spec v2 from a stream of their own, seeded
// by the case, so that adding them left every other generated value as it was.
func (c *caseRow) v2Columns() []string {
	h := fnv.New64a()
	h.Write([]byte(c.id))
	applied := c.at["applied"]
	rng := rand.New(rand.NewPCG(h.Sum64(), uint64(applied.Unix())))
	var surveyAgreed, surveySlot, inspectionRequested, agreedConnection, meterFee, size, atApplication string
	if surveyed, ok := c.at["surveyed"]; ok && rng.Float64() < 0.85 {
		surveyAgreed = stamp(applied.Add(time.Duration(rng.Float64() * 0.6 * float64(surveyed.Sub(applied)))).Truncate(time.Minute))
		surveySlot = stamp(surveyed.Truncate(time.Hour))
	}
	if inspected, ok := c.at["inspected"]; ok && rng.Float64() < 0.7 {
		from := c.at["contract"]
		if done, ok := c.at["works_completed"]; ok {
			from = done
		}
		if !from.IsZero() && from.Before(inspected) {
			inspectionRequested = stamp(inspected.Add(-time.Duration(rng.Float64() * 0.5 * float64(inspected.Sub(from)))).Truncate(time.Minute))
		}
	}
	if connected, ok := c.at["connected"]; ok && c.joint != "" {
		day := connected.AddDate(0, 0, -rng.IntN(3))
		agreedConnection = stamp(time.Date(day.Year(), day.Month(), day.Day(), 0, 0, 0, 0, day.Location()))
	}
	if c.utility == "water" && rng.Float64() < 0.9 {
		meterFee = strconv.FormatFloat(math.Round(c.fee*0.2), 'f', 2, 64)
	}
	if c.class != "residential" && c.class != "individual" && rng.Float64() < 0.9 {
		size = []string{"micro", "small", "medium", "large"}[pickFrom(rng, []float64{35, 35, 20, 10})]
	}
	if rng.Float64() < 0.8 {
		atApplication = strconv.Itoa(rng.IntN(c.materials + 1))
	}
	return []string{surveyAgreed, surveySlot, inspectionRequested, agreedConnection, meterFee, size, atApplication}
}

// pickFrom draws an index with the given weights.
func pickFrom(rng *rand.Rand, weights []float64) int {
	total := 0.0
	for _, w := range weights {
		total += w
	}
	x := rng.Float64() * total
	for i, w := range weights {
		if x < w {
			return i
		}
		x -= w
	}
	return len(weights) - 1
}

var surnames = []string{"王", "李", "张", "刘", "陈", "杨", "赵", "黄", "周", "吴"}
var trades = []string{"商贸", "餐饮", "机械", "食品", "建材", "物流", "科技", "酒店", "医药", "纺织"}

// newCase draws one case of a utility applied in [from, to).
func (g *generator) newCase(utility, prefix string, seq int, from, to time.Time) *caseRow {
	specs := classSpecs[utility]
	weights := make([]float64, len(specs))
	for i, s := range specs {
		weights[i] = s.weight
	}
	spec := specs[g.pick(weights)]
	d := g.district()
	c := &caseRow{
		id: fmt.Sprintf("%s%08d", prefix, seq), utility: utility, district: d.Code,
		area: d.Areas[g.rng.IntN(len(d.Areas))], class: spec.class, unit: spec.unit,
		capacity: float64(int(spec.capMin + g.rng.Float64()*(spec.capMax-spec.capMin))),
		business: []string{"new", "new", "new", "expansion", "temporary", "transfer", "other"}[g.rng.IntN(7)],
		channel:  []string{"online", "online", "app", "window", "hotline", "joint_window", "pre_service"}[g.pick([]float64{30, 15, 20, 20, 5, 5, 5})],
		lowRisk:  g.chance(0.1), works: g.chance(spec.worksShare),
		procedures: 1 + g.rng.IntN(4), materials: g.rng.IntN(4), visits: g.pick([]float64{70, 20, 10}),
		at: map[string]time.Time{},
	}
	if spec.class == "residential" || spec.class == "individual" {
		c.applicant = surnames[g.rng.IntN(len(surnames))] + "某"
	} else {
		c.applicant = fmt.Sprintf("自贡%s%s有限公司", surnames[g.rng.IntN(len(surnames))], trades[g.rng.IntN(len(trades))])
	}
	c.phone = fmt.Sprintf("1%d%09d", 3+g.rng.IntN(7), g.rng.IntN(1_000_000_000))
	c.address = fmt.Sprintf("%s%s路%d号", d.Name, trades[g.rng.IntN(len(trades))], 1+g.rng.IntN(300))
	c.fee = g.fee(c)

	applied := g.workingInstant(from, to)
	c.at["applied"] = applied
	g.placeStages(c, spec)
	return c
}

// fee: small businesses mostly pay nothing, as the zero-fee policies ask.
func (g *generator) fee(c *caseRow) float64 {
	switch {
	case c.class == "lv_zero" || c.class == "nonres_dn40" || c.class == "residential":
		if g.chance(0.93) {
			return 0
		}
		return float64(100 * (1 + g.rng.IntN(20)))
	case c.utility == "telecom":
		return 0
	default:
		return float64(1000 * (1 + g.rng.IntN(50)))
	}
}

// placeStages sets the stage times: the total is skewed around the class's limit, so
// most cases meet it and some do not; pauses and external works stretch it.
func (g *generator) placeStages(c *caseRow, spec classSpec) {
	applied := c.at["applied"]
	if c.utility == "telecom" {
		// Telecom runs on clock hours (the 72-hour rule), not working days.
		hours := g.lognormal(40, 0.5)
		c.at["accepted"] = applied.Add(time.Duration(hours * 0.1 * float64(time.Hour))).Truncate(time.Minute)
		c.at["surveyed"] = applied.Add(time.Duration(hours * 0.4 * float64(time.Hour))).Truncate(time.Minute)
		c.at["connected"] = applied.Add(time.Duration(hours * float64(time.Hour))).Truncate(time.Minute)
		c.at["closed"] = g.after(c.at["connected"], 0.5+g.rng.Float64())
	} else {
		total := g.lognormal(spec.limitWD*0.7, 0.4)
		if g.chance(0.06) {
			c.suspendedWD = 1 + g.rng.IntN(4)
		}
		// Fractions of the total spent before each stage is reached.
		t := applied
		next := func(stage string, share float64) {
			t = g.after(t, total*share)
			c.at[stage] = t
		}
		next("accepted", 0.05)
		next("surveyed", 0.15)
		next("plan_replied", 0.15)
		next("contract", 0.1)
		if c.suspendedWD > 0 {
			t = g.after(t, float64(c.suspendedWD))
		}
		if c.works {
			worksShare := 0.3
			worksWD := total * worksShare
			if spec.worksExcluded {
				worksWD = g.lognormal(8, 0.4) // on top of the limit, which excludes it
			}
			next("approval_submitted", 0.02)
			t = g.after(t, g.lognormal(3, 0.4))
			c.at["approval_granted"] = t
			next("works_started", 0.02)
			t = g.after(t, worksWD)
			c.at["works_completed"] = t
		}
		next("inspected", 0.15)
		next("connected", 0.2)
		next("closed", 0.1+g.rng.Float64()*0.1)
	}
	c.status = "connected"
	switch r := g.rng.Float64(); {
	case r < 0.02:
		c.status = "cancelled"
	case r < 0.03:
		c.status = "withdrawn"
	}
	if c.status != "connected" {
		delete(c.at, "connected")
		delete(c.at, "inspected")
		delete(c.at, "closed")
	}
	// A case still running when the export was taken is open: later stages are unknown.
	for s, t := range c.at {
		if t.After(g.exportAt) {
			delete(c.at, s)
			if c.status == "connected" {
				c.status = "open"
			}
		}
	}
	if c.status == "open" {
		delete(c.at, "closed")
	}
	last := applied
	for _, t := range c.at {
		if t.After(last) {
			last = t
		}
	}
	c.recordedAt = last.Add(time.Duration(g.rng.IntN(120)) * time.Minute)
}

// writeCases writes each utility's cases in the format that utility's system uses.
func (g *generator) writeCases() error {
	events, err := newCSV(g.path("case_events.csv.gz"), []string{"case_id", "utility", "stage", "occurred_at", "recorded_at", "operator"}, csvOptions{gzip: true})
	if err != nil {
		return err
	}
	eventRows := 0
	perUtility := map[string]int{}
	for _, u := range utilityShares {
		perUtility[u.utility] = max(1, int(float64(g.cfg.Cases)*u.share))
	}
	joint := g.planJointApplications(perUtility)
	for _, u := range utilityShares {
		n := perUtility[u.utility]
		out, name, err := g.caseSink(u.utility)
		if err != nil {
			return err
		}
		var update *csvSink
		updates := 0
		if u.utility == "power" {
			if update, err = newCSV(g.path("cases_power_update.csv"), caseColumns, csvOptions{}); err != nil {
				return err
			}
		}
		rows := 0
		for i := 0; i < n; i++ {
			c := g.newCase(u.utility, u.prefix, i+1, g.cfg.From, g.cfg.To)
			if i < len(joint[u.utility]) {
				g.joinApplication(c, joint[u.utility][i])
			}
			row := c.row()
			if g.chance(g.cfg.FaultRate) {
				g.plantCaseFault(c, row)
			}
			if err := out.write(g.localize(u.utility, row)); err != nil {
				return err
			}
			rows++
			if c.status == "connected" {
				g.cases = append(g.cases, c)
			}
			// Some systems log stages as events too; a few pauses arrive only that way.
			if g.chance(0.05) {
				n, err := g.writeEvents(events, c)
				if err != nil {
					return err
				}
				eventRows += n
			}
			// A later export repeats some power cases with later data (and back-fills).
			if update != nil && g.chance(0.02) && c.status != "connected" {
				if err := update.write(g.laterVersion(c)); err != nil {
					return err
				}
				updates++
			}
			// A cancelled application restarted within days: the clock starts again.
			if (c.status == "cancelled" || c.status == "withdrawn") && g.chance(0.3) {
				again := g.newCase(u.utility, u.prefix, n+i+1, c.at["applied"].AddDate(0, 0, 3), c.at["applied"].AddDate(0, 0, 20))
				again.applicant, again.address, again.phone = c.applicant, c.address, c.phone
				if err := out.write(g.localize(u.utility, again.row())); err != nil {
					return err
				}
				rows++
			}
		}
		if err := out.close(); err != nil {
			return err
		}
		g.record(name, "cases", rows)
		if update != nil {
			if err := update.close(); err != nil {
				return err
			}
			g.record("cases_power_update.csv", "cases", updates)
		}
	}
	g.record("case_events.csv.gz", "case_events", eventRows)
	return events.close()
}

func (g *generator) caseSink(utility string) (sink, string, error) {
	switch utility {
	case "power":
		s, err := newCSV(g.path("cases_power.csv"), caseColumns, csvOptions{})
		return s, "cases_power.csv", err
	case "water":
		// Excel on Chinese Windows: GB18030 text with Chinese headers and codes.
		header := make([]string, len(caseColumns))
		for i, c := range caseColumns {
			header[i] = chineseHeaders[c]
		}
		s, err := newCSV(g.path("cases_water_gbk.csv"), header, csvOptions{gbk: true})
		return s, "cases_water_gbk.csv", err
	case "gas":
		s, err := newJSONL(g.path("cases_gas.jsonl"), caseColumns, false)
		return s, "cases_gas.jsonl", err
	default:
		dates := map[string]bool{}
		for _, s := range stages {
			dates[s+"_at"] = true
		}
		dates["recorded_at"] = true
		for _, c := range []string{"survey_agreed_at", "survey_scheduled_for", "inspection_requested_at", "agreed_connection_at"} {
			dates[c] = true
		}
		s, err := newXLSX(g.path("cases_telecom.xlsx"), "开通工单", caseColumns, dates)
		return s, "cases_telecom.xlsx", err
	}
}

// localize writes a row the way the utility's own system does.
func (g *generator) localize(utility string, row []string) []string {
	switch utility {
	case "water": // Chinese codes and 2024/3/5 14:30 times
		for i, col := range caseColumns {
			if zh, ok := chineseCodes[col][row[i]]; ok {
				row[i] = zh
			}
			if t, err := time.Parse("2006-01-02 15:04:05", row[i]); err == nil {
				row[i] = t.Format("2006/1/2 15:04")
			}
		}
	case "gas": // ISO 8601 with the offset
		for i := range row {
			if t, err := time.ParseInLocation("2006-01-02 15:04:05", row[i], g.cfg.Calendar.Location()); err == nil {
				row[i] = t.Format(time.RFC3339)
			}
		}
	}
	return row
}

var chineseHeaders = map[string]string{
	"case_id": "工单编号", "utility": "业务类型", "joint_id": "联合报装编号", "district": "行政区划",
	"area_type": "区域类型", "customer_class": "客户类别", "business_type": "业务子类", "capacity": "报装容量",
	"capacity_unit": "容量单位", "channel": "申请渠道", "is_low_risk": "低风险项目", "has_external_works": "是否有外线工程",
	"procedures": "办理环节数", "materials": "申请材料数", "visits": "跑动次数", "fee_cny": "用户承担费用",
	"status": "工单状态", "applied_at": "申请时间", "accepted_at": "受理时间", "surveyed_at": "现场勘查时间",
	"plan_replied_at": "方案答复时间", "contract_at": "合同签订时间", "approval_submitted_at": "外线审批申报时间",
	"approval_granted_at": "外线审批办结时间", "works_started_at": "外线施工开始时间", "works_completed_at": "外线施工完成时间",
	"inspected_at": "竣工验收时间", "connected_at": "通水时间", "closed_at": "归档时间", "suspended_days": "客户原因暂停工作日",
	"applicant": "户名", "contact_phone": "联系电话", "address": "详细地址", "recorded_at": "录入时间",
	"survey_agreed_at": "踏勘预约确认时间", "survey_scheduled_for": "约定踏勘时间", "inspection_requested_at": "竣工报验时间",
	"agreed_connection_at": "约定接入时间", "meter_fee_cny": "水表安装费", "enterprise_size": "企业规模", "materials_at_application": "受理材料数",
}

var chineseCodes = map[string]map[string]string{
	"utility":            {"water": "供水"},
	"area_type":          {"urban_core": "市中心", "urban": "市区", "town": "城镇", "rural": "农村"},
	"customer_class":     {"residential": "居民", "nonres_dn40": "非居民DN40及以下", "nonres_dn100": "非居民DN100及以下", "nonres_large": "非居民DN100以上", "real_estate": "房地产"},
	"enterprise_size":    {"micro": "微型", "small": "小型", "medium": "中型", "large": "大型"},
	"business_type":      {"new": "新装", "expansion": "增容", "temporary": "临时", "transfer": "过户", "other": "其他"},
	"channel":            {"online": "线上", "window": "窗口", "app": "手机APP", "hotline": "热线", "joint_window": "联合窗口", "pre_service": "前置服务"},
	"status":             {"open": "在办", "connected": "已通水", "cancelled": "已撤销", "withdrawn": "已撤回"},
	"is_low_risk":        {"true": "是", "false": "否"},
	"has_external_works": {"true": "是", "false": "否"},
}

// jointPart is one service of a joint (一表申请) application: the same applicant,
// address and moment of application for every utility it names.
type jointPart struct {
	id                        string
	applied                   time.Time
	district                  District
	applicant, phone, address string
}

// planJointApplications draws the joint applications before the cases are written:
// each names two to four utilities, and each utility's export carries its part.
func (g *generator) planJointApplications(perUtility map[string]int) map[string][]jointPart {
	parts := map[string][]jointPart{}
	groups := max(1, g.cfg.Cases*3/100)
	for i := 0; i < groups; i++ {
		d := g.district()
		p := jointPart{
			id:        fmt.Sprintf("JL%07d", i+1),
			applied:   g.workingInstant(g.cfg.From, g.cfg.To),
			district:  d,
			applicant: fmt.Sprintf("自贡%s%s有限公司", surnames[g.rng.IntN(len(surnames))], trades[g.rng.IntN(len(trades))]),
			phone:     fmt.Sprintf("1%d%09d", 3+g.rng.IntN(7), g.rng.IntN(1_000_000_000)),
			address:   fmt.Sprintf("%s%s路%d号", d.Name, trades[g.rng.IntN(len(trades))], 1+g.rng.IntN(300)),
		}
		order := g.rng.Perm(len(utilityShares))
		for _, j := range order[:2+g.rng.IntN(3)] {
			u := utilityShares[j].utility
			if len(parts[u]) < perUtility[u]/4 {
				parts[u] = append(parts[u], p)
			}
		}
	}
	return parts
}

// joinApplication makes the case one part of a joint application.
func (g *generator) joinApplication(c *caseRow, p jointPart) {
	c.joint, c.channel = p.id, "joint_window"
	c.district, c.area = p.district.Code, p.district.Areas[0]
	c.applicant, c.phone, c.address = p.applicant, p.phone, p.address
	if c.class == "residential" || c.class == "individual" {
		c.class = classSpecs[c.utility][1].class // a business applies jointly
	}
	for _, spec := range classSpecs[c.utility] {
		if spec.class == c.class {
			c.at = map[string]time.Time{"applied": p.applied}
			c.suspendedWD = 0
			g.placeStages(c, spec)
		}
	}
}

// plantCaseFault spoils one value the way real exports do.
func (g *generator) plantCaseFault(c *caseRow, row []string) {
	col := func(name string) int {
		for i, n := range caseColumns {
			if n == name {
				return i
			}
		}
		panic(name)
	}
	switch g.rng.IntN(8) {
	case 0:
		row[col("applied_at")] = "2024-02-30 10:00:00" // no such day
	case 1:
		row[col("customer_class")] = "VIP客户" // a code no profile knows
	case 2:
		row[col("fee_cny")] = "-100"
	case 3:
		row[col("district")] = "" // required value missing
	case 4:
		row[col("district")] = "不存在区" // a name not in the districts list
	case 5: // stages entered out of order: an audit finding, not a reject
		if s, p := row[col("surveyed_at")], row[col("plan_replied_at")]; s != "" && p != "" {
			row[col("surveyed_at")], row[col("plan_replied_at")] = p, s
		}
	case 6: // a stage time after the export was taken: an audit finding
		row[col("closed_at")] = stamp(g.exportAt.AddDate(0, 0, 10))
	case 7: // back-filled: recorded days after the stages it records
		row[col("recorded_at")] = stamp(c.recordedAt.AddDate(0, 0, 12))
	}
}

// laterVersion is the case as a later export shows it: moved on, recorded later.
func (g *generator) laterVersion(c *caseRow) []string {
	later := *c
	later.at = map[string]time.Time{}
	for k, v := range c.at {
		later.at[k] = v
	}
	if c.status == "open" {
		later.status = "connected"
		later.at["connected"] = g.exportAt.Add(-2 * time.Hour)
	}
	later.recordedAt = g.exportAt.Add(20 * time.Hour)
	return later.row()
}

var operators = []string{"营业厅01", "营业厅02", "客户经理A", "客户经理B", "施工班组"}

// writeEvents logs a case's stages as events; some carry a pause that the case row
// does not show, and a few disagree with the case row.
func (g *generator) writeEvents(w sink, c *caseRow) (int, error) {
	n := 0
	for _, s := range stages {
		t, ok := c.at[s]
		if !ok {
			continue
		}
		if g.chance(g.cfg.FaultRate) {
			t = t.Add(3 * time.Hour) // disagrees with the case row: a conflict to report
		}
		if err := w.write([]string{c.id, c.utility, s, stamp(t), stamp(t.Add(time.Duration(g.rng.IntN(60)) * time.Minute)), operators[g.rng.IntN(len(operators))]}); err != nil {
			return n, err
		}
		n++
	}
	if contract, ok := c.at["contract"]; ok && c.suspendedWD == 0 && g.chance(0.3) {
		resumed := g.after(contract, 1)
		for _, e := range [][2]string{{"suspended", stamp(contract.Add(time.Hour))}, {"resumed", stamp(resumed)}} {
			if err := w.write([]string{c.id, c.utility, e[0], e[1], e[1], operators[0]}); err != nil {
				return n, err
			}
			n++
		}
	}
	return n, nil
}

// CasesCSV writes n cases of all four utilities into one UTF-8 CSV with the canonical
// headers, faults included at the configured rate: the input of the load benchmark.
func CasesCSV(cfg Config, path string, n int) error {
	g := &generator{cfg: cfg, rng: newRand(cfg.Seed)}
	g.exportAt = cfg.To.Add(30 * time.Hour)
	out, err := newCSV(path, caseColumns, csvOptions{})
	if err != nil {
		return err
	}
	shares := make([]float64, len(utilityShares))
	for i, u := range utilityShares {
		shares[i] = u.share
	}
	for i := 0; i < n; i++ {
		u := utilityShares[g.pick(shares)]
		c := g.newCase(u.utility, u.prefix, i+1, cfg.From, cfg.To)
		row := c.row()
		if g.chance(cfg.FaultRate) {
			g.plantCaseFault(c, row)
		}
		if err := out.write(row); err != nil {
			return err
		}
	}
	return out.close()
}
