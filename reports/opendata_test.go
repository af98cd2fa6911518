package reports

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"testing"
)

type schemaField struct {
	Name, Title, Type, Description string
	Constraints                    struct {
		Required bool     `json:"required"`
		Enum     []string `json:"enum"`
	}
}

// datapackage is what the test reads of datapackage.json.
type datapackage struct {
	Profile   string `json:"profile"`
	Resources []struct {
		Name, Path, Format, Profile string
		Schema                      struct{ Fields []schemaField }
	}
	Suppression struct {
		MinGroup int    `json:"min_group"`
		Rule     string `json:"rule"`
	}
	Metrics []struct {
		ID, Name, Unit  string
		Definition      string
		SuppressedBelow *int `json:"suppressed_below"`
	}
}

// The open data validate against their datapackage.json (column order, types,
// required fields, enums), carry the public workbook's suppression, and hold no
// personal data.
func TestOpenData(t *testing.T) {
	d := demoData(t)
	dir := t.TempDir()
	paths, err := WriteOpenData(dir, d)
	if err != nil {
		t.Fatal(err)
	}
	if len(paths) != 3 {
		t.Fatalf("wrote %v", paths)
	}
	for _, p := range paths {
		data, _ := os.ReadFile(p)
		checkNoPersonalData(t, "open data "+filepath.Base(p), string(data))
	}
	raw, err := os.ReadFile(filepath.Join(dir, OpenDataDir, "datapackage.json"))
	if err != nil {
		t.Fatal(err)
	}
	var pkg datapackage
	if err := json.Unmarshal(raw, &pkg); err != nil {
		t.Fatal(err)
	}
	if pkg.Profile != "tabular-data-package" || len(pkg.Resources) != 2 || pkg.Suppression.MinGroup != MinGroup || pkg.Suppression.Rule == "" {
		t.Fatalf("datapackage = %+v", pkg)
	}
	if len(pkg.Metrics) != len(d.Definitions) {
		t.Errorf("%d metrics described, %d defined", len(pkg.Metrics), len(d.Definitions))
	}
	for _, m := range pkg.Metrics {
		if m.Name == "" || m.Unit == "" || m.Definition == "" {
			t.Errorf("metric %s is not fully described: %+v", m.ID, m)
		}
		if hidden := d.Suppressible(m.ID); hidden != (m.SuppressedBelow != nil) {
			t.Errorf("metric %s: suppressed_below %v, but the public workbook hides its small groups: %v", m.ID, m.SuppressedBelow, hidden)
		}
	}
	for _, res := range pkg.Resources {
		fields := res.Schema.Fields
		if len(fields) < 15 {
			t.Fatalf("%s: %d fields", res.Name, len(fields))
		}
		for _, f := range fields {
			if f.Title == "" || f.Description == "" || !slices.Contains([]string{"string", "number", "integer", "boolean"}, f.Type) {
				t.Errorf("%s: field %+v is not described", res.Name, f)
			}
		}
		data, err := os.ReadFile(filepath.Join(dir, OpenDataDir, res.Path))
		if err != nil {
			t.Fatal(err)
		}
		var rows [][]any // nil = missing
		switch res.Format {
		case "csv":
			rows = readOpenCSV(t, data, fields)
		case "json":
			rows = readOpenJSON(t, data, fields)
		default:
			t.Fatalf("%s: format %q", res.Name, res.Format)
		}
		if len(rows) != len(d.Rows) || len(rows) == 0 {
			t.Fatalf("%s: %d rows, want %d", res.Name, len(rows), len(d.Rows))
		}
		suppressed := 0
		pub := d.Public()
		for i, row := range rows {
			for j, f := range fields {
				v := row[j]
				switch {
				case v == nil:
					if f.Constraints.Required {
						t.Errorf("%s row %d: %s is required", res.Name, i+1, f.Name)
					}
				case f.Constraints.Enum != nil && !slices.Contains(f.Constraints.Enum, fmt.Sprint(v)):
					t.Errorf("%s row %d: %s = %v, not in %v", res.Name, i+1, f.Name, v, f.Constraints.Enum)
				}
			}
			// The same figures as the public workbook: suppressed where it says <5.
			r := d.Rows[i]
			hidden := pub.Hidden(r)
			got := openValue(row, fields, "suppressed")
			if got != hidden {
				t.Errorf("%s row %d (%s %s n=%d): suppressed = %v, want %v", res.Name, i+1, r.MetricID, r.District, r.N, got, hidden)
			}
			value, n := openValue(row, fields, "value"), openValue(row, fields, "n")
			if hidden {
				suppressed++
				if value != nil || n != nil || openValue(row, fields, "status") != nil {
					t.Errorf("%s row %d: a suppressed figure shows value %v, n %v", res.Name, i+1, value, n)
				}
				continue
			}
			if (r.Value == nil) != (value == nil) || (r.Value != nil && math.Abs(value.(float64)-*r.Value) > 1e-12) || n.(int64) != r.N {
				t.Errorf("%s row %d (%s): value %v n %v, want %v n %d", res.Name, i+1, r.MetricID, value, n, r.Value, r.N)
			}
		}
		if suppressed == 0 || suppressed == len(rows) {
			t.Errorf("%s: %d of %d rows suppressed; the demo data should have some of each", res.Name, suppressed, len(rows))
		}
	}
}

