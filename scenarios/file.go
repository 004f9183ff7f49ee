package scenarios

import (
	"fmt"
	"strings"

	"github.com/funnelsim/funnelsim/internal/yamlfile"
	"github.com/funnelsim/funnelsim/model"
)

// File is a scenario file: a name for the baseline and the scenarios.
type File struct {
	Baseline  string     `yaml:"baseline"`
	Scenarios []Scenario `yaml:"scenarios"`
}

// Scenario is a named list of interventions.
type Scenario struct {
	Name          string         `yaml:"name"`
	Description   string         `yaml:"description,omitempty"`
	Interventions []Intervention `yaml:"interventions"`
}

// ReadFile reads a scenario file strictly: an unknown key is an error
// naming its path and line.
func ReadFile(path string) (*File, error) {
	b, err := model.ReadYAML(path)
	if err != nil {
		return nil, err
	}
	f, err := Decode(b)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return f, nil
}

// Decode parses a scenario file strictly and checks its shape (names,
// exactly one kind per intervention); values are checked against a model
// by Apply.
func Decode(b []byte) (*File, error) {
	f := &File{}
	if err := yamlfile.Decode(b, f); err != nil {
		return nil, err
	}
	if f.Baseline == "" {
		f.Baseline = "baseline"
	}
	if len(f.Scenarios) == 0 {
		return nil, fmt.Errorf("scenarios: none given")
	}
	seen := map[string]bool{f.Baseline: true}
	for i, s := range f.Scenarios {
		p := fmt.Sprintf("scenarios[%d]", i)
		switch {
		case s.Name == "":
			return nil, fmt.Errorf("%s.name: is missing", p)
		case seen[s.Name]:
			return nil, fmt.Errorf("%s.name: %q is used twice", p, s.Name)
		case len(s.Interventions) == 0:
			return nil, fmt.Errorf("%s.interventions: none given", p)
		}
		seen[s.Name] = true
		for j, iv := range s.Interventions {
			if n := len(iv.set()); n != 1 {
				return nil, fmt.Errorf("%s.interventions[%d]: has %d kinds, want exactly one of %s", p, j, n, strings.Join(Kinds(), ", "))
			}
		}
	}
	return f, nil
}
