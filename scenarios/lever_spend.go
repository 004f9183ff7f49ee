package scenarios

import (
	"fmt"
	"math"

	"github.com/funnelsim/funnelsim/model"
)

// spendLever is one channel's weekly spend: spend:CHANNEL.
var spendLever = &LeverKind{
	Name: "spend:", Prefix: true, Help: "that channel's weekly spend", Unit: model.Money, Rising: true,
	bind: func(m *model.Model, ch string) (func(*model.Model, float64) (*model.Model, []string, error), error) {
		if _, err := channel(m, ch); err != nil {
			return nil, err
		}
		return func(m *model.Model, v float64) (*model.Model, []string, error) {
			return Apply(m, Scenario{Name: fmt.Sprintf("spend:%s = %g", ch, v), Interventions: []Intervention{{Budget: &Budget{Spend: map[string]float64{ch: v}}}}}, nil)
		}, nil
	},
	current: func(m *model.Model, ch string) float64 {
		if c, err := channel(m, ch); err == nil {
			return c.WeeklySpend
		}
		return math.NaN()
	},
	// Nothing to twice today's spend.
	defaultRange: func(now float64) (lo, hi, step float64) {
		if math.IsNaN(now) {
			return 0, 0.5, 0.05
		}
		return 0, 2 * now, now / 5
	},
}
