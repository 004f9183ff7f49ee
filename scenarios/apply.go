package scenarios

import (
	"errors"
	"fmt"
	"maps"
	"math"
	"slices"
	"time"

	"github.com/funnelsim/funnelsim/calibrate"
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
		w, err := apply(&out, m, iv, ev)
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
	return nil, fmt.Errorf("no channel %q in the model", name)
}

func stageIndex(m *model.Model, name string) (int, error) {
	if i := m.StageIndex(name); i >= 0 {
		return i, nil
	}
	return 0, fmt.Errorf("no stage %q in the model", name)
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

func apply(out, m *model.Model, iv Intervention, ev *Evidence) ([]string, error) {
	switch {
	case iv.Budget != nil:
		return budget(out, m, iv.Budget)
	case iv.Campaign != nil && iv.Campaign.Filter != "":
		return campaignFilter(out, m, iv.Campaign, ev)
	case iv.Campaign != nil:
		return nil, campaign(out, m, iv.Campaign)
	case iv.SQLCriteria != nil && iv.SQLCriteria.Rule != "":
		return sqlRule(out, m, iv.SQLCriteria, ev)
	case iv.SQLCriteria != nil:
		return nil, sqlCriteria(out, m, iv.SQLCriteria)
	case iv.Reps != nil:
		if err := week(iv.Reps.Week); err != nil {
			return nil, err
		}
		if iv.Reps.Hires == 0 {
			return nil, fmt.Errorf("reps.hires: must not be 0")
		}
		out.Reps.Hires = append(out.Reps.Hires, model.Hire{Week: iv.Reps.Week, Count: iv.Reps.Hires})
		return nil, nil
	case iv.SLA != nil:
		if err := week(iv.SLA.Week); err != nil {
			return nil, err
		}
		if r := iv.SLA.ColdRate; !(r >= 0 && r <= 1) {
			return nil, fmt.Errorf("sla.cold_rate: must be a share in [0, 1] (got %v)", r)
		}
		out.Changes = append(out.Changes, model.Change{Week: iv.SLA.Week, ColdRate: ptr(iv.SLA.ColdRate), Note: "sla"})
		return nil, nil
	case iv.DealSize != nil:
		f := iv.DealSize
		if err := factor(m, f, false); err != nil {
			return nil, fmt.Errorf("deal_size.%w", err)
		}
		out.Changes = append(out.Changes, model.Change{Week: f.Week, Channel: f.Channel, DealSize: ptr(f.Factor), Note: "deal_size"})
		return nil, nil
	default:
		f := iv.Conversion
		if err := factor(m, f, true); err != nil {
			return nil, fmt.Errorf("conversion.%w", err)
		}
		out.Changes = append(out.Changes, model.Change{Week: f.Week, Channel: f.Channel, Stage: f.Stage, Conversion: ptr(f.Factor), Note: "conversion"})
		return nil, nil
	}
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

// spendAt is a channel's weekly spend in force at week in out: its current
// spend, as the model's changes and the scenario's earlier interventions
// (the last, by week, before or at week) have set it.
func spendAt(out *model.Model, ch *model.Channel, week int) float64 {
	x, at := ch.WeeklySpend, -1
	for _, c := range out.Changes {
		if c.Channel == ch.Name && c.Spend != nil && c.Week <= week && c.Week >= at {
			x, at = *c.Spend, c.Week
		}
	}
	return x
}

// budget turns new weekly spends into changes of spend and of leads, the
// latter by the ratio of each channel's response at the new spend to its
// response at the spend in force at the week. Interventions compose in
// order: a budget starts from the spend the scenario's earlier ones left,
// so two moves equal one move of their sum, and no move takes more than
// the channel then spends.
func budget(out, m *model.Model, b *Budget) ([]string, error) {
	if err := week(b.Week); err != nil {
		return nil, fmt.Errorf("budget.%w", err)
	}
	spend := map[string]float64{}
	switch {
	case b.Move != nil && len(b.Spend) > 0:
		return nil, fmt.Errorf("budget: give spend or move, not both")
	case b.Move != nil:
		mv := b.Move
		from, err := channel(m, mv.From)
		if err != nil {
			return nil, fmt.Errorf("budget.move.from: %w", err)
		}
		to, err := channel(m, mv.To)
		if err != nil {
			return nil, fmt.Errorf("budget.move.to: %w", err)
		}
		if from.Name == to.Name {
			return nil, fmt.Errorf("budget.move: from and to are both %s", from.Name)
		}
		fromNow, toNow := spendAt(out, from, b.Week), spendAt(out, to, b.Week)
		amount := mv.Amount
		switch {
		case (mv.Amount > 0) == (mv.Share > 0):
			return nil, fmt.Errorf("budget.move: give an amount or a share (> 0), not both")
		case mv.Share > 1:
			return nil, fmt.Errorf("budget.move.share: must be in (0, 1] (got %v)", mv.Share)
		case mv.Share > 0:
			amount = mv.Share * fromNow
		}
		if !(amount <= fromNow) || math.IsInf(amount, 0) {
			return nil, fmt.Errorf("budget.move.amount: %v is more than %s's weekly spend %v at week %d", amount, from.Name, fromNow, b.Week)
		}
		spend[from.Name] = fromNow - amount
		spend[to.Name] = toNow + amount
	case len(b.Spend) > 0:
		for name, x := range b.Spend {
			if _, err := channel(m, name); err != nil {
				return nil, fmt.Errorf("budget.spend: %w", err)
			}
			if !(x >= 0) || math.IsInf(x, 0) {
				return nil, fmt.Errorf("budget.spend.%s: must be >= 0 (got %v)", name, x)
			}
			spend[name] = x
		}
	default:
		return nil, fmt.Errorf("budget: give spend (per channel) or move")
	}
	var warnings []string
	for _, name := range slices.Sorted(maps.Keys(spend)) {
		ch, _ := channel(m, name)
		x := spend[name]
		r := ch.Response
		if r == nil {
			return nil, fmt.Errorf("budget: channel %s has no response to spend in the model (calibrate with --spend)", name)
		}
		now := r.Leads(spendAt(out, ch, b.Week))
		if !(now > 0) {
			return nil, fmt.Errorf("budget: channel %s's response gives no leads at its current spend", name)
		}
		if lo, hi, ok := r.SpendRange(); ok && (x < lo || x > hi) {
			warnings = append(warnings, fmt.Sprintf("budget: %s at %.0f a week is outside the spend seen in history (%.0f to %.0f): its response is extrapolated", name, x, lo, hi))
		}
		if r.Source == "default" {
			warnings = append(warnings, fmt.Sprintf("budget: %s's response is the default curve, not fitted to its spend", name))
		}
		out.Changes = append(out.Changes, model.Change{Week: b.Week, Channel: name, Leads: ptr(r.Leads(x) / now), Spend: ptr(x), Note: "budget"})
	}
	return warnings, nil
}

func campaign(out, m *model.Model, c *Campaign) error {
	if err := week(c.Week); err != nil {
		return fmt.Errorf("campaign.%w", err)
	}
	if _, err := channel(m, c.Channel); err != nil {
		return fmt.Errorf("campaign.channel: %w", err)
	}
	if c.Volume == 0 && c.Quality == 0 && c.SalesQuality == 0 {
		return fmt.Errorf("campaign: give volume, quality or sales_quality")
	}
	if c.Volume != 0 {
		if err := positive("campaign.volume", c.Volume); err != nil {
			return err
		}
		out.Changes = append(out.Changes, model.Change{Week: c.Week, Channel: c.Channel, Leads: ptr(c.Volume), Note: "campaign"})
	}
	sales := m.StageIndex(m.SalesStart)
	for _, q := range []struct {
		name   string
		f      float64
		lo, hi int
	}{{"quality", c.Quality, 0, sales}, {"sales_quality", c.SalesQuality, sales, len(m.Stages)}} {
		if q.f == 0 {
			continue
		}
		if err := positive("campaign."+q.name, q.f); err != nil {
			return err
		}
		for s := q.lo; s < q.hi; s++ {
			out.Changes = append(out.Changes, model.Change{Week: c.Week, Channel: c.Channel, Stage: m.Stages[s].Name, Conversion: ptr(q.f), Note: "campaign"})
		}
	}
	return nil
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
	return []string{note + fmt.Sprintf(" (re-estimated on the %d passing leads)", len(pass.Leads))}, nil
}

// split evaluates rule on every lead of h: the leads that pass, as a
// history of their own, and which did, lead by lead.
func split(h *calibrate.History, rule *Rule) (*calibrate.History, []bool, error) {
	passes := make([]bool, len(h.Leads))
	for i := range h.Leads {
		ok, err := rule.Match(&h.Leads[i])
		if err != nil {
			return nil, nil, err
		}
		passes[i] = ok
	}
	i := 0
	pass := h.Filter(func(*calibrate.Lead) bool { i++; return passes[i-1] }) // Filter visits the leads in order
	return pass, passes, nil
}

// reestimate calibrates all and the leads that pass afresh (with reports
// of their own) and returns each stage's eventual conversion for both, and
// the as-of date used.
func reestimate(all, pass *calibrate.History, o calibrate.Options, seed uint64, allName, passName string) (cAll, cPass []float64, asOf time.Time, err error) {
	a, p := *all, *pass
	a.Report, p.Report = &calibrate.Report{}, &calibrate.Report{}
	mAll, err := calibrate.Estimate(&a, o)
	if err != nil {
		return nil, nil, asOf, fmt.Errorf("re-estimating %s: %w", allName, err)
	}
	mPass, err := calibrate.Estimate(&p, o)
	if err != nil {
		return nil, nil, asOf, fmt.Errorf("re-estimating the %d of %s: %w", len(pass.Leads), passName, err)
	}
	if cAll, err = overallConversion(mAll, seed); err != nil {
		return nil, nil, asOf, err
	}
	if cPass, err = overallConversion(mPass, seed); err != nil {
		return nil, nil, asOf, err
	}
	return cAll, cPass, mAll.AsOf.Time, nil
}

// overallConversion is each stage's eventual conversion over all channels,
// its posterior mean over 400 draws keyed by seed.
func overallConversion(m *model.Model, seed uint64) ([]float64, error) {
	conv, err := model.Conversions(m, 400, seed)
	if err != nil {
		return nil, err
	}
	out := make([]float64, len(m.Stages))
	for _, k := range conv {
		if k.Channel == "" {
			out[m.StageIndex(k.Stage)] = k.Mean
		}
	}
	return out, nil
}

// campaignFilter retargets a channel at the leads that pass a rule: from
// the week, the channel's leads convert at every stage as its leads in the
// history that pass the rule did (c⁺/c, each re-estimated on the channel's
// leads alone), and its volume is multiplied by Volume (default 1).
func campaignFilter(out, m *model.Model, c *Campaign, ev *Evidence) ([]string, error) {
	if err := week(c.Week); err != nil {
		return nil, fmt.Errorf("campaign.%w", err)
	}
	if _, err := channel(m, c.Channel); err != nil {
		return nil, fmt.Errorf("campaign.channel: %w", err)
	}
	if c.Quality != 0 || c.SalesQuality != 0 {
		return nil, fmt.Errorf("campaign: give a filter or quality multipliers, not both")
	}
	if ev == nil || ev.History == nil {
		return nil, fmt.Errorf("campaign.filter: %w", ErrNeedsHistory)
	}
	rule, err := CompileRule(c.Filter, ev.History)
	if err != nil {
		return nil, fmt.Errorf("campaign.filter: %w", err)
	}
	inChannel := ev.History.Filter(func(l *calibrate.Lead) bool { return l.Channel == c.Channel })
	if len(inChannel.Leads) == 0 {
		return nil, fmt.Errorf("campaign.channel: no leads of %s in the history", c.Channel)
	}
	pass, _, err := split(inChannel, rule)
	if err != nil {
		return nil, fmt.Errorf("campaign.%w", err)
	}
	if len(pass.Leads) == 0 {
		return nil, fmt.Errorf("campaign.filter: none of the %d leads of %s pass it", len(inChannel.Leads), c.Channel)
	}
	cAll, cPass, _, err := reestimate(inChannel, pass, ev.Options, ev.Seed, c.Channel, "the leads of "+c.Channel+" that pass the filter")
	if err != nil {
		return nil, fmt.Errorf("campaign: %w", err)
	}
	volume := c.Volume
	if volume == 0 {
		volume = 1
	}
	if err := positive("campaign.volume", volume); err != nil {
		return nil, err
	}
	out.Changes = append(out.Changes, model.Change{Week: c.Week, Channel: c.Channel, Leads: ptr(volume), Note: "campaign filter: " + c.Filter})
	note := fmt.Sprintf("campaign: %d of %d leads of %s in the history pass the filter (%.0f%%); their conversion against all of the channel's:",
		len(pass.Leads), len(inChannel.Leads), c.Channel, 100*float64(len(pass.Leads))/float64(len(inChannel.Leads)))
	for s, st := range m.Stages {
		if !(cAll[s] > 0) {
			continue
		}
		f := cPass[s] / cAll[s]
		out.Changes = append(out.Changes, model.Change{Week: c.Week, Channel: c.Channel, Stage: st.Name, Conversion: ptr(f), Note: "campaign filter: " + c.Filter})
		note += fmt.Sprintf(" %s ×%.2f", st.Name, f)
	}
	return []string{note}, nil
}
