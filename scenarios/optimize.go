package scenarios

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"math"
	"slices"
	"strings"

	"gonum.org/v1/gonum/floats"

	"github.com/funnelsim/funnelsim/internal/yamlfile"
	"github.com/funnelsim/funnelsim/model"
)

// Objective is what Optimize maximises over the trials' revenue.
type Objective int

const (
	PTarget Objective = iota // the chance of reaching the target
	Median                   // the median revenue
	Mean                     // the mean revenue
	CVaR10                   // the mean revenue of the worst 10% of trials
)

var objectiveNames = []string{"p-target", "median", "mean", "cvar10"}

// Objectives lists the objectives' names, for help texts.
var Objectives = strings.Join(objectiveNames, ", ")

func (o Objective) String() string {
	if o < 0 || int(o) >= len(objectiveNames) {
		return fmt.Sprintf("Objective(%d)", int(o))
	}
	return objectiveNames[o]
}

// DefaultObjective is the objective where none is asked for: the chance
// of the target where there is one (not NaN), else the median revenue.
func DefaultObjective(target float64) Objective {
	if math.IsNaN(target) {
		return Median
	}
	return PTarget
}

// ParseObjective reads an objective's name.
func ParseObjective(s string) (Objective, error) {
	if i := slices.Index(objectiveNames, s); i >= 0 {
		return Objective(i), nil
	}
	return 0, fmt.Errorf("unknown objective %q (want %s)", s, Objectives)
}

// value is the objective over revenues.
func (o Objective) value(rev []float64, target float64) float64 {
	switch o {
	case PTarget:
		n := 0
		for _, x := range rev {
			if x >= target {
				n++
			}
		}
		return float64(n) / float64(len(rev))
	case Mean:
		s := 0.0
		for _, x := range rev {
			s += x
		}
		return s / float64(len(rev))
	}
	sorted := slices.Clone(rev)
	slices.Sort(sorted)
	if o == Median {
		return quantileSorted(sorted, 0.5)
	}
	k := max(1, len(sorted)/10)
	s := 0.0
	for _, x := range sorted[:k] {
		s += x
	}
	return s / float64(k)
}

// quantileSorted is the p-quantile of sorted values, interpolated.
func quantileSorted(x []float64, p float64) float64 {
	h := p * float64(len(x)-1)
	i := int(h)
	if i+1 >= len(x) {
		return x[len(x)-1]
	}
	return x[i] + (h-float64(i))*(x[i+1]-x[i])
}

// smooth is the objective as the search sees it: P(target) as the mean of
// a normal kernel's mass above the target (bandwidth by Silverman's rule),
// which moves with the allocation where the count of trials above the
// target moves in steps; the others as they are.
func (o Objective) smooth(rev []float64, target float64) float64 {
	if o != PTarget {
		return o.value(rev, target)
	}
	mean, sd := 0.0, 0.0
	for _, x := range rev {
		mean += x
	}
	mean /= float64(len(rev))
	for _, x := range rev {
		sd += (x - mean) * (x - mean)
	}
	sd = math.Sqrt(sd / float64(len(rev)))
	h := 1.06 * sd * math.Pow(float64(len(rev)), -0.2)
	if !(h > 0) {
		return o.value(rev, target)
	}
	s := 0.0
	for _, x := range rev {
		s += 0.5 * math.Erfc((target-x)/(h*math.Sqrt2))
	}
	return s / float64(len(rev))
}

// OptimizeOptions says what Optimize allocates and how hard it looks.
type OptimizeOptions struct {
	// Budget is the weekly spend to allocate over the channels that have
	// a response to spend; 0 is today's.
	Budget float64
	// Min and Max bound a channel's weekly spend (default 0 and the
	// budget).
	Min, Max map[string]float64
	// WithinHistory keeps each channel's spend within what it spent in
	// the history its curve was fitted on (Response.Range), where known,
	// so that no response is extrapolated.
	WithinHistory bool
	Objective     Objective
	Target        float64 // for PTarget
	// Run sets the seed, horizon and workers; its Trials are the search's
	// trials per allocation (default 2,000).
	Run model.Options
	// FinalTrials are the trials of the paired comparison that picks the
	// answer from the search's best, on a seed of their own (default
	// 20,000).
	FinalTrials int
	// Draws is the number of draws of the response curves for the
	// robustness check (default 20; negative for none).
	Draws int
	// Frontier lists the budgets, as multiples of Budget, at which the
	// frontier is traced (default 0.5, 0.75, 1.25, 1.5; none when empty
	// but not nil).
	Frontier []float64
	// Progress, if set, is called with the trials done and an upper
	// estimate of those to come.
	Progress func(done, total int)
}

