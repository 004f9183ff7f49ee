package scenarios

import (
	"fmt"

	"github.com/funnelsim/funnelsim/model"
)

// Factor multiplies deal sizes or a stage's conversion, for one channel or
// stage or all.
type Factor struct {
	Week    int     `yaml:"week"`
	Channel string  `yaml:"channel,omitempty"`
	Stage   string  `yaml:"stage,omitempty"`
	Factor  float64 `yaml:"factor"`
}

// DealSize multiplies deal sizes, for one channel or all.
type DealSize struct {
	Factor `yaml:",inline"`
}

// apply multiplies the deal sizes from the week.
func (f *DealSize) apply(out, m *model.Model, _ *Evidence) ([]string, error) {
	if err := factor(m, &f.Factor, false); err != nil {
		return nil, fmt.Errorf("deal_size.%w", err)
	}
	out.Changes = append(out.Changes, model.Change{Week: f.Week, Channel: f.Channel, DealSize: ptr(f.Factor.Factor), Note: "deal_size"})
	return nil, nil
}

// Conversion multiplies a stage's conversion, for one channel or stage or
// all.
type Conversion struct {
	Factor `yaml:",inline"`
}

// apply multiplies the conversions from the week.
func (f *Conversion) apply(out, m *model.Model, _ *Evidence) ([]string, error) {
	if err := factor(m, &f.Factor, true); err != nil {
		return nil, fmt.Errorf("conversion.%w", err)
	}
	out.Changes = append(out.Changes, model.Change{Week: f.Week, Channel: f.Channel, Stage: f.Stage, Conversion: ptr(f.Factor.Factor), Note: "conversion"})
	return nil, nil
}

func factor(m *model.Model, f *Factor, stages bool) error {
	if err := week(f.Week); err != nil {
		return err
	}
	if err := positive("factor", f.Factor); err != nil {
		return err
	}
	if f.Channel != "" {
		if _, err := channel(m, f.Channel); err != nil {
			return fmt.Errorf("channel: %w", err)
		}
	}
	if f.Stage != "" {
		if !stages {
			return fmt.Errorf("stage: deal sizes are per channel, not per stage")
		}
		if _, err := stageIndex(m, f.Stage); err != nil {
			return fmt.Errorf("stage: %w", err)
		}
	}
	return nil
}
