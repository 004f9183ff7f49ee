package main

import (
	"cmp"
	"context"
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/spf13/pflag"

	"github.com/funnelsim/funnelsim/document"
	"github.com/funnelsim/funnelsim/model"
	"github.com/funnelsim/funnelsim/report"
	"github.com/funnelsim/funnelsim/scenarios"
)

func optimizeCommand() *command {
	return &command{
		Name:      "optimize",
		UsageLine: "simulate optimize [--objective p-target|median|mean|cvar10] [--target X] [--budget X | --budget-total X] [--min CH=X]... [--max CH=X]... [--bounds FILE] [--within-history] [--frontier LIST|none] [--model FILE] [--weeks N] [--trials N] [--final-trials N] [--seed N] [--workers N] [--json] [--csv FILE] [--plots DIR]",
		Short:     "split a marketing budget over the channels for the most revenue, or the best chance of a target",
		Long: `
Optimize finds the weekly spend per channel that maximises an objective of
the horizon's revenue, within a total budget and per-channel bounds. Every
split it tries runs through each channel's fitted response of leads to
spend and the whole funnel (conversion and time in stage by channel, rep
capacity, deal sizes), on common random numbers, so that splits are
compared trial by trial.

Objectives: p-target, the chance that revenue reaches --target (the
default with --target); median (the default without); mean; cvar10, the
mean revenue of the worst 10% of trials (the downside).

The search moves spend from one channel to another, keeping every move
that helps and halving the move when none does (--trials trials a split,
default 2,000). Its best five splits, today's and an equal split are then
run again on fresh trials (--final-trials, default 20,000) and the best of
those is the answer, with its Monte Carlo standard error, the paired gain
over today's, the shares of trials in which it books more and less revenue
than today's, each channel's revenue per extra unit of spend, and how often
it beats today's across draws of the response curves (for fitted curves).
It also traces the frontier: the objective at half, three quarters, 1.25
and 1.5 times the budget (--frontier sets the multiples; none skips it,
which takes half the time), at the best split found there and at today's
mix (--plots DIR draws it).

--budget is the weekly spend to split (default: today's); --budget-total
gives it for the whole horizon instead. --min and --max bound a channel's
weekly spend (repeat them, or give --bounds FILE, a YAML file with min:
and max: maps of channel to spend). Only channels with a response to spend
are split; the others keep theirs. Spend outside what a channel spent in
its history is flagged: its response there is an extrapolation;
--within-history keeps every channel within what it spent.

A horizon shorter than the funnel's cycle counts little of what new leads
bring: most of the revenue of leads bought now is won after it. Give a
longer --weeks to weigh the later revenue.

--csv FILE also writes the results as a CSV table for spreadsheets (plain
numbers, snake_case columns; docs/OUTPUT.md); --csv - writes it to
standard output instead of the text.

Examples:

	simulate optimize --target 800k
	simulate optimize --objective median --weeks 26 --max paid_search=20000
	simulate optimize --model model.yaml --objective cvar10 --budget 40000 --plots out

Exit status is 0 on success, 1 on an error, 2 on a usage error.
`,
		Run:   runOptimize,
		Flags: func(fs *pflag.FlagSet) { new(optimizeFlags).declare(fs) },
	}
}

type optimizeFlags struct {
	runFlags
	outputFlags
	objective           string
	budget, budgetTotal float64
	min, max            []string
	bounds              string
	withinHistory       bool
	finalTrials         int
	draws               int
	frontier            string
}

// optimizeTrials is the search's default trials a split.
const optimizeTrials = 2000

func (f *optimizeFlags) declare(fs *pflag.FlagSet) {
	f.runFlags.declare(fs)
	t := fs.Lookup("trials")
	t.Usage, t.DefValue = "Monte Carlo trials for each split the search tries", strconv.Itoa(optimizeTrials)
	f.trials = optimizeTrials
	f.outputFlags.declare(fs, "revenue target (800000, 800k or 1.2M), for the objective p-target")
	fs.StringVar(&f.objective, "objective", "", "what to maximise: "+scenarios.Objectives+" (default: p-target with --target, else median)")
	moneyVar(fs, &f.budget, "budget", 0, "weekly spend to split over the channels (default: today's)")
	moneyVar(fs, &f.budgetTotal, "budget-total", 0, "spend to split over the whole horizon, instead of --budget")
	fs.StringArrayVar(&f.min, "min", nil, "a channel's least weekly spend, CHANNEL=X (repeat for more)")
	fs.StringArrayVar(&f.max, "max", nil, "a channel's most weekly spend, CHANNEL=X (repeat for more)")
	fs.StringVar(&f.bounds, "bounds", "", "YAML file of bounds: min: and max: maps of channel to weekly spend")
	fs.BoolVar(&f.withinHistory, "within-history", false, "keep each channel's spend within what it spent in history, where the model knows it: no response extrapolated")
	fs.IntVar(&f.finalTrials, "final-trials", 20000, "trials of the final, paired comparison of the best splits")
	fs.IntVar(&f.draws, "draws", 20, "draws of the response curves for the robustness check (0: none)")
	fs.StringVar(&f.frontier, "frontier", "0.5,0.75,1.25,1.5", "budgets at which to trace the frontier, as multiples of the budget (none: no frontier)")
}

