package reports

import (
	"cmp"
	"slices"
	"strings"

	"github.com/utilscore/utilscore/metrics"
)

// Suppression is what the public may not see of one period's figures: the groups of
// fewer than MinGroup customers' records (primary), and the further groups hidden so
// that no hidden figure can be worked out from a total beside it (complementary).
// The public workbook, the public pages and the open data all ask the same
// Suppression, so none of them shows what another hides.
//
// The rule, for every table of parts beside their total (districts, classes, area
// types or utilities of one figure; the bins of a histogram beside its case count):
// where the total is shown and a part with records is hidden, the hidden parts with
// records must be at least two and hold at least MinGroup records together; until
// they do, the next-smallest shown part is hidden too. Only when no part is left to
// hide is the total hidden instead. Totals are never rounded: they are the figures a
// utility must publish and the targets judge, and a rounded total beside exact ones
// would still let the parts be subtracted.
//
// A group is one figure's records (all its statistics together, so a rate's count
// cannot be read off its pending count); groups of the same figure and records
// (a target's row and the general row it repeats) are shown or hidden together.
type Suppression struct {
	customer func(metric string) bool
	hidden   map[node]bool
	groupN   map[groupKey]int64
	bins     map[string][]bool // utility → hidden histogram bins
}

// groupKey names one figure's group of records: a target's or the general one.
type groupKey struct{ target, metric, utility, class, district, area string }

// node is what a group shows: the same figure over the same group of records, by
// whichever target. Two groups with the same dimensions and count are one.
type node struct {
	metric, utility, class, district, area string
	n                                      int64
}

// customerFamilies are the metric families made of customers' records (cases,
// ratings, tickets): a small group of them could single one out. Outage and leakage
// figures describe a network, not a customer, and are the very figures the disclosure
// must publish, so they are always shown.
var customerFamilies = []string{"connection", "ratings", "tickets"}

// Suppressible tells whether the public is kept from a metric's small groups.
func (d *Data) Suppressible(metric string) bool {
	for _, def := range d.Definitions {
		if def.ID == metric {
			return slices.Contains(customerFamilies, def.Family)
		}
	}
	return true // a figure of unknown make is treated as the customers' own
}

// Public is the suppression of the period's figures and histogram. Compute it once
// for all the rows an output writes.
func (d *Data) Public() *Suppression { return Suppress(d.Rows, d.Histogram, d.Suppressible) }

// PublicOf is the suppression of another period's rows (the trend, the comparisons),
// under the same rule.
func (d *Data) PublicOf(rows []metrics.Row) *Suppression { return Suppress(rows, nil, d.Suppressible) }

// Hidden tells whether the public may not see a row.
func (s *Suppression) Hidden(r metrics.Row) bool {
	if !s.customer(r.MetricID) {
		return false
	}
	k := keyOf(r)
	n, ok := s.groupN[k]
	if !ok { // a row the suppression was not worked out on: its own size decides
		return r.N < MinGroup
	}
	return s.hidden[nodeOf(k, n)]
}

// HiddenBin tells whether the public may not see a bin of a utility's histogram.
func (s *Suppression) HiddenBin(utility string, bin int) bool {
	b := s.bins[utility]
	return bin < len(b) && b[bin]
}

func keyOf(r metrics.Row) groupKey {
	return groupKey{r.TargetID, r.MetricID, r.Utility, r.CustomerClass, r.District, r.AreaType}
}

func nodeOf(k groupKey, n int64) node {
	return node{k.metric, k.utility, k.class, k.district, k.area, n}
}

// table is a total and the parts it sums. A derived table's total is one group less
// another (all classes less joined ones): it is known when both are shown.
type table struct {
	totals []groupKey
	parts  []groupKey
}

// Suppress works out what the public may not see of rows (one period's) and of the
// histogram beside them; customer tells which metrics hold customers' records.
func Suppress(rows []metrics.Row, histogram map[string][]int64, customer func(metric string) bool) *Suppression {
	s := &Suppression{customer: customer, hidden: map[node]bool{}, groupN: map[groupKey]int64{}, bins: map[string][]bool{}}
	for _, r := range rows {
		if !customer(r.MetricID) {
			continue
		}
		// A group's size is its smallest count: a ticket rate counts the decided
		// tickets, its pending figure all of them.
		k := keyOf(r)
		if n, ok := s.groupN[k]; !ok || r.N < n {
			s.groupN[k] = r.N
		}
	}
	for k, n := range s.groupN {
		if n < MinGroup {
			s.hidden[nodeOf(k, n)] = true
		}
	}
	tables := s.tables()
	for changed := true; changed; {
		changed = false
		for _, t := range tables {
			changed = s.protect(t) || changed
		}
	}
	for u, counts := range histogram {
		s.bins[u] = s.protectBins(u, counts)
	}
	return s
}

func (s *Suppression) isHidden(k groupKey) bool { return s.hidden[nodeOf(k, s.groupN[k])] }

func (s *Suppression) hide(k groupKey) { s.hidden[nodeOf(k, s.groupN[k])] = true }

