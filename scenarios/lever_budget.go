package scenarios

import (
	"errors"
	"fmt"

	"github.com/funnelsim/funnelsim/model"
)

// budgetLever is the total weekly spend, at the current mix.
var budgetLever = &LeverKind{
	Name: "budget", Help: "total weekly spend at the current mix", Unit: model.Money, Rising: true,
	bind: func(m *model.Model, _ string) (func(*model.Model, float64) (*model.Model, []string, error), error) {
		total := weeklySpend(m)
		if total <= 0 {
			return nil, errors.New("the model has no spend")
		}
		return func(m *model.Model, v float64) (*model.Model, []string, error) {
			spend := map[string]float64{}
			for _, c := range m.Channels {
				if c.WeeklySpend > 0 {
					spend[c.Name] = c.WeeklySpend * v / total
				}
			}
			return Apply(m, Scenario{Name: fmt.Sprintf("budget = %g", v), Interventions: []Intervention{{Budget: &Budget{Spend: spend}}}}, nil)
		}, nil
	},
	current: func(m *model.Model, _ string) float64 { return weeklySpend(m) },
	// Half to twice today's budget.
	defaultRange: func(now float64) (lo, hi, step float64) { return now / 2, 2 * now, now * 0.15 },
}

// weeklySpend is the model's spend a week, over its channels.
func weeklySpend(m *model.Model) float64 {
	total := 0.0
	for _, c := range m.Channels {
		total += c.WeeklySpend
	}
	return total
}
