package scenarios

import (
	"context"
	"fmt"
	"math"
	"slices"

	"gonum.org/v1/gonum/floats"

	"github.com/funnelsim/funnelsim/model"
	"github.com/funnelsim/funnelsim/model/rng"
)

// polishCandidates is how many of the search's best allocations the
// paired comparison runs again, beside today's and the equal split.
const polishCandidates = 5

// polish runs the search's best allocations, today's and an equal split
// again on the comparison's own seed and trials, and answers with the
// best of them on the objective (today's where none beats it).
func (p *problem) polish(ctx context.Context, ranked []*Split) (*Optimum, error) {
	starts := p.starts(p.budget)
	xs := [][]float64{starts[0], starts[1]}
	for _, s := range ranked {
		if len(xs) == 2+polishCandidates {
			break
		}
		if !slices.ContainsFunc(xs, func(x []float64) bool { return key(x, p.budget) == key(s.Spend, p.budget) }) {
			xs = append(xs, s.Spend)
		}
	}
	seed := derivedSeed(p.o.Run.Seed, purposePolish)
	rs, err := p.run(ctx, p.m, xs, seed, p.o.FinalTrials)
	if err != nil {
		return nil, err
	}
	splits := make([]Split, len(xs))
	for k := range xs {
		splits[k] = p.split("candidate", xs[k], rs[k])
	}
	splits[0].Name, splits[1].Name = "today", "equal"
	best := 0
	for k := range splits {
		if splits[k].Value > splits[best].Value {
			best = k
		}
	}
	opt := &Optimum{Objective: p.o.Objective, Target: p.o.Target, Budget: p.budget, Weeks: p.o.Run.Weeks, Channels: p.names,
		Lo: p.lo, Hi: p.hi, Today: splits[0], Equal: splits[1], Best: splits[best], Trials: p.o.Run.Trials, FinalTrials: p.o.FinalTrials,
		Seed: p.o.Run.Seed, Robust: math.NaN()}
	opt.Best.Name = "best"
	if best == 0 {
		opt.Warnings = append(opt.Warnings, "no split the search found beats today's on the comparison's trials: today's is the answer")
	}
	a, _ := rs[0].Metric("revenue")
	b, _ := rs[best].Metric("revenue")
	opt.Gain = opt.Best.Value - opt.Today.Value
	obj := p.o.Objective
	opt.GainMCSE = p.batchSE(func(lo, hi int) float64 { return obj.value(b[lo:hi], p.o.Target) - obj.value(a[lo:hi], p.o.Target) }, len(a))
	// Trial by trial, as compare's deltas count them.
	d := delta(rs[0], rs[best], slices.IndexFunc(rs[0].Metrics, func(m model.MetricInfo) bool { return m.Name == "revenue" }))
	opt.PBetter, opt.PWorse = d.PBetter, d.PWorse
	opt.Warnings = append(opt.Warnings, p.extrapolated(opt.Best.Spend)...)
	return opt, nil
}

// extrapolated says which channels' spend in x lies outside the spend
// their curves were fitted on, and by how much.
func (p *problem) extrapolated(x []float64) []string {
	var out []string
	for i, c := range p.idx {
		r := p.m.Channels[c].Response
		lo, hi, ok := r.SpendRange()
		switch {
		case !ok:
		case x[i] > hi*(1+1e-9):
			out = append(out, fmt.Sprintf("%s at %.0f a week is %.0f%% above the most it spent in history (%.0f): its response there is an extrapolation", p.names[i], x[i], 100*(x[i]/hi-1), hi))
		case x[i] < lo*(1-1e-9):
			out = append(out, fmt.Sprintf("%s at %.0f a week is below the least it spent in history (%.0f): its response there is an extrapolation", p.names[i], x[i], lo))
		}
		if r.Source == "default" {
			out = append(out, fmt.Sprintf("%s's response is the default curve, not fitted to its spend", p.names[i]))
		}
	}
	return out
}

// marginal sets each channel's revenue within the horizon per extra unit
// of spend at the answer: a week's spend of δ more on the channel (5% of
// its spend, or 1% of the budget where more), over the horizon's spend of
// δ·weeks, paired trial by trial.
func (p *problem) marginal(ctx context.Context, opt *Optimum) error {
	n := len(p.idx)
	xs := [][]float64{opt.Best.Spend}
	deltas := make([]float64, n)
	for i := range n {
		deltas[i] = math.Max(0.05*opt.Best.Spend[i], 0.01*p.budget)
		y := slices.Clone(opt.Best.Spend)
		y[i] += deltas[i]
		xs = append(xs, y)
	}
	rs, err := p.run(ctx, p.m, xs, derivedSeed(p.o.Run.Seed, purposePolish), max(p.o.FinalTrials/2, 100))
	if err != nil {
		return err
	}
	base, _ := rs[0].Metric("revenue")
	opt.Marginal, opt.MarginalMCSE = make([]float64, n), make([]float64, n)
	d := make([]float64, len(base))
	for i := range n {
		r, _ := rs[i+1].Metric("revenue")
		for k := range d {
			d[k] = r[k] - base[k]
		}
		cost := deltas[i] * float64(p.o.Run.Weeks)
		s := model.Summarize("marginal", d)
		opt.Marginal[i], opt.MarginalMCSE[i] = s.Mean/cost, s.SD/math.Sqrt(float64(len(d)))/cost
	}
	return nil
}