// ReadBounds reads a YAML file of per-channel bounds on weekly spend,
// for OptimizeOptions.Min and Max: maps min: and max: of channel to spend
// (either may be absent). Path "" gives none.
func ReadBounds(path string) (lo, hi map[string]float64, err error) {
	if path == "" {
		return nil, nil, nil
	}
	b, err := model.ReadYAML(path)
	if err != nil {
		return nil, nil, err
	}
	var f struct {
		Min map[string]float64 `yaml:"min"`
		Max map[string]float64 `yaml:"max"`
	}
	if err := yamlfile.Decode(b, &f); err != nil {
		return nil, nil, fmt.Errorf("%s: %w", path, err)
	}
	return f.Min, f.Max, nil
}

// DefaultFrontier is the budgets, as multiples of the one allocated, at
// which Optimize traces the frontier by default.
var DefaultFrontier = []float64{0.5, 0.75, 1.25, 1.5}

// Split is an allocation of weekly spend and what it brings over the
// horizon: the objective with its Monte Carlo standard error, and per
// channel the mean leads, wins and revenue of its leads.
type Split struct {
	Name      string
	Spend     []float64 // per channel of Optimum.Channels
	Value     float64
	MCSE      float64
	Leads     []float64
	Wins      []float64
	Revenue   []float64
	Total     float64 // mean revenue
	searchVal float64
}

// Optimum is Optimize's answer.
type Optimum struct {
	Objective Objective
	Target    float64
	Budget    float64  // weekly
	Weeks     int      // the horizon
	Channels  []string // those allocated: the channels with a response to spend
	Lo, Hi    []float64
	// Best is the chosen split; Today is today's spend (scaled to the
	// budget where it differs from today's total) and Equal an equal
	// split, both within the bounds.
	Best, Today, Equal Split
	// Gain is Best's objective minus Today's, with the standard error of
	// the paired difference; PBetter and PWorse are the shares of trials
	// in which Best books more, or less, revenue than Today.
	Gain, GainMCSE  float64
	PBetter, PWorse float64
	// Marginal is, per channel, the revenue within the horizon of one more
	// unit of spend at Best (a week's extra spend over the horizon), with
	// its standard error.
	Marginal, MarginalMCSE []float64
	// Robust is the share of draws of the response curves in which Best's
	// objective beats Today's, out of RobustDraws; NaN where the curves
	// carry no uncertainty (given or default curves).
	Robust      float64
	RobustDraws int
	Frontier    []FrontierPoint
	// Evaluations is the number of allocations the search ran, and
	// FrontierEvaluations those the frontier's searches ran; Trials and
	// FinalTrials the trials of each in the searches and in the
	// comparisons.
	Evaluations, FrontierEvaluations, Trials, FinalTrials int
	Seed                                                  uint64
	Warnings                                              []string
}

// FrontierPoint is the objective at one weekly budget: at today's mix
// scaled to it, and at the best split the search found for it.
type FrontierPoint struct {
	Budget      float64
	TodayMix    float64
	Best        float64
	BestSpend   []float64
	IsMain      bool // the budget of Optimum.Best
	TodayBudget bool // today's total
	TodayMCSE   float64
	BestMCSE    float64
}

// Optimize finds the weekly spend per channel, within the bounds and the
// budget, that maximises the objective of revenue over the horizon, every
// allocation run through each channel's response to spend and the whole
// funnel on common random numbers. The search is a generating set search
// on the budget's simplex (moves of spend from one channel to another,
// halved when none helps), on a smoothed objective; the search's best few
// and today's split are then run again on a seed of their own, and the
// best of that paired comparison is the answer, so that its figures carry
// no selection bias from the search.
func Optimize(ctx context.Context, m *model.Model, o OptimizeOptions) (*Optimum, error) {
	p, err := newProblem(m, &o)
	if err != nil {
		return nil, err
	}
	ranked, err := p.search(ctx, p.budget, p.starts(p.budget), 0.2, 0.005, p.o.Run.Trials)
	if err != nil {
		return nil, err
	}
	searched := p.evals
	opt, err := p.polish(ctx, ranked)
	if err != nil {
		return nil, err
	}
	if err := p.marginal(ctx, opt); err != nil {
		return nil, err
	}
	if err := p.robust(ctx, opt); err != nil {
		return nil, err
	}
	if err := p.frontier(ctx, opt); err != nil {
		return nil, err
	}
	opt.Evaluations, opt.FrontierEvaluations = searched, p.evals-searched
	return opt, nil
}

