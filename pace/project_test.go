package pace

import (
	"encoding/json"
	"math"
	"os"
	"testing"
)

// fixture is one hand-worked projection (testdata/projections.json); work shows the
// arithmetic.
type fixture struct {
	Name   string `json:"name"`
	Work   string `json:"work"`
	Rule   Rule   `json:"rule"`
	Series Series `json:"series"`
	What   string `json:"what"`
	Unit   string `json:"unit"`
	Want   struct {
		Verdict  string   `json:"verdict"`
		Point    *float64 `json:"point"`
		Low      *float64 `json:"low"`
		High     *float64 `json:"high"`
		Required *float64 `json:"required"`
		Sentence string   `json:"sentence"`
		Reason   string   `json:"reason"`
	} `json:"want"`
}

func TestProjectHandWorked(t *testing.T) {
	data, err := os.ReadFile("testdata/projections.json")
	if err != nil {
		t.Fatal(err)
	}
	var cases []fixture
	if err := json.Unmarshal(data, &cases); err != nil {
		t.Fatal(err)
	}
	if len(cases) < 11 {
		t.Fatalf("read %d fixtures, want 11", len(cases))
	}
	for _, c := range cases {
		t.Run(c.Name, func(t *testing.T) {
			p := Project(c.Rule, c.Series)
			if p.Verdict != c.Want.Verdict {
				t.Errorf("verdict %s, want %s", p.Verdict, c.Want.Verdict)
			}
			for _, f := range []struct {
				name      string
				got, want *float64
			}{{"point", p.Point, c.Want.Point}, {"low", p.Low, c.Want.Low}, {"high", p.High, c.Want.High}, {"required", p.Required, c.Want.Required}} {
				switch {
				case f.want == nil && f.name == "point" && f.got != nil:
					t.Errorf("point %v, want no projection", *f.got)
				case f.want == nil:
				case f.got == nil:
					t.Errorf("%s missing, want %v", f.name, *f.want)
				case math.Abs(*f.got-*f.want) > 1e-4:
					t.Errorf("%s %.5f, want %.5f", f.name, *f.got, *f.want)
				}
			}
			if got := Sentence(c.Rule, p, c.What, c.Unit); got != c.Want.Sentence {
				t.Errorf("sentence %q, want %q", got, c.Want.Sentence)
			}
			if p.Reason != c.Want.Reason {
				t.Errorf("reason %q, want %q", p.Reason, c.Want.Reason)
			}
		})
	}
}