// robust sets the share of draws of the response curves (from their
// fits' uncertainty) in which the answer's objective beats today's, each
// draw's pair run on the search's trials.
func (p *problem) robust(ctx context.Context, opt *Optimum) error {
	uncertain := false
	draws := make([]func(*rng.Stream) model.Response, len(p.m.Channels))
	for _, c := range p.idx {
		r := p.m.Channels[c].Response
		uncertain = uncertain || len(r.Cov) == 3
		draws[c], _ = r.Sampler()
	}
	if !uncertain || p.o.Draws <= 0 || slices.Equal(opt.Best.Spend, opt.Today.Spend) {
		return nil
	}
	st := rng.NewStream()
	wins := 0
	for k := range p.o.Draws {
		m := *p.m
		m.Channels = slices.Clone(p.m.Channels)
		for _, c := range p.idx {
			if draws[c] != nil {
				st.Reset(derivedSeed(p.o.Run.Seed, purposeCurves), uint64(k), uint64(c))
				d := draws[c](st)
				m.Channels[c].Response = &d
			}
		}
		rs, err := p.run(ctx, &m, [][]float64{opt.Today.Spend, opt.Best.Spend}, p.o.Run.Seed, p.o.Run.Trials)
		if err != nil {
			return err
		}
		a, _ := rs[0].Metric("revenue")
		b, _ := rs[1].Metric("revenue")
		if p.o.Objective.value(b, p.o.Target) > p.o.Objective.value(a, p.o.Target) {
			wins++
		}
	}
	opt.Robust, opt.RobustDraws = float64(wins)/float64(p.o.Draws), p.o.Draws
	return nil
}

// frontier traces the objective against the weekly budget: at each
// multiple of the budget in the options, a search from the answer's mix
// and today's, scaled to it (its first move half the answer's, down to
// the same last move); then today's mix, the search's best and the
// answer's mix scaled are run on the comparison's seed and trials, and the
// best of these is the frontier's point. The answer's own budget comes
// from the comparison.
func (p *problem) frontier(ctx context.Context, opt *Optimum) error {
	todayTotal := floats.Sum(p.today)
	seed := derivedSeed(p.o.Run.Seed, purposePolish)
	for _, f := range p.o.Frontier {
		budget := f * p.budget
		if !(budget > 0) {
			continue
		}
		scaled := make([]float64, len(opt.Best.Spend))
		for i, x := range opt.Best.Spend {
			scaled[i] = x * f
		}
		scaled = p.project(scaled, budget)
		todayMix := p.starts(budget)[0]
		ranked, err := p.search(ctx, budget, [][]float64{scaled, todayMix}, 0.1, 0.0125, p.o.Run.Trials)
		if err != nil {
			return err
		}
		xs := [][]float64{todayMix, ranked[0].Spend, scaled}
		rs, err := p.run(ctx, p.m, xs, seed, p.o.FinalTrials)
		if err != nil {
			return err
		}
		pt := FrontierPoint{Budget: budget, TodayBudget: math.Abs(budget-todayTotal) < 1e-9*todayTotal, Best: math.Inf(-1)}
		for k, r := range rs {
			rev, _ := r.Metric("revenue")
			v, se := p.batchValue(rev)
			if k == 0 {
				pt.TodayMix, pt.TodayMCSE = v, se
			}
			if v > pt.Best {
				pt.Best, pt.BestMCSE, pt.BestSpend = v, se, xs[k]
			}
		}
		opt.Frontier = append(opt.Frontier, pt)
	}
	opt.Frontier = append(opt.Frontier, FrontierPoint{Budget: p.budget, TodayMix: opt.Today.Value, TodayMCSE: opt.Today.MCSE, Best: opt.Best.Value,
		BestMCSE: opt.Best.MCSE, BestSpend: opt.Best.Spend, IsMain: true, TodayBudget: math.Abs(p.budget-todayTotal) < 1e-9*todayTotal})
	slices.SortFunc(opt.Frontier, func(a, b FrontierPoint) int {
		switch {
		case a.Budget < b.Budget:
			return -1
		case a.Budget > b.Budget:
			return 1
		}
		return 0
	})
	return nil
}
