package scenarios

import (
	"fmt"
	"os"

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

// Intervention is one change to the plan; exactly one of its fields is set.
type Intervention struct {
	Budget      *Budget      `yaml:"budget,omitempty"`
	Campaign    *Campaign    `yaml:"campaign,omitempty"`
	SQLCriteria *SQLCriteria `yaml:"sql_criteria,omitempty"`
	Reps        *Reps        `yaml:"reps,omitempty"`
	SLA         *SLA         `yaml:"sla,omitempty"`
	DealSize    *Factor      `yaml:"deal_size,omitempty"`
	Conversion  *Factor      `yaml:"conversion,omitempty"`
}

// Budget sets new weekly spend per channel, or moves an amount or a share
// of one channel's weekly spend to another. Leads follow each channel's
// response to spend.
type Budget struct {
	Week  int                `yaml:"week"`
	Spend map[string]float64 `yaml:"spend,omitempty"`
	Move  *Move              `yaml:"move,omitempty"`
}

// Move takes Amount, or Share of the current spend, from one channel's
// weekly spend and gives it to another.
type Move struct {
	From   string  `yaml:"from"`
	To     string  `yaml:"to"`
	Amount float64 `yaml:"amount,omitempty"`
	Share  float64 `yaml:"share,omitempty"`
}

// Campaign shifts a channel's target: Volume multiplies its weekly leads,
// Quality the conversion of its leads at every marketing stage (before the
// hand-off), and SalesQuality at every sales stage. Or Filter, a rule on
// lead attributes, takes the new lead mix from history: the channel's
// leads convert, stage by stage, as its leads that pass the rule did.
type Campaign struct {
	Week         int     `yaml:"week"`
	Channel      string  `yaml:"channel"`
	Volume       float64 `yaml:"volume,omitempty"`
	Quality      float64 `yaml:"quality,omitempty"`
	SalesQuality float64 `yaml:"sales_quality,omitempty"`
	Filter       string  `yaml:"filter,omitempty"`
}

// SQLCriteria changes the SQL definition, either by a Rule on lead
// attributes, evaluated on the history (the funnel is re-estimated for the
// leads that pass), or by explicit multipliers: Handoff on the conversion
// into the SQL stage (stricter criteria: fewer SQLs) and Downstream on the
// conversion of the SQL stage and every later one (the SQLs that pass are
// better).
type SQLCriteria struct {
	Week       int     `yaml:"week"`
	Rule       string  `yaml:"rule,omitempty"`
	Handoff    float64 `yaml:"handoff,omitempty"`
	Downstream float64 `yaml:"downstream,omitempty"`
}

// Reps hires (or, negative, loses) reps from a week; hires ramp up over
// the model's ramp weeks.
type Reps struct {
	Week  int `yaml:"week"`
	Hires int `yaml:"hires"`
}

// SLA sets the share of leads waiting for a rep that go cold each week,
// as a response-time target does.
type SLA struct {
	Week     int     `yaml:"week"`
	ColdRate float64 `yaml:"cold_rate"`
}

// Factor multiplies deal sizes or a stage's conversion, for one channel or
// stage or all.
type Factor struct {
	Week    int     `yaml:"week"`
	Channel string  `yaml:"channel,omitempty"`
	Stage   string  `yaml:"stage,omitempty"`
	Factor  float64 `yaml:"factor"`
}

// ReadFile reads a scenario file strictly: an unknown key is an error
// naming its path and line.
func ReadFile(path string) (*File, error) {
	b, err := os.ReadFile(path)
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
	if err := model.DecodeYAML(b, f); err != nil {
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
			if n := iv.kinds(); n != 1 {
				return nil, fmt.Errorf("%s.interventions[%d]: has %d kinds, want exactly one of budget, campaign, sql_criteria, reps, sla, deal_size, conversion", p, j, n)
			}
		}
	}
	return f, nil
}

func (iv Intervention) kinds() int {
	n := 0
	for _, set := range []bool{iv.Budget != nil, iv.Campaign != nil, iv.SQLCriteria != nil, iv.Reps != nil, iv.SLA != nil, iv.DealSize != nil, iv.Conversion != nil} {
		if set {
			n++
		}
	}
	return n
}
