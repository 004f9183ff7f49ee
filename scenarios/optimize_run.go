package scenarios

import (
	"context"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"

	"gonum.org/v1/gonum/stat"

	"github.com/funnelsim/funnelsim/model"
	"github.com/funnelsim/funnelsim/model/rng"
)

// Seeds of Optimize's runs other than the search's, derived from its seed
// so that one seed fixes every figure.
const (
	purposePolish = iota + 1
	purposeCurves
)

func derivedSeed(seed uint64, purpose uint64) uint64 {
	_, lo := rng.Derive(seed, 0x6f7074696d697a65, purpose)
	return lo
}

// apply is m with weekly spend x on the allocated channels, from week 0.
func (p *problem) apply(m *model.Model, x []float64, name string) (*model.Model, []string, error) {
	spend := make(map[string]float64, len(x))
	for i, v := range x {
		spend[p.names[i]] = v
	}
	return Apply(m, Scenario{Name: name, Interventions: []Intervention{{Budget: &Budget{Spend: spend}}}}, nil)
}

// run runs the allocations xs of m on common random numbers, keeping each
// channel's totals. Where a split's spend lies outside a channel's
// history, the answer's warnings say so (extrapolated), not each run's.
func (p *problem) run(ctx context.Context, m *model.Model, xs [][]float64, seed uint64, trials int) ([]*model.Result, error) {
	models := make([]*model.Model, len(xs))
	for k, x := range xs {
		var err error
		if models[k], _, err = p.apply(m, x, "split "+strconv.Itoa(k)); err != nil {
			return nil, err
		}
	}
	o := p.o.Run
	o.Trials, o.Seed, o.ByChannel = trials, seed, true
	base := p.done
	if prog := p.o.Progress; prog != nil {
		o.Progress = func(done, _ int) { prog(min(base+done*len(xs), p.total-1), p.total) }
	}
	o.Combine = false // the combination is a forecast's and compare's: their first model is the unchanged one
	rs, err := model.RunAll(ctx, models, o)
	if err != nil {
		return nil, err
	}
	p.done += trials * len(xs)
	p.total = max(p.total, p.done+1)
	return rs, nil
}

// split summarises allocation x's run r.
func (p *problem) split(name string, x []float64, r *model.Result) Split {
	rev, _ := r.Metric("revenue")
	s := Split{Name: name, Spend: x, Leads: make([]float64, len(x)), Wins: make([]float64, len(x)), Revenue: make([]float64, len(x))}
	s.Value, s.MCSE = p.batchValue(rev)
	s.searchVal = p.o.Objective.smooth(rev, p.o.Target)
	s.Total = stat.Mean(rev, nil)
	for i, c := range p.idx {
		ch := r.Channels[c]
		s.Leads[i], s.Wins[i], s.Revenue[i] = stat.Mean(ch.Leads, nil), stat.Mean(ch.Wins, nil), stat.Mean(ch.Revenue, nil)
	}
	return s
}

// batchValue is the objective over rev with its standard error by batch
// means (model.Batches contiguous batches of trials).
func (p *problem) batchValue(rev []float64) (v, se float64) {
	v = p.o.Objective.value(rev, p.o.Target)
	return v, p.batchSE(func(lo, hi int) float64 { return p.o.Objective.value(rev[lo:hi], p.o.Target) }, len(rev))
}

// batchSE is the batch-means standard error of a statistic f of trials
// lo..hi-1.
func (p *problem) batchSE(f func(lo, hi int) float64, n int) float64 {
	b := model.Batches
	if n < 2*b {
		return math.NaN()
	}
	vals := make([]float64, b)
	for k := range b {
		vals[k] = f(k*n/b, (k+1)*n/b)
	}
	_, sd := stat.MeanStdDev(vals, nil)
	return sd / math.Sqrt(float64(b))
}

// key identifies allocation x at a weekly budget: its spends to a
// millionth of the budget, and the budget.
func key(x []float64, budget float64) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%g:", budget)
	for _, v := range x {
		fmt.Fprintf(&b, "%.0f,", math.Round(v/budget*1e6))
	}
	return b.String()
}

// evaluate runs the allocations not yet run at this budget on the search
// seed and returns each one's split.
func (p *problem) evaluate(ctx context.Context, xs [][]float64, budget float64, trials int) ([]*Split, error) {
	out := make([]*Split, len(xs))
	var todo [][]float64
	var at []int
	for k, x := range xs {
		kk := key(x, budget) + strconv.Itoa(trials)
		if s, ok := p.seen[kk]; ok {
			out[k] = s
			continue
		}
		todo, at = append(todo, x), append(at, k)
	}
	if len(todo) > 0 {
		rs, err := p.run(ctx, p.m, todo, p.o.Run.Seed, trials)
		if err != nil {
			return nil, err
		}
		p.evals += len(todo)
		for j, r := range rs {
			s := p.split("", todo[j], r)
			p.seen[key(todo[j], budget)+strconv.Itoa(trials)] = &s
			out[at[j]] = &s
		}
	}
	return out, nil
}

// search is the generating set search from the best of starts at a
// weekly budget: every move of step from one channel to another that the
// bounds allow is run, the best taken while it improves the smoothed
// objective, and the step halved when none does, down to minStep (shares
// of the budget). It returns the allocations it ran, best first.
func (p *problem) search(ctx context.Context, budget float64, starts [][]float64, step, minStep float64, trials int) ([]*Split, error) {
	lo, hi := p.lo, p.hi
	if budget != p.budget {
		lo, hi = p.scaledBounds(budget)
	}
	ran := map[*Split]bool{}
	ss, err := p.evaluate(ctx, starts, budget, trials)
	if err != nil {
		return nil, err
	}
	cur := ss[0]
	for _, s := range ss {
		ran[s] = true
		if s.searchVal > cur.searchVal {
			cur = s
		}
	}
	n := len(p.idx)
	for step *= budget; step >= minStep*budget; {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		var polls [][]float64
		for i := range n {
			for j := range n {
				d := math.Min(step, math.Min(cur.Spend[j]-lo[j], hi[i]-cur.Spend[i]))
				if i == j || d <= 1e-9*budget {
					continue
				}
				y := slices.Clone(cur.Spend)
				y[i] += d
				y[j] -= d
				polls = append(polls, y)
			}
		}
		ss, err := p.evaluate(ctx, polls, budget, trials)
		if err != nil {
			return nil, err
		}
		next := cur
		for _, s := range ss {
			ran[s] = true
			if s.searchVal > next.searchVal {
				next = s
			}
		}
		if next == cur {
			step /= 2
		}
		cur = next
	}
	out := make([]*Split, 0, len(ran))
	for s := range ran {
		out = append(out, s)
	}
	slices.SortFunc(out, func(a, b *Split) int {
		if a.searchVal != b.searchVal {
			if a.searchVal > b.searchVal {
				return -1
			}
			return 1
		}
		return strings.Compare(key(a.Spend, budget), key(b.Spend, budget))
	})
	return out, nil
}
