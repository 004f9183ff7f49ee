package backtest

import (
	"time"

	"github.com/funnelsim/funnelsim/calibrate"
	"github.com/funnelsim/funnelsim/model"
	"github.com/funnelsim/funnelsim/model/rng"
)

// pipeline is the weighted pipeline as CRM forecast tools build it, done
// the way a careful analyst would: each lead open at the origin wins
// within the horizon with the probability that leads in its stage, at its
// weeks in that stage, had of winning within a horizon in the past year;
// and the leads not yet created add what the leads created within a past
// horizon won inside it.
//
// The probabilities come from weekly snapshots of the history at the
// points t from a year before origin − horizon up to origin − horizon, so
// that every snapshot's outcome is known at the origin: of the leads open
// at t in stage s and age band b, the share won by t + horizon. A cell with
// few leads is pooled toward its stage's share (with the weight of
// pipelinePrior leads). Leads open longer than the stale rule count as
// lost, as calibration counts them, in the snapshots and at the origin.
type pipeline struct {
	p, amount []float64 // per lead open at the origin: P(won within the horizon) and amount
	newWins   []tally   // per snapshot: what the leads created after it won within the horizon
}

const (
	pipelineSnapshots = 52 // weekly snapshots, a year of them
	pipelinePrior     = 5  // leads' worth of the stage's share in each age band's
)

// pipelineAt is the weighted pipeline at o.AsOf over the horizon, with
// o's age bands (calibrate's default where it gives none) and the stale
// rule of m, the model calibrated there.
func pipelineAt(h *calibrate.History, o calibrate.Options, m *model.Model, horizon time.Duration) *pipeline {
	bands := o.Bands
	if len(bands) == 0 {
		bands = calibrate.DefaultBands
	}
	return newPipeline(h, o, bands, time.Duration(m.Provenance.StaleAfterWeeks*float64(week)), horizon)
}

// newPipeline builds the weighted pipeline at o.AsOf over the horizon.
// bands are the starts of the age bands in weeks; stale is the stale
// rule's time (0 for none).
func newPipeline(h *calibrate.History, o calibrate.Options, bands []int, stale, horizon time.Duration) *pipeline {
	nS, nB := len(h.Stages), len(bands)
	asOf := o.AsOf
	known := func(t, at time.Time) bool { return !t.IsZero() && !t.After(at) }
	// where returns the stage and age band of l if it is open at t and not
	// stale, and ok false otherwise.
	where := func(l *calibrate.Lead, t time.Time) (s, b int, ok bool) {
		if !known(l.Created(), t) || known(l.Won, t) || known(l.Lost, t) {
			return 0, 0, false
		}
		s = 0
		for k, at := range l.Reached {
			if known(at, t) {
				s = k
			}
		}
		age := t.Sub(l.Reached[s])
		if stale > 0 && age > stale {
			return 0, 0, false
		}
		weeks := age.Hours() / (24 * 7)
		for b = nB - 1; b > 0 && weeks < float64(bands[b]); b-- {
		}
		return s, b, true
	}
	won := make([][]float64, nS) // [stage][band]
	seen := make([][]float64, nS)
	for s := range nS {
		won[s], seen[s] = make([]float64, nB), make([]float64, nB)
	}
	pl := &pipeline{}
	first, _ := span(h)
	last := asOf.Add(-horizon)
	for j := range pipelineSnapshots {
		t := last.Add(-time.Duration(j) * week)
		var fresh tally
		for i := range h.Leads {
			l := &h.Leads[i]
			inside := known(l.Won, t.Add(horizon)) && l.Won.After(t)
			if c := l.Created(); c.After(t) && inside {
				fresh.Wins++
				if l.HasAmount() {
					fresh.Revenue += l.Amount
				}
			}
			if s, b, ok := where(l, t); ok {
				seen[s][b]++
				if inside {
					won[s][b]++
				}
			}
		}
		if !t.Before(first) {
			pl.newWins = append(pl.newWins, fresh)
		}
	}
	p := make([][]float64, nS)
	for s := range nS {
		var w, n float64
		for b := range nB {
			w, n = w+won[s][b], n+seen[s][b]
		}
		share := 0.0
		if n > 0 {
			share = w / n
		}
		p[s] = make([]float64, nB)
		for b := range nB {
			p[s][b] = (won[s][b] + pipelinePrior*share) / (seen[s][b] + pipelinePrior)
		}
	}
	// The mean won amount before the origin, for leads without one.
	end := h.Last()
	var sum, n float64
	for i := range h.Leads {
		if l := &h.Leads[i]; known(l.Won, asOf) && l.Won.Before(asOf) && l.HasAmount() {
			sum += l.Amount
			n++
		}
	}
	mean := 0.0
	if n > 0 {
		mean = sum / n
	}
	for i := range h.Leads {
		l := &h.Leads[i]
		s, b, ok := where(l, asOf.Add(-time.Nanosecond))
		if !ok {
			continue
		}
		a := mean
		if l.AmountKnown(asOf, end) {
			a = l.Amount
		}
		pl.p, pl.amount = append(pl.p, p[s][b]), append(pl.amount, a)
	}
	return pl
}

// sample draws n forecasts of wins (or revenue): a Bernoulli per open lead
// plus one snapshot's wins from leads created after it, drawn at random.
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
		if len(pl.newWins) > 0 {
			w := pl.newWins[int(st.Uniform()*float64(len(pl.newWins)))]
			if revenue {
				out[i] += w.Revenue
			} else {
				out[i] += w.Wins
			}
		}
	}
	return out
}