// problem is one optimization: the model, the channels allocated and
// their bounds, and the search's archive of allocations run.
type problem struct {
	m      *model.Model
	o      OptimizeOptions
	idx    []int // model channel of each allocated channel
	names  []string
	lo, hi []float64
	budget float64
	today  []float64 // today's weekly spend
	seen   map[string]*Split
	evals  int
	done   int
	total  int
}

func newProblem(m *model.Model, o *OptimizeOptions) (*problem, error) {
	if o.Run.Trials == 0 {
		o.Run.Trials = 2000
	}
	if o.FinalTrials == 0 {
		o.FinalTrials = 20000
	}
	if o.Draws == 0 {
		o.Draws = 20
	}
	if o.Frontier == nil {
		o.Frontier = DefaultFrontier
	}
	if o.Run.Weeks == 0 {
		o.Run.Weeks = m.HorizonWeeks
	}
	switch {
	case o.Objective < PTarget || o.Objective > CVaR10:
		return nil, fmt.Errorf("optimize: unknown objective %d", int(o.Objective))
	case o.Objective == PTarget && !(o.Target > 0):
		return nil, errors.New("optimize: the objective p-target needs a target above 0")
	case o.Run.Trials < 100 || o.FinalTrials < 100:
		return nil, fmt.Errorf("optimize: at least 100 trials per allocation (got %d and %d)", o.Run.Trials, o.FinalTrials)
	case !(o.Budget >= 0) || math.IsInf(o.Budget, 0):
		return nil, fmt.Errorf("optimize: the budget must be a weekly spend >= 0 (got %v)", o.Budget)
	}
	p := &problem{m: m, o: *o, seen: map[string]*Split{}}
	for i, ch := range m.Channels {
		if ch.Response != nil {
			p.idx = append(p.idx, i)
			p.names = append(p.names, ch.Name)
			p.today = append(p.today, ch.WeeklySpend)
		}
	}
	if len(p.idx) == 0 {
		return nil, errors.New("optimize: no channel of the model has a response to spend; calibrate with a spend file (calibrate --spend) or give the channels' responses")
	}
	p.budget = o.Budget
	if p.budget == 0 {
		p.budget = floats.Sum(p.today)
	}
	if !(p.budget > 0) {
		return nil, errors.New("optimize: today's spend is 0; give a budget")
	}
	if err := p.bounds(); err != nil {
		return nil, err
	}
	if len(p.idx) == 1 {
		return nil, fmt.Errorf("optimize: only %s has a response to spend: there is nothing to split", p.names[0])
	}
	// An estimate of the trials to run, for progress: about ten polls of
	// every move in the search and six at each frontier budget.
	n := len(p.idx)
	moves := n * (n - 1)
	p.total = (2+10*moves)*o.Run.Trials + 7*o.FinalTrials + (n+1)*o.FinalTrials/2 + 2*max(o.Draws, 0)*o.Run.Trials +
		len(o.Frontier)*((2+6*moves)*o.Run.Trials+3*o.FinalTrials)
	return p, nil
}