func runOptimize(ctx context.Context, e *env, args []string) error {
	var f optimizeFlags
	fs := pflag.NewFlagSet("optimize", pflag.ContinueOnError)
	f.declare(fs)
	if err := parse(fs, args); err != nil {
		return err
	}
	if err := f.check(fs); err != nil {
		return err
	}
	if err := distinctFiles(append(f.inputs(), file{"--bounds", f.bounds}), []file{f.csvFlag.output()}, &f.plotFlags); err != nil {
		return err
	}
	o, err := f.optimizeOptions(fs)
	if err != nil {
		return err
	}
	m, err := f.load()
	if err != nil {
		return err
	}
	if err := f.checkChannels(m, o); err != nil {
		return err
	}
	if fs.Changed("budget-total") {
		o.Budget = f.budgetTotal / float64(cmp.Or(o.Run.Weeks, m.HorizonWeeks))
		if o.Budget == 0 {
			return usagef("--budget-total must be above 0")
		}
	}
	prog, finish := e.bar("trials over the optimizer's runs")
	o.Progress = prog
	opt, err := scenarios.Optimize(ctx, m, o)
	finish()
	if err != nil {
		return err
	}
	if err := f.plotFlags.write(e, &report.Inputs{Model: m, Optimum: opt, Target: f.target}); err != nil {
		return err
	}
	d := document.NewOptimum(m.Name, m.AsOf.String(), m.Currency, opt)
	return f.emit(e, d)
}

// check checks the flags as parsed by fs.
func (f *optimizeFlags) check(fs *pflag.FlagSet) error {
	if err := f.runFlags.check(fs); err != nil {
		return err
	}
	if err := f.outputFlags.check(fs); err != nil {
		return err
	}
	switch {
	case f.recalibration != "":
		return usagef("--recalibration: optimize compares splits on the simulated revenue; a recalibration map does not apply to its channels' shares")
	case fs.Changed("budget") && fs.Changed("budget-total"):
		return usagef("give --budget (weekly) or --budget-total (the horizon's), not both")
	case !(f.budget >= 0) || !(f.budgetTotal >= 0):
		return usagef("the budget must be >= 0")
	case f.finalTrials < 100:
		return usagef("--final-trials must be at least 100 (got %d)", f.finalTrials)
	case f.trials < 100:
		return usagef("--trials must be at least 100 (got %d)", f.trials)
	case f.draws < 0:
		return usagef("--draws must be >= 0 (got %d)", f.draws)
	}
	return nil
}

// optimizeOptions are the optimizer's options from the flags.
func (f *optimizeFlags) optimizeOptions(fs *pflag.FlagSet) (scenarios.OptimizeOptions, error) {
	o := scenarios.OptimizeOptions{Budget: f.budget, Target: f.target, Run: *f.options(), FinalTrials: f.finalTrials, Draws: f.draws, WithinHistory: f.withinHistory}
	if f.draws == 0 {
		o.Draws = -1
	}
	o.Objective = scenarios.DefaultObjective(f.target)
	if f.objective != "" {
		obj, err := scenarios.ParseObjective(f.objective)
		if err != nil {
			return o, usagef("--objective: %v", err)
		}
		o.Objective = obj
	}
	if o.Objective == scenarios.PTarget && math.IsNaN(f.target) {
		return o, usagef("--objective p-target needs --target")
	}
	o.Frontier = []float64{}
	if f.frontier != "none" {
		for _, s := range strings.Split(f.frontier, ",") {
			x, err := strconv.ParseFloat(strings.TrimSpace(s), 64)
			if err != nil || !(x > 0) || math.IsInf(x, 0) || x > 100 {
				return o, usagef("--frontier %q: want multiples of the budget above 0 (at most 100), such as 0.5,1.5, or none", f.frontier)
			}
			o.Frontier = append(o.Frontier, x)
		}
	}
	var err error
	if o.Min, o.Max, err = scenarios.ReadBounds(f.bounds); err != nil {
		return o, err
	}
	for _, b := range []struct {
		flag string
		vals []string
		to   *map[string]float64
	}{{"--min", f.min, &o.Min}, {"--max", f.max, &o.Max}} {
		for _, v := range b.vals {
			name, x, ok := strings.Cut(v, "=")
			amount, err := parseMoney(x)
			if !ok || name == "" || err != nil {
				return o, usagef("%s %q: want CHANNEL=SPEND, such as paid_search=20000", b.flag, v)
			}
			if *b.to == nil {
				*b.to = map[string]float64{}
			}
			(*b.to)[name] = amount
		}
	}
	return o, nil
}

// checkChannels checks that every bound names a channel of m, saying
// where the bound came from: --min, --max or the --bounds file.
func (f *optimizeFlags) checkChannels(m *model.Model, o scenarios.OptimizeOptions) error {
	fromFlag := func(vals []string, name string) bool {
		for _, v := range vals {
			if n, _, _ := strings.Cut(v, "="); n == name {
				return true
			}
		}
		return false
	}
	names := make([]string, len(m.Channels))
	for i, c := range m.Channels {
		names[i] = c.Name
	}
	for _, b := range []struct {
		flag string
		vals []string
		m    map[string]float64
	}{{"--min", f.min, o.Min}, {"--max", f.max, o.Max}} {
		for name := range b.m {
			if m.ChannelIndex(name) >= 0 {
				continue
			}
			where := fmt.Sprintf("%s: %s", f.bounds, b.flag[2:])
			if fromFlag(b.vals, name) {
				where = b.flag
			}
			return fmt.Errorf("%s: no channel %q in the model (its channels: %s)%s", where, name, strings.Join(names, ", "), didYouMean(name, names))
		}
	}
	return nil
}
