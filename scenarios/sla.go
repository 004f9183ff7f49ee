package scenarios

import (
	"fmt"

	"github.com/funnelsim/funnelsim/model"
)

// SLA sets the share of leads waiting for a rep that go cold each week,
// as a response-time target does.
type SLA struct {
	Week     int     `yaml:"week"`
	ColdRate float64 `yaml:"cold_rate"`
}

// apply sets the cold rate from the week.
func (s *SLA) apply(out, _ *model.Model, _ *Evidence) ([]string, error) {
	if err := week(s.Week); err != nil {
		return nil, err
	}
	if r := s.ColdRate; !(r >= 0 && r <= 1) {
		return nil, fmt.Errorf("sla.cold_rate: must be a share in [0, 1] (got %v)", r)
	}
	out.Changes = append(out.Changes, model.Change{Week: s.Week, ColdRate: ptr(s.ColdRate), Note: "sla"})
	return nil, nil
}