// bounds reads the per-channel bounds and checks that the budget can meet
// them.
func (p *problem) bounds() error {
	n := len(p.idx)
	p.lo, p.hi = make([]float64, n), make([]float64, n)
	for i := range p.hi {
		p.hi[i] = p.budget
	}
	for _, b := range []struct {
		flag string
		m    map[string]float64
		to   []float64
	}{{"min", p.o.Min, p.lo}, {"max", p.o.Max, p.hi}} {
		for _, name := range slices.Sorted(maps.Keys(b.m)) {
			i := slices.Index(p.names, name)
			if i < 0 {
				if _, err := channel(p.m, name); err != nil {
					return fmt.Errorf("optimize: %s: %w", b.flag, err)
				}
				return fmt.Errorf("optimize: %s: channel %s has no response to spend, so its spend is not allocated", b.flag, name)
			}
			x := b.m[name]
			if !(x >= 0) || math.IsInf(x, 0) {
				return fmt.Errorf("optimize: %s %s=%v: want a weekly spend >= 0", b.flag, name, x)
			}
			b.to[i] = math.Min(x, p.budget)
		}
	}
	if p.o.WithinHistory {
		for i, c := range p.idx {
			if lo, hi, ok := p.m.Channels[c].Response.SpendRange(); ok {
				p.lo[i], p.hi[i] = math.Max(p.lo[i], lo), math.Min(p.hi[i], hi)
			}
		}
	}
	for i := range p.lo {
		if p.lo[i] > p.hi[i] {
			return fmt.Errorf("optimize: channel %s: min %v is above max %v", p.names[i], p.lo[i], p.hi[i])
		}
	}
	if lo := floats.Sum(p.lo); lo > p.budget*(1+1e-12) {
		return fmt.Errorf("optimize: the minimums (%s) add up to %v a week, more than the budget %v", p.boundList(p.lo, p.o.Min), lo, p.budget)
	}
	if hi := floats.Sum(p.hi); hi < p.budget*(1-1e-12) {
		return fmt.Errorf("optimize: the maximums (%s) add up to %v a week, less than the budget %v: raise a maximum or lower the budget", p.boundList(p.hi, p.o.Max), hi, p.budget)
	}
	return nil
}

// boundList names the bounds in b that were set, by the options' map m
// or by the history's range.
func (p *problem) boundList(b []float64, m map[string]float64) string {
	var out []string
	for i, n := range p.names {
		_, given := m[n]
		_, _, ranged := p.m.Channels[p.idx[i]].Response.SpendRange()
		if given || p.o.WithinHistory && ranged {
			out = append(out, fmt.Sprintf("%s=%g", n, b[i]))
		}
	}
	return strings.Join(out, ", ")
}

// project returns the allocation nearest to w (in the Euclidean sense)
// whose channels sum to budget within their bounds: x_i = clip(w_i + μ),
// with μ found by bisection.
func (p *problem) project(w []float64, budget float64) []float64 {
	lo, hi := p.lo, p.hi
	if budget != p.budget {
		// A frontier budget keeps the bounds that it can meet.
		lo, hi = p.scaledBounds(budget)
	}
	x := make([]float64, len(w))
	at := func(mu float64) float64 {
		for i := range w {
			x[i] = math.Min(math.Max(w[i]+mu, lo[i]), hi[i])
		}
		return floats.Sum(x)
	}
	a, b := -budget-floats.Norm(w, math.Inf(1)), budget+floats.Norm(w, math.Inf(1))
	for range 200 {
		mid := (a + b) / 2
		if at(mid) < budget {
			a = mid
		} else {
			b = mid
		}
	}
	at(b)
	return x
}

// scaledBounds are the bounds for another budget: the minimums and
// maximums as given, each relaxed just enough that the budget can be met.
func (p *problem) scaledBounds(budget float64) (lo, hi []float64) {
	lo, hi = slices.Clone(p.lo), slices.Clone(p.hi)
	for i := range hi {
		if _, ok := p.o.Max[p.names[i]]; !ok {
			hi[i] = budget
		}
	}
	if s := floats.Sum(lo); s > budget {
		for i := range lo {
			lo[i] *= budget / s
		}
	}
	if s := floats.Sum(hi); s < budget {
		for i := range hi {
			hi[i] *= budget / s
		}
	}
	return lo, hi
}

// starts are the search's starting points: today's mix and an equal
// split, each scaled to the budget and brought within the bounds.
func (p *problem) starts(budget float64) [][]float64 {
	today := make([]float64, len(p.today))
	if s := floats.Sum(p.today); s > 0 {
		for i, x := range p.today {
			today[i] = x * budget / s
		}
	}
	equal := make([]float64, len(p.today))
	for i := range equal {
		equal[i] = budget / float64(len(equal))
	}
	return [][]float64{p.project(today, budget), p.project(equal, budget)}
}
