package scenarios

import (
	"fmt"

	"github.com/funnelsim/funnelsim/model"
)

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

// apply changes the SQL definition, by a rule evaluated on the history or
// by multipliers.
func (c *SQLCriteria) apply(out, m *model.Model, ev *Evidence) ([]string, error) {
	if c.Rule != "" {
		return sqlRule(out, m, c, ev)
	}
	return nil, sqlCriteria(out, m, c)
}

func sqlCriteria(out, m *model.Model, c *SQLCriteria) error {
	if err := week(c.Week); err != nil {
		return fmt.Errorf("sql_criteria.%w", err)
	}
	if err := positive("sql_criteria.handoff", c.Handoff); err != nil {
		return err
	}
	if err := positive("sql_criteria.downstream", c.Downstream); err != nil {
		return err
	}
	sql := m.StageIndex(m.SQLStage)
	if sql < 1 {
		return fmt.Errorf("sql_criteria: the SQL stage %q has no stage before it to qualify leads", m.SQLStage)
	}
	out.Changes = append(out.Changes, model.Change{Week: c.Week, Stage: m.Stages[sql-1].Name, Conversion: ptr(c.Handoff), Note: "sql_criteria"})
	for s := sql; s < len(m.Stages); s++ {
		out.Changes = append(out.Changes, model.Change{Week: c.Week, Stage: m.Stages[s].Name, Conversion: ptr(c.Downstream), Note: "sql_criteria"})
	}
	return nil
}

// sqlRule applies an SQL definition given as a rule on lead attributes: of
// the leads that entered the stage before SQL, the share π that pass the
// rule qualify, converting as passing leads did; from SQL on, every stage
// converts as the passing leads' funnel, re-estimated on them alone, says.
// So the conversion into SQL is multiplied by π·c⁺/c and each later one by
// c⁺/c, where c⁺ and c are the passing and all leads' eventual conversions
// (posterior means, over all channels).
func sqlRule(out, m *model.Model, c *SQLCriteria, ev *Evidence) ([]string, error) {
	if err := week(c.Week); err != nil {
		return nil, fmt.Errorf("sql_criteria.%w", err)
	}
	if c.Handoff != 0 || c.Downstream != 0 {
		return nil, fmt.Errorf("sql_criteria: give a rule or handoff and downstream, not both")
	}
	if ev == nil || ev.History == nil {
		return nil, fmt.Errorf("sql_criteria.rule: %w", ErrNeedsHistory)
	}
	rule, err := CompileRule(c.Rule, ev.History)
	if err != nil {
		return nil, fmt.Errorf("sql_criteria.%w", err)
	}
	sql := m.StageIndex(m.SQLStage)
	if sql < 1 {
		return nil, fmt.Errorf("sql_criteria: the SQL stage %q has no stage before it to qualify leads", m.SQLStage)
	}
	pass, passes, err := split(ev.History, rule)
	if err != nil {
		return nil, fmt.Errorf("sql_criteria.%w", err)
	}
	cAll, cPass, asOf, err := reestimate(ev.History, pass, ev.Options, ev.Seed, "all leads", "the leads that pass the rule")
	if err != nil {
		return nil, fmt.Errorf("sql_criteria: %w", err)
	}
	entered, passed := 0, 0
	for i := range ev.History.Leads {
		if t := ev.History.Leads[i].Reached[sql-1]; !t.IsZero() && t.Before(asOf) {
			entered++
			if passes[i] {
				passed++
			}
		}
	}
	if entered == 0 || passed == 0 {
		return nil, fmt.Errorf("sql_criteria.rule: %d of %d leads that reached %s pass it; nothing to estimate from", passed, entered, m.Stages[sql-1].Name)
	}
	pi := float64(passed) / float64(entered)
	handoff := pi * cPass[sql-1] / cAll[sql-1]
	out.Changes = append(out.Changes, model.Change{Week: c.Week, Stage: m.Stages[sql-1].Name, Conversion: ptr(handoff), Note: "sql_criteria rule: " + c.Rule})
	note := fmt.Sprintf("sql_criteria: %d of %d leads that reached %s pass the rule (%.0f%%): conversion into %s ×%.2f", passed, entered, m.Stages[sql-1].Name, 100*pi, m.SQLStage, handoff)
	for s := sql; s < len(m.Stages); s++ {
		f := cPass[s] / cAll[s]
		out.Changes = append(out.Changes, model.Change{Week: c.Week, Stage: m.Stages[s].Name, Conversion: ptr(f), Note: "sql_criteria rule: " + c.Rule})
		note += fmt.Sprintf(", %s ×%.2f", m.Stages[s].Name, f)
	}
	return append(rule.Warnings(), note+fmt.Sprintf(" (re-estimated on the %d passing leads)", len(pass.Leads))), nil
}