func openValue(row []any, fields []schemaField, name string) any {
	for j, f := range fields {
		if f.Name == name {
			return row[j]
		}
	}
	return nil
}

// readOpenCSV checks the header against the schema and types each cell.
func readOpenCSV(t *testing.T, data []byte, fields []schemaField) [][]any {
	t.Helper()
	records, err := csv.NewReader(bytes.NewReader(data)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	for j, f := range fields {
		if j >= len(records[0]) || records[0][j] != f.Name {
			t.Fatalf("CSV header %v, want the schema's fields in order", records[0])
		}
	}
	var rows [][]any
	for i, rec := range records[1:] {
		if len(rec) != len(fields) {
			t.Fatalf("CSV row %d has %d cells", i+1, len(rec))
		}
		row := make([]any, len(fields))
		for j, f := range fields {
			if rec[j] == "" {
				continue
			}
			var err error
			switch f.Type {
			case "number":
				row[j], err = strconv.ParseFloat(rec[j], 64)
			case "integer":
				row[j], err = strconv.ParseInt(rec[j], 10, 64)
			case "boolean":
				row[j], err = strconv.ParseBool(rec[j])
				if rec[j] != "true" && rec[j] != "false" {
					err = fmt.Errorf("not true or false")
				}
			default:
				row[j] = rec[j]
			}
			if err != nil {
				t.Errorf("CSV row %d, %s = %q is not %s: %v", i+1, f.Name, rec[j], f.Type, err)
			}
		}
		rows = append(rows, row)
	}
	return rows
}

// readOpenJSON reads the array of objects token by token, to check each object's
// keys are the schema's fields in order, and types each value.
func readOpenJSON(t *testing.T, data []byte, fields []schemaField) [][]any {
	t.Helper()
	var objects []json.RawMessage
	if err := json.Unmarshal(data, &objects); err != nil {
		t.Fatal(err)
	}
	var rows [][]any
	for i, obj := range objects {
		dec := json.NewDecoder(bytes.NewReader(obj))
		dec.UseNumber()
		dec.Token() // {
		row := make([]any, len(fields))
		for j, f := range fields {
			key, err := dec.Token()
			if err != nil || key != f.Name {
				t.Fatalf("JSON row %d: key %d is %v, want %s", i+1, j+1, key, f.Name)
			}
			var v any
			if err := dec.Decode(&v); err != nil {
				t.Fatal(err)
			}
			if v == nil {
				continue
			}
			ok := false
			switch f.Type {
			case "number":
				var num json.Number
				if num, ok = v.(json.Number); ok {
					row[j], err = num.Float64()
					ok = err == nil
				}
			case "integer":
				var num json.Number
				if num, ok = v.(json.Number); ok {
					row[j], err = num.Int64()
					ok = err == nil
				}
			case "boolean":
				row[j], ok = v.(bool)
			default:
				row[j], ok = v.(string)
			}
			if !ok {
				t.Errorf("JSON row %d, %s = %v is not %s", i+1, f.Name, v, f.Type)
			}
		}
		if dec.More() {
			t.Errorf("JSON row %d has keys beyond the schema", i+1)
		}
		rows = append(rows, row)
	}
	return rows
}
