package metrics

import (
	"encoding/csv"
	"io"
	"strconv"
	"strings"
)

// Columns is the column order of the metrics contract (spec/outputs.md); target_id,
// the 15th, came with spec v2 after the fourteen that keep their meaning.
var Columns = []string{"metric_id", "utility", "customer_class", "district", "area_type", "period",
	"statistic", "value", "unit", "n", "target", "comparison", "status", "source", "target_id"}

// Record is a row's fields in the order of Columns; numbers in full precision.
func (r Row) Record() []string {
	return []string{r.MetricID, r.Utility, r.CustomerClass, r.District, r.AreaType, r.Period, r.Statistic,
		FormatNumber(r.Value), r.Unit, strconv.FormatInt(r.N, 10), FormatNumber(r.Target), r.Comparison, r.Status, r.Source, r.TargetID}
}

// FormatNumber writes a value as a plain number; nil is empty.
func FormatNumber(v *float64) string {
	if v == nil {
		return ""
	}
	return strconv.FormatFloat(*v, 'f', -1, 64)
}

// WriteCSV writes rows as the metrics CSV, safe to open in a spreadsheet.
func WriteCSV(w io.Writer, rows []Row) error {
	cw := csv.NewWriter(w)
	cw.Write(Columns)
	for _, r := range rows {
		cw.Write(SafeCSV(r.Record()))
	}
	cw.Flush()
	return cw.Error()
}

// SafeCSV applies OWASP's CSV-injection rule to every field that is not a plain
// number: one starting with =, +, -, @, tab or CR is prefixed with ', so no
// spreadsheet runs it as a formula.
func SafeCSV(fields []string) []string {
	out := make([]string, len(fields))
	for i, f := range fields {
		out[i] = f
		if f == "" || strings.IndexByte("=+-@\t\r", f[0]) < 0 {
			continue
		}
		if _, err := strconv.ParseFloat(f, 64); err == nil {
			continue // a negative number is ours, not a formula
		}
		out[i] = "'" + f
	}
	return out
}
