package scenarios

import (
	"fmt"
	"math"

	"github.com/funnelsim/funnelsim/model"
)

// repsLever is the team size.
var repsLever = &LeverKind{
	Name: "reps", Help: "team size", Unit: model.Count, Integer: true, Rising: true,
	bind: func(*model.Model, string) (func(*model.Model, float64) (*model.Model, []string, error), error) {
		return func(m *model.Model, v float64) (*model.Model, []string, error) {
			if v < 0 || v != math.Trunc(v) {
				return nil, nil, fmt.Errorf("reps: %v is not a whole number of reps >= 0", v)
			}
			out := *m
			out.Reps.Count = int(v)
			return &out, nil, nil
		}, nil
	},
	current: func(m *model.Model, _ string) float64 { return float64(m.Reps.Count) },
	// Half to twice the team, in about ten steps.
	defaultRange: func(now float64) (lo, hi, step float64) {
		n := math.Max(now, 1)
		lo, hi = math.Floor(n/2), 2*n
		return lo, hi, math.Max(1, math.Round((hi-lo)/10))
	},
}
