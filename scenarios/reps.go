package scenarios

import (
	"fmt"

	"github.com/funnelsim/funnelsim/model"
)

// Reps hires (or, negative, loses) reps from a week; hires ramp up over
// the model's ramp weeks.
type Reps struct {
	Week  int `yaml:"week"`
	Hires int `yaml:"hires"`
}

// apply hires (or loses) the reps from the week.
func (r *Reps) apply(out, _ *model.Model, _ *Evidence) ([]string, error) {
	if err := week(r.Week); err != nil {
		return nil, err
	}
	if r.Hires == 0 {
		return nil, fmt.Errorf("reps.hires: must not be 0")
	}
	out.Reps.Hires = append(out.Reps.Hires, model.Hire{Week: r.Week, Count: r.Hires})
	return nil, nil
}