// protect applies the rule to one table and tells whether it hid anything.
func (s *Suppression) protect(t table) bool {
	for _, total := range t.totals {
		if s.isHidden(total) {
			return false
		}
	}
	var hiddenN, hiddenParts int64
	var shown []groupKey
	for _, p := range t.parts {
		n := s.groupN[p]
		switch {
		case n == 0: // no records: nothing to protect, and no protection
		case s.isHidden(p):
			hiddenN += n
			hiddenParts++
		default:
			shown = append(shown, p)
		}
	}
	if hiddenParts == 0 {
		return false
	}
	slices.SortFunc(shown, func(a, b groupKey) int {
		return cmp.Or(cmp.Compare(s.groupN[a], s.groupN[b]), compareKeys(a, b))
	})
	changed := false
	for hiddenParts < 2 || hiddenN < MinGroup {
		if len(shown) == 0 {
			if hiddenParts < 2 {
				s.hide(t.totals[len(t.totals)-1])
				changed = true
			}
			break
		}
		s.hide(shown[0])
		hiddenN += s.groupN[shown[0]]
		hiddenParts++
		shown = shown[1:]
		changed = true
	}
	return changed
}

// protectBins: a bin of fewer than MinGroup cases is hidden, and the bins beside it by
// the same rule as a table's parts, the total being the utility's count of connected
// cases (shown in the workbook). When that count is hidden, so is every bin.
func (s *Suppression) protectBins(utility string, counts []int64) []bool {
	hidden := make([]bool, len(counts))
	total := groupKey{metric: "connection_time", utility: utility}
	_, known := s.groupN[total]
	allHidden := known && s.isHidden(total)
	var hiddenN, hiddenBins int64
	var shown []int
	for i, c := range counts {
		switch {
		case c == 0:
		case c < MinGroup || allHidden:
			hidden[i] = true
			hiddenN += c
			hiddenBins++
		default:
			shown = append(shown, i)
		}
	}
	slices.SortStableFunc(shown, func(a, b int) int { return cmp.Compare(counts[a], counts[b]) })
	for hiddenBins > 0 && (hiddenBins < 2 || hiddenN < MinGroup) && len(shown) > 0 {
		hidden[shown[0]] = true
		hiddenN += counts[shown[0]]
		hiddenBins++
		shown = shown[1:]
	}
	return hidden
}

func compareKeys(a, b groupKey) int {
	return cmp.Or(strings.Compare(a.target, b.target), strings.Compare(a.metric, b.metric), strings.Compare(a.utility, b.utility),
		strings.Compare(a.class, b.class), strings.Compare(a.district, b.district), strings.Compare(a.area, b.area))
}

// dimensions along which a figure's groups add up: each reads and sets one field.
var dimensions = []struct {
	get func(*groupKey) *string
}{
	{func(k *groupKey) *string { return &k.utility }},
	{func(k *groupKey) *string { return &k.class }},
	{func(k *groupKey) *string { return &k.district }},
	{func(k *groupKey) *string { return &k.area }},
}

// tables finds every total beside its parts: a group whose value along a dimension is
// "" (all) or joined classes ("hv_single+hv_dual"), and the groups of the same figure
// that differ from it only there, by a single value (or one of the joined classes).
// Parts come from the total's own target; a target's total whose parts only the
// general rows show (its classes one by one, its utilities) takes those. Where joined
// classes sum some of a total's parts, the rest are a table too: the total less the
// joined ones is known.
func (s *Suppression) tables() []table {
	var out []table
	for _, dim := range dimensions {
		byRest := map[groupKey][]groupKey{}
		joined := map[groupKey][]groupKey{} // joined groups by the rest of their key, any target
		for k := range s.groupN {
			rest := k
			*dim.get(&rest) = ""
			byRest[rest] = append(byRest[rest], k)
			if strings.Contains(*dim.get(&k), "+") {
				rest.target = ""
				joined[rest] = append(joined[rest], k)
			}
		}
		partsOf := func(total groupKey, target string) []groupKey {
			v := *dim.get(&total)
			members := strings.Split(v, "+")
			rest := total
			rest.target = target
			*dim.get(&rest) = ""
			var parts []groupKey
			for _, k := range byRest[rest] {
				pv := *dim.get(&k)
				if pv == "" || strings.Contains(pv, "+") || v != "" && !slices.Contains(members, pv) {
					continue
				}
				parts = append(parts, k)
			}
			slices.SortFunc(parts, compareKeys)
			return parts
		}
		for total := range s.groupN {
			v := *dim.get(&total)
			if v != "" && !strings.Contains(v, "+") {
				continue
			}
			parts := partsOf(total, total.target)
			if len(parts) == 0 && total.target != "" {
				parts = partsOf(total, "")
			}
			if len(parts) == 0 {
				continue
			}
			out = append(out, table{[]groupKey{total}, parts})
			if v != "" {
				continue
			}
			// Joined groups, of any target, whose classes are all among these parts.
			rest := total
			rest.target = ""
			for _, j := range joined[rest] {
				members := strings.Split(*dim.get(&j), "+")
				var others []groupKey
				for _, p := range parts {
					if !slices.Contains(members, *dim.get(&p)) {
						others = append(others, p)
					}
				}
				if len(parts)-len(others) == len(members) && len(others) > 0 {
					out = append(out, table{[]groupKey{total, j}, others})
				}
			}
		}
	}
	// Map order must not decide which part is hidden: walk the tables in key order.
	slices.SortStableFunc(out, func(a, b table) int {
		for i := 0; i < min(len(a.totals), len(b.totals)); i++ {
			if c := compareKeys(a.totals[i], b.totals[i]); c != 0 {
				return c
			}
		}
		return cmp.Compare(len(a.totals), len(b.totals))
	})
	return out
}
