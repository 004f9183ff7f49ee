package scenarios

import (
	"errors"

	"github.com/funnelsim/funnelsim/model"
)

// leadsLever is the new leads a week, at the current channel mix.
var leadsLever = &LeverKind{
	Name: "leads", Help: "new leads a week at the current channel mix", Unit: model.Count, Rising: true,
	bind: func(m *model.Model, _ string) (func(*model.Model, float64) (*model.Model, []string, error), error) {
		total := weeklyLeads(m)
		if total <= 0 {
			return nil, errors.New("the model has no leads")
		}
		return func(m *model.Model, v float64) (*model.Model, []string, error) { return withLeads(m, v, total) }, nil
	},
	current: func(m *model.Model, _ string) float64 { return weeklyLeads(m) },
	// Half to four times today's leads.
	defaultRange: func(now float64) (lo, hi, step float64) { return now / 2, 4 * now, now / 10 },
}
