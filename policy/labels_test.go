package policy

import (
	"strings"
	"testing"

	"github.com/utilscore/utilscore/domain"
)

// Every class, and every group of classes a built-in profile's target names (the
// customer_class of its rows, joined by "+"), has a Chinese name.
func TestEveryClassGroupOfTheProfilesHasAChineseName(t *testing.T) {
	for _, id := range BuiltinIDs() {
		p, err := Load(id)
		if err != nil {
			t.Fatal(err)
		}
		for _, tg := range p.Targets {
			key := strings.Join(tg.Where.Classes, "+")
			if name, ok := domain.ClassZH[key]; !ok || name == "" || strings.ContainsAny(name, "_+") {
				t.Errorf("%s target %s: class %q has no Chinese name (got %q)", id, tg.ID, key, name)
			}
		}
	}
}
