package policy

import (
	"reflect"
	"testing"

	"github.com/utilscore/utilscore/metrics"
)

// Each profile's outage reading (metrics.md H8) reaches the outage query: the reasons
// its document accepts, for the utilities its targets cover.
func TestProfilesOutageSettings(t *testing.T) {
	tests := []struct {
		profile string
		want    metrics.OutageSettings
	}{
		// 二(四): only safety stops such as forest-fire prevention; power only.
		{"zigong-power-2021", metrics.OutageSettings{ExemptReasons: []string{"forest_fire_prevention"}, ExemptUtilities: []string{"power"},
			ExemptOthersAs: "planned", MomentaryMinutes: 3, MomentaryUtilities: []string{"power"}}},
		// 14: no exemption; a stop that could not be announced is a sudden one.
		{"kunming-water-2023", metrics.OutageSettings{ExemptReasons: []string{}, ExemptUtilities: []string{"water"},
			ExemptOthersAs: "fault", MomentaryMinutes: 3, MomentaryUtilities: []string{"power"}}},
		// No outage target: the logged exemptions stand.
		{"district-wpgt", metrics.OutageSettings{ExemptOthersAs: "planned", MomentaryMinutes: 3, MomentaryUtilities: []string{"power"}}},
	}
	for _, tt := range tests {
		p, err := Load(tt.profile)
		if err != nil {
			t.Fatal(err)
		}
		if got := p.MetricSettings().Outages; !reflect.DeepEqual(got, tt.want) {
			t.Errorf("%s: outage settings = %+v, want %+v", tt.profile, got, tt.want)
		}
	}
}
