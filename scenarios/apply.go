package scenarios

import (
	"errors"
	"fmt"
	"math"
	"slices"

	"github.com/funnelsim/funnelsim/calibrate"
	"github.com/funnelsim/funnelsim/internal/nearest"
	"github.com/funnelsim/funnelsim/model"
)

// ErrNeedsHistory is returned for an attribute rule applied without the
// Evidence of the history the model came from.
var ErrNeedsHistory = errors.New("needs the history the model came from")

// Evidence is the history a model was calibrated from and how, for
// interventions that re-estimate the funnel on part of it (attribute
// rules). Nil where there is none.
type Evidence struct {
	History *calibrate.History
	Options calibrate.Options
	// Seed keys the posterior draws behind the re-estimated conversions
	// (a run's seed, so that one seed fixes every draw).
	Seed uint64
}

// Apply returns the model as scenario s changes it, with warnings (spend
// taken outside the range seen in history, say) and notes on what rules
// found. m is not changed: the result shares m's data except its changes
// and hires, which are new. ev is needed only by attribute rules.
func Apply(m *model.Model, s Scenario, ev *Evidence) (*model.Model, []string, error) {
	out := *m
	out.Changes = slices.Clone(m.Changes)
	out.Reps.Hires = slices.Clone(m.Reps.Hires)
	out.Name = m.Name + ": " + s.Name
	var warnings []string
	for j, iv := range s.Interventions {
		w, err := iv.apply(&out, m, ev)
		if err != nil {
			return nil, nil, fmt.Errorf("scenario %q: interventions[%d]: %w", s.Name, j, err)
		}
		warnings = append(warnings, w...)
	}
	if err := out.Validate(); err != nil {
		return nil, nil, fmt.Errorf("scenario %q: %w", s.Name, err)
	}
	return &out, warnings, nil
}

func ptr(x float64) *float64 { return &x }

func channel(m *model.Model, name string) (*model.Channel, error) {
	for i := range m.Channels {
		if m.Channels[i].Name == name {
			return &m.Channels[i], nil
		}
	}
	names := make([]string, len(m.Channels))
	for i, c := range m.Channels {
		names[i] = c.Name
	}
	return nil, fmt.Errorf("no channel %q in the model%s", name, nearest.DidYouMean(name, names))
}

func stageIndex(m *model.Model, name string) (int, error) {
	if i := m.StageIndex(name); i >= 0 {
		return i, nil
	}
	names := make([]string, len(m.Stages))
	for i, s := range m.Stages {
		names[i] = s.Name
	}
	return 0, fmt.Errorf("no stage %q in the model%s", name, nearest.DidYouMean(name, names))
}

func positive(what string, x float64) error {
	if !(x > 0) || math.IsInf(x, 0) {
		return fmt.Errorf("%s: must be > 0 (got %v)", what, x)
	}
	return nil
}

func week(w int) error {
	if w < 0 || w > 520 {
		return fmt.Errorf("week: must be in 0..520 (got %d)", w)
	}
	return nil
}
