package pace

import (
	"context"
	"database/sql"
	_ "embed"
	"fmt"
	"sort"

	"github.com/utilscore/utilscore/metrics"
)

//go:embed districts.sql
var districtsSQL string

// areaParts are the districts' customer-hours and customers in each area type, month
// by month over last year and this one (index 0: last January).
type areaParts map[[3]string]*[24][2]float64 // utility, area, district → month → customer-hours, customers

func readAreaParts(ctx context.Context, db *sql.DB, year metrics.Period, o metrics.OutageSettings) (areaParts, error) {
	var bounds []string
	for i := -12; i <= 12; i++ {
		bounds = append(bounds, year.Start.AddDate(0, i, 0).Format("2006-01-02 15:04:05-07:00"))
	}
	list := "["
	for i, b := range bounds {
		if i > 0 {
			list += ", "
		}
		list += "'" + b + "'"
	}
	conn, err := db.Conn(ctx)
	if err != nil {
		return nil, err
	}
	defer conn.Close()
	if err := metrics.WriteOutageSettings(ctx, conn, o); err != nil {
		return nil, fmt.Errorf("outage settings: %w", err)
	}
	defer metrics.DropOutageSettings(context.Background(), conn)
	rows, err := conn.QueryContext(ctx, districtsSQL, list+"]")
	if err != nil {
		return nil, fmt.Errorf("interruptions by district and area type: %w", err)
	}
	defer rows.Close()
	out := areaParts{}
	for rows.Next() {
		var u, d, a string
		var seq int
		var customers, hours float64
		if err := rows.Scan(&u, &d, &a, &seq, &customers, &hours); err != nil {
			return nil, err
		}
		k := [3]string{u, a, d}
		if out[k] == nil {
			out[k] = &[24][2]float64{}
		}
		out[k][seq] = [2]float64{hours, customers}
	}
	return out, rows.Err()
}

// areaDrivers ranks the districts of an interruption line at risk: each district's own
// projection (its customer-hours over its customers), weighted by its share of the
// area's customers, against the limit.
func areaDrivers(l Line, parts areaParts, r *Report) []Driver {
	m := r.Observed
	var areaCustomers float64
	for k, p := range parts {
		if k[0] == l.Utility && k[1] == l.AreaType {
			for i := 12; i < 12+m; i++ {
				areaCustomers += p[i][1]
			}
		}
	}
	if areaCustomers == 0 {
		return nil
	}
	rule := l.Rule
	rule.OrYoYDrop = nil
	var out []Driver
	for k, p := range parts {
		if k[0] != l.Utility || k[1] != l.AreaType {
			continue
		}
		s := Series{Observed: m}
		var hours, customers float64
		complete := true
		for i := 12; i < 12+m; i++ {
			hours += p[i][0]
			customers += p[i][1]
			complete = complete && p[i][1] > 0
			s.Months = append(s.Months, perCustomer(p[i]))
		}
		if !complete {
			continue // a month without its customers has no figure (spec/metrics.md B)
		}
		ytd := hours / (customers / float64(m))
		s.YTD = &ytd
		for i := 0; i < 12; i++ {
			s.LastYear = append(s.LastYear, perCustomer(p[i]))
		}
		d := Driver{District: k[2], Name: r.Districts[k[2]], Series: s}
		d.Projection = Project(rule, s)
		if d.Point == nil {
			continue
		}
		d.Impact = customers / areaCustomers * (*d.Point - l.Limit)
		if d.Impact > tolerance {
			out = append(out, d)
		}
	}
	return rank(out)
}

func perCustomer(p [2]float64) Month {
	if p[1] == 0 {
		return Month{}
	}
	v := p[0] / p[1]
	return Month{Value: &v}
}

// rank orders drivers by impact, largest first, and keeps the first few.
func rank(out []Driver) []Driver {
	sort.Slice(out, func(i, j int) bool {
		if out[i].Impact != out[j].Impact {
			return out[i].Impact > out[j].Impact
		}
		return out[i].District < out[j].District
	})
	if len(out) > maxDrivers {
		out = out[:maxDrivers]
	}
	return out
}
