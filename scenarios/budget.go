package scenarios

import (
	"fmt"
	"maps"
	"math"
	"slices"

	"github.com/funnelsim/funnelsim/model"
)

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
func (b *Budget) apply(out, m *model.Model, _ *Evidence) ([]string, error) {
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
			return nil, fmt.Errorf("budget: channel %s has no response to spend in the model (calibrate it with weekly spend)", name)
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
