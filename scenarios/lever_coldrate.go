package scenarios

import (
	"fmt"

	"github.com/funnelsim/funnelsim/model"
)

// coldRateLever is the weekly share of waiting leads that go cold: more
// of it lowers revenue, so a goal seek does not take it.
var coldRateLever = &LeverKind{
	Name: "cold_rate", Help: "weekly share of waiting leads that go cold", Unit: model.Ratio,
	bind: func(*model.Model, string) (func(*model.Model, float64) (*model.Model, []string, error), error) {
		return func(m *model.Model, v float64) (*model.Model, []string, error) {
			return Apply(m, Scenario{Name: fmt.Sprintf("cold_rate = %g", v), Interventions: []Intervention{{SLA: &SLA{ColdRate: v}}}}, nil)
		}, nil
	},
	current: func(m *model.Model, _ string) float64 { return m.Reps.ColdRate },
	// From none to half a week.
	defaultRange: func(float64) (lo, hi, step float64) { return 0, 0.5, 0.05 },
}
