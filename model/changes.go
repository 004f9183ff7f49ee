package model

import (
	"cmp"
	"math"
	"slices"
)

// epoch is the funnel as the model's changes make it from week on.
type epoch struct {
	week     int
	conv     []float64 // factor on the advance share, per s*nC + c
	leads    []float64 // factor on arrivals, per channel
	dealLog  []float64 // log of the deal-size factor, per channel
	spend    []float64 // weekly spend, per channel
	coldRate float64
}

func (e epoch) clone(week int) epoch {
	return epoch{week: week, conv: slices.Clone(e.conv), leads: slices.Clone(e.leads), dealLog: slices.Clone(e.dealLog),
		spend: slices.Clone(e.spend), coldRate: e.coldRate}
}

// compileChanges turns the model's changes into epochs: the first from
// week 0 (the model as it is, with any week-0 changes), then one per later
// week that changes something, each carrying the changes before it.
func (p *plan) compileChanges() {
	ones := func(n int) []float64 {
		x := make([]float64, n)
		for i := range x {
			x[i] = 1
		}
		return x
	}
	p.epochs = []epoch{{conv: ones(p.nS * p.nC), leads: ones(p.nC), dealLog: make([]float64, p.nC),
		spend: slices.Clone(p.spend), coldRate: p.m.Reps.ColdRate}}
	changes := slices.SortedStableFunc(slices.Values(p.m.Changes), func(a, b Change) int { return cmp.Compare(a.Week, b.Week) })
	for _, ch := range changes {
		if last := p.epochs[len(p.epochs)-1]; ch.Week > last.week {
			p.epochs = append(p.epochs, last.clone(ch.Week))
		}
		e := &p.epochs[len(p.epochs)-1]
		for c := range p.nC {
			if ch.Channel != "" && p.m.Channels[c].Name != ch.Channel {
				continue
			}
			if ch.Leads != nil {
				e.leads[c] *= *ch.Leads
			}
			if ch.DealSize != nil {
				e.dealLog[c] += math.Log(*ch.DealSize)
			}
			if ch.Spend != nil {
				e.spend[c] = *ch.Spend
			}
			if ch.Conversion != nil {
				for s := range p.nS {
					if ch.Stage == "" || p.m.Stages[s].Name == ch.Stage {
						e.conv[s*p.nC+c] *= *ch.Conversion
					}
				}
			}
		}
		if ch.ColdRate != nil {
			e.coldRate = *ch.ColdRate
		}
	}
}

// changed reports whether any epoch differs from the model as it is.
func (p *plan) changed() bool { return len(p.m.Changes) > 0 }

// spendOver is the total spend over the first weeks of the forecast.
func (p *plan) spendOver(weeks int) float64 {
	total := 0.0
	for i, e := range p.epochs {
		end := weeks
		if i+1 < len(p.epochs) {
			end = min(weeks, p.epochs[i+1].week)
		}
		if n := end - e.week; n > 0 {
			for _, x := range e.spend {
				total += x * float64(n)
			}
		}
	}
	return total
}

// applyEpoch sets q to base as epoch e changes it: advance shares scaled
// (capped at 1; leave rates, and so the time in stage, kept), arrivals and
// deal sizes scaled. The draws are base's, so scenarios share them: q
// refers to base's arrays where e changes nothing, and changes its own
// copies of the others. Neither is written during a trial.
func (q *params) applyEpoch(base *params, p *plan, e *epoch) {
	own := &q.own
	q.drawn, q.scaled = base.drawn, base.scaled
	if slices.ContainsFunc(e.conv, func(k float64) bool { return k != 1 }) {
		q.qAdv, q.cell = own.qAdv, own.cell
		copy(q.qAdv, base.qAdv)
		copy(q.cell, base.cell)
	}
	for s := range p.nS {
		for c := range p.nC {
			k := e.conv[s*p.nC+c]
			if k == 1 {
				continue
			}
			for b := range p.nB {
				i := p.hz(s, c, b)
				q.qAdv[i] = math.Min(1, k*q.qAdv[i])
			}
			for slot := range p.nSlot {
				r := &q.cell[p.hs(s, c, slot)]
				r.set(r.leave, math.Min(1, k*r.adv))
			}
		}
	}
	q.mean, q.dealMu = own.mean, own.dealMu
	for c := range p.nC {
		q.mean[c] = base.mean[c] * e.leads[c]
		q.dealMu[c] = base.dealMu[c] + e.dealLog[c]
	}
}
