package main

import (
	"context"
	"math"

	"github.com/spf13/pflag"

	"github.com/funnelsim/funnelsim/document"
	"github.com/funnelsim/funnelsim/model"
	"github.com/funnelsim/funnelsim/report"
	"github.com/funnelsim/funnelsim/trials"
)

func forecastCommand() *command {
	return &command{
		Name:      "forecast",
		UsageLine: "simulate forecast [--model FILE] [--weeks N | --quarter Q [--deals FILE] [--by rep|channel|SEGMENT [--quota FILE]]] [--trials N] [--seed N] [--workers N] [--target X] [--fixed-params] [--json] [--csv FILE] [--plots DIR [--plot-format png|svg|pdf]]",
		Short:     "forecast leads, wins and revenue as distributions",
		Long: `
Forecast simulates the model's funnel forward from its as-of date: the open
pipeline and new arrivals, week by week, over --weeks (default the model's
horizon), in --trials Monte Carlo trials. Each trial draws every parameter
from its posterior, so the spread covers both what is uncertain about the
funnel and the luck of the quarter.

It prints the marketing and sales metrics side by side: mean, P10, P50 and
P90, with the Monte Carlo standard error (MCSE) of the median. With
--target X it adds the chance that revenue reaches X. --json writes every
quantile (P5 to P95), standard errors and the weekly cumulative revenue and
wins instead. --plots DIR writes the charts: fan (revenue booked week by
week, with bands), histogram (the horizon's revenue), funnel (leads
entering each stage and wins, with the share reaching each), tornado (how
far median revenue moves when each driver moves by 10%, from extra runs
of at most 2,000 trials) and, where the model has a fitted response to
spend, response (each channel's leads against its spend). PNGs are 8 by
4.5 inches at 200 dpi (--plot-size, --plot-dpi).

--quarter 2027Q1 (or current, next) forecasts a fiscal quarter
(--fiscal-year-start MONTH where the year does not start in January; the
model's fiscal_year_start otherwise): what the history booked from the
quarter's start to the model's as-of date (the model file keeps a
quarter's worth of booked days), plus the simulation from then to the
quarter's end, to the nearest whole week. The QUARTER table gives the
booked, the rest and the quarter's total; --target applies to the
quarter's revenue; the fan chart starts at the quarter's first day.
--deals FILE.csv lists every open deal with its chance of a win in the
quarter, its expected value and its forecast category (--categories,
default commit=0.7,best_case=0.3, the rest pipeline), and the categories'
totals go under the table. --by rep (or channel, or a segment: an
attribute of the history with at most 20 values, such as region) splits
the quarter's wins and revenue trial by trial: each rep's open deals are
its own, and deals not yet created go to the reps in their shares of the
recent hand-offs. --quota FILE.csv (a header naming the group column and
quota) adds each group's chance of its quota and its expected attainment.

Without --model it runs the embedded sample company (a B2B SaaS firm; the
same model is in examples/sample-model.yaml).

--csv FILE also writes the results as a CSV table for spreadsheets (plain
numbers, snake_case columns; docs/OUTPUT.md); --csv - writes it to
standard output instead of the text table.

Examples:

	simulate forecast
	simulate forecast --target 800000
	simulate forecast --model model.yaml --weeks 26 --trials 50000 --json > forecast.json
	simulate forecast --model model.yaml --quarter current --target 2.5M --by rep --quota quota.csv --deals deals.csv

Exit status is 0 on success, 1 on an error, 2 on a usage error.
`,
		Run:   runForecast,
		Flags: func(fs *pflag.FlagSet) { new(forecastFlags).declare(fs) },
	}
}

type forecastFlags struct {
	runFlags
	shardFlags
	outputFlags
	quarterFlags
}

// outputFlags are the outputs of forecast and compare, which merge
// writes as well.
type outputFlags struct {
	plotFlags
	docFlags
	target float64
}

