package backtest

import (
	"time"

	"github.com/funnelsim/funnelsim/calibrate"
	"github.com/funnelsim/funnelsim/model"
	"github.com/funnelsim/funnelsim/model/rng"
)

// pipeline is the forecast CRM tools make: each open deal (a lead in a
// sales stage at the origin) wins with its stage's probability, here the
// censoring-aware eventual probability of winning from that stage, and the
// deals not yet created add wins at the trailing run-rate of wins from
// leads created within the horizon before them.
type pipeline struct {
	weeks     int
	p, amount []float64 // per open deal: P(win) and amount
	newWins   []tally   // per trailing week: wins (and revenue) of leads created within the horizon before
}

func newPipeline(h *calibrate.History, m *model.Model, o calibrate.Options, horizon time.Duration) (*pipeline, error) {
	conv, err := model.Conversions(m, 200, 1)
	if err != nil {
		return nil, err
	}
	nS := len(h.Stages)
	stageConv := make([]float64, nS)
	for _, k := range conv {
		if k.Channel == "" {
			stageConv[m.StageIndex(k.Stage)] = k.Mean
		}
	}
	win := make([]float64, nS+1) // P(eventually won | in stage s)
	win[nS] = 1
	for s := nS - 1; s >= 0; s-- {
		win[s] = stageConv[s] * win[s+1]
	}
	sales, opp := m.StageIndex(m.SalesStart), m.StageIndex(m.OpportunityStage)
	asOf := o.AsOf
	known := func(t time.Time) bool { return !t.IsZero() && t.Before(asOf) }
	// The mean won amount before the origin, for deals without one.
	var sum, n float64
	for i := range h.Leads {
		if l := &h.Leads[i]; known(l.Won) && l.HasAmount() {
			sum += l.Amount
			n++
		}
	}
	mean := 0.0
	if n > 0 {
		mean = sum / n
	}
	end := h.Last()
	pl := &pipeline{weeks: int(horizon / week)}
	for i := range h.Leads {
		l := &h.Leads[i]
		if !known(l.Created()) || known(l.Won) || known(l.Lost) {
			continue
		}
		s := -1
		for k, t := range l.Reached {
			if known(t) {
				s = k
			}
		}
		if s < sales {
			continue
		}
		if o.StaleAfter > 0 && asOf.Sub(l.Reached[s]) > o.StaleAfter {
			continue // the stale rule's loss, as calibration counts it
		}
		a := mean
		if s >= opp && l.AmountKnown(asOf, end) {
			a = l.Amount
		}
		pl.p, pl.amount = append(pl.p, win[s]), append(pl.amount, a)
	}
	pl.newWins = make([]tally, 26)
	for i := range h.Leads {
		l := &h.Leads[i]
		if !known(l.Won) || l.Won.Sub(l.Created()) >= horizon {
			continue
		}
		if k := int(asOf.Sub(l.Won) / week); k < len(pl.newWins) {
			pl.newWins[k].wins++
			if l.HasAmount() {
				pl.newWins[k].rev += l.Amount
			}
		}
	}
	return pl, nil
}

// sample draws n forecasts of wins (or revenue): a Bernoulli per open deal
// plus the new deals' run-rate, weeks drawn at random from the trailing 26.
func (pl *pipeline) sample(st *rng.Stream, revenue bool, n int) []float64 {
	out := make([]float64, n)
	for i := range out {
		for j, p := range pl.p {
			if st.Uniform() < p {
				if revenue {
					out[i] += pl.amount[j]
				} else {
					out[i]++
				}
			}
		}
		for range pl.weeks {
			w := pl.newWins[int(st.Uniform()*float64(len(pl.newWins)))]
			if revenue {
				out[i] += w.rev
			} else {
				out[i] += w.wins
			}
		}
	}
	return out
}
