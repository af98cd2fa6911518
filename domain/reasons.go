package domain

import (
	"regexp"
	"strconv"
	"strings"
)

// A reason the loader gives for a rejected row is stored as the loader writes it, in
// English (the command line's language), quoting the value. Each reason is defined
// here once more, as the pattern of that text and its Chinese, for the Chinese
// outputs; ingest's tests check that every reason the loader writes has one.
var reasons = []struct {
	english *regexp.Regexp
	chinese string // {1}, {2}… are the pattern's groups; {1:column}, {1:class}, {1:utility} name a code in Chinese
}{
	{re(`required value is missing`), "必填字段为空"},
	{re(`"(.*)" is not a known code; use one of (.*), or map it in a --mapping profile`), "“{1}”不是可识别的代码：请改用规定的代码，或在映射配置中对应"},
	{re(`customer class (.*) is not a (\w+) class; use one of (.*)`), "客户类别“{1:class}”不属于{2:utility}行业的客户类别"},
	{re(`"(.*)" is not a date-time; write it as .*`), "“{1}”不是有效的日期时间，应写作2024-03-05 14:30:00、2024-03-05T14:30:00+08:00、2024/3/5 14:30或2024年3月5日 14:30"},
	{re(`"(.*)" has an implausible year`), "“{1}”的年份不合理"},
	{re(`(\w+) (.*) is before (\w+) (.*)`), "{1:column}（{2}）早于{3:column}（{4}）"},
	{re(`"(.*)" is not a 6-digit district code, and no districts list is loaded to match a name; load one \(kind districts\) first`), "“{1}”不是6位区县代码，且尚未载入区县列表，无法按名称匹配：请先载入区县列表"},
	{re(`"(.*)" is neither a code nor a name in the districts list; fix it or add the district to the list`), "“{1}”既不是区县列表中的代码，也不是其中的名称：请更正，或将该区县加入列表"},
	{re(`"(.*)" is negative; a count or quantity cannot be`), "“{1}”为负数，数量或金额不能为负"},
	{re(`"(.*)" is not a finite number`), "“{1}”不是有限数值"},
	{re(`"(.*)" is not a whole number`), "“{1}”不是整数"},
	{re(`"(.*)" is not a number`), "“{1}”不是数值"},
	{re(`"(.*)" is not a month; write it as 2024-03`), "“{1}”不是月份，应写作2024-03"},
	{re(`"(.*)" is not true or false \(是/否\); map it in a --mapping profile`), "“{1}”不是“是/否”（或在映射配置中对应）"},
	{re(`rating "(.*)" is outside 1 \(非常不满意\) to 5 \(非常满意\)`), "评价等级“{1}”超出1（非常不满意）至5（非常满意）"},
	{re(`another row of this file has the same (.*) \((.*)\) and recorded_at but different content; which one is right cannot be told`), "本文件中另有一行的{1:columns}（“{2}”）和记录时间相同而内容不同，无法判断哪一行正确"},
	{re(`the row has (\d+) fields where the header has (\d+); fix the row .*`), "该行有{1}个字段，表头有{2}个：请修正该行（缺少或多出分隔符，或值中有未加引号的分隔符）"},
	{re(`field (\d+) has text after its closing quote; .*`), "第{1}个字段在结束引号后还有文字：应将整个字段加引号，字段内的引号写两次"},
	{re(`line (\d+) is not valid (.*) text: byte (\d+) \(.*\) is not valid .*; the row is not loaded .*`), "第{1}行不是有效的{2}文本（第{3}个字节无效），该行未载入：请重新导出，或指定正确的编码"},
	{re(`the (?:row|line) is longer than (\d+) MiB, .*`), "该行超过{1} MiB，任何导出的行都不会这么长，未载入：请检查导出文件是否缺少换行"},
	{re(`not a JSON object(?:: .*)?`), "不是JSON对象"},
	{re(`more than one JSON value on the line; .*`), "一行中有多个JSON值：.jsonl文件每行一个对象"},
}

func re(s string) *regexp.Regexp { return regexp.MustCompile("^" + s + "$") }

// ColumnZH names the columns a reason may name between two times or as a duplicate key.
var ColumnZH = map[string]string{"applied_at": "申请时间", "accepted_at": "受理时间", "connected_at": "接入时间", "closed_at": "办结时间",
	"received_at": "受理时间", "start_at": "开始时间", "end_at": "结束时间", "rated_at": "评价时间", "rectified_at": "整改时间",
	"recorded_at": "记录时间", "occurred_at": "发生时间", "cancelled_at": "撤销时间", "case_id": "工单编号", "utility": "行业",
	"outage_id": "停电编号", "ticket_id": "诉求编号", "evaluation_id": "评价编号", "event_id": "事件编号", "stage": "环节",
	"district": "区县", "month": "月份"}

// ReasonZH gives a rejection reason in Chinese, and whether it knows the reason: an
// unknown one comes back as it is, so nothing is lost.
func ReasonZH(english string) (string, bool) {
	for _, r := range reasons {
		m := r.english.FindStringSubmatch(english)
		if m == nil {
			continue
		}
		out := r.chinese
		for i := len(m) - 1; i >= 1; i-- {
			n := strconv.Itoa(i)
			out = strings.NewReplacer("{"+n+"}", m[i], "{"+n+":column}", Or(ColumnZH, m[i]),
				"{"+n+":class}", Or(ClassZH, m[i]),
				"{"+n+":columns}", columnsZH(m[i]), "{"+n+":utility}", Or(UtilityZH, m[i])).Replace(out)
		}
		return out, true
	}
	return english, false
}

func columnsZH(list string) string {
	parts := strings.Split(list, ", ")
	for i, c := range parts {
		parts[i] = Or(ColumnZH, c)
	}
	return strings.Join(parts, "、")
}