func (f *outputFlags) declare(fs *pflag.FlagSet, targetUsage string) {
	moneyVar(fs, &f.target, "target", math.NaN(), targetUsage)
	f.docFlags.declare(fs)
	f.plotFlags.declare(fs)
}

// check checks the output flags as parsed by fs.
func (f *outputFlags) check(fs *pflag.FlagSet) error {
	if err := checkTarget(fs, f.target); err != nil {
		return err
	}
	return f.plotFlags.check()
}

// outputNames are the output flags a shard may not take.
var outputNames = []string{"target", "json", "csv", "plots"}

func (f *forecastFlags) declare(fs *pflag.FlagSet) {
	f.runFlags.declare(fs)
	f.runFlags.declareRaw(fs)
	f.outputFlags.declare(fs, "revenue target (800000, 800k or 1.2M): report P(revenue >= target)")
	f.shardFlags.declare(fs)
	f.quarterFlags.declare(fs)
}

func runForecast(ctx context.Context, e *env, args []string) error {
	var f forecastFlags
	fs := pflag.NewFlagSet("forecast", pflag.ContinueOnError)
	f.declare(fs)
	if err := parse(fs, args); err != nil {
		return err
	}
	if err := f.runFlags.check(fs); err != nil {
		return err
	}
	if err := f.shardFlags.check(fs, f.trials, append(outputNames, quarterNames...)...); err != nil {
		return err
	}
	if err := f.quarterFlags.check(fs); err != nil {
		return err
	}
	if f.quarter != "" && f.trialsOut != "" {
		return usagef("--quarter's view needs the run's weekly paths and deals, which --trials-out does not keep: run it without --trials-out")
	}
	if f.quarter != "" && f.recalibration != "" {
		return usagef("--quarter sums the weekly paths, which --recalibration does not map: run it without --recalibration")
	}
	if err := distinctFiles(append(f.inputs(), file{"--quota", f.quotaFile}), []file{f.csvFlag.output(), {"--trials-out", f.trialsOut}, {"--deals", f.deals}}, &f.plotFlags); err != nil {
		return err
	}
	if err := f.outputFlags.check(fs); err != nil {
		return err
	}
	m, err := f.load()
	if err != nil {
		return err
	}
	o := f.options()
	w, err := f.quarterFlags.window(m, o)
	if err != nil {
		return err
	}
	run := *o
	total := f.shardFlags.limit(o)
	r, err := simulate(ctx, e, m, o)
	if err != nil {
		return err
	}
	rs, err := saveTrials(e, &f.runFlags, &f.shardFlags, &trials.Run{Command: "forecast"}, []*model.Result{r}, total)
	if err != nil || rs == nil {
		return err
	}
	var qv *quarterView
	if w != nil {
		qv = &quarterView{flags: &f.quarterFlags, w: w}
	}
	return f.outputFlags.forecast(ctx, e, m, rs[0], run, qv)
}

// forecast writes a forecast's outputs from r, m's result over the run o
// describes, with the quarter's view qv where it is not nil.
func (f *outputFlags) forecast(ctx context.Context, e *env, m *model.Model, r *model.Result, o model.Options, qv *quarterView) error {
	in := &report.Inputs{Model: m, Result: r, Target: f.target}
	if qv != nil {
		in.Quarter = qv.w.Path(m, r)
	}
	if f.plotFlags.dir != "" {
		var err error
		if in.Tornado, err = report.NewTornado(ctx, m, o); err != nil {
			return err
		}
	}
	if err := f.plotFlags.write(e, in); err != nil {
		return err
	}
	target := f.target
	if qv != nil {
		target = math.NaN() // the quarter's view answers for the target
	}
	doc := document.NewForecast(r, target)
	if qv != nil {
		if _, err := qv.flags.add(e, doc, m, qv.w, r, f.target); err != nil {
			return err
		}
	}
	return f.emit(e, doc)
}
