package main

import (
	"context"

	"github.com/spf13/pflag"

	"github.com/funnelsim/funnelsim/document"
	"github.com/funnelsim/funnelsim/model"
	"github.com/funnelsim/funnelsim/report"
	"github.com/funnelsim/funnelsim/trials"
)

func portfolioCommand() *command {
	return &command{
		Name:      "portfolio",
		UsageLine: "simulate portfolio --model FILE --model FILE... [--weeks N] [--trials N] [--seed N] [--workers N] [--target X] [--json] [--csv FILE] [--plots DIR] [--shard I/N --trials-out FILE.parquet]",
		Short:     "forecast several models (regions, business units) and their total",
		Long: `
Portfolio forecasts several models of one funnel (one per region or
business unit: the same stages, start and currency) together, and sums
them trial by trial into a total with its own distribution: revenue, wins
and every count and amount added up, the ratios (win rate, average deal,
costs per lead, SQL and win) worked out from the sums. Each model draws
independently of the others (the first on the run's seed, so that its
trials are those of its own forecast); a total's spread is therefore
narrower, relative to its median, than its parts'.

It prints the total's forecast as forecast does, then a row per model.
--json writes {"total": forecast, "parts": [forecast, ...]}; --csv a
forecast table per model, the model column telling them apart; --plots
DIR the total's fan, histogram and funnel. --target X adds each one's
chance of reaching X. --recalibration applies to the total.

With --shard I/N --trials-out FILE.parquet each shard runs the I-th of N
trial ranges of every model; simulate merge writes the outputs.

Examples:

	simulate portfolio --model east.yaml --model west.yaml --target 1.6M
	simulate portfolio --model east.yaml --model west.yaml --model apac.yaml --json > total.json

Exit status is 0 on success, 1 on an error, 2 on a usage error.
`,
		Run:   runPortfolio,
		Flags: func(fs *pflag.FlagSet) { new(portfolioFlags).declare(fs) },
	}
}

type portfolioFlags struct {
	runFlags
	shardFlags
	outputFlags
	models []string
}

func (f *portfolioFlags) declare(fs *pflag.FlagSet) {
	// The run flags but --model, which a portfolio repeats.
	run := pflag.NewFlagSet("run", pflag.ContinueOnError)
	f.runFlags.declare(run)
	run.VisitAll(func(fl *pflag.Flag) {
		if fl.Name != "model" {
			fs.AddFlag(fl)
		}
	})
	fs.StringArrayVar(&f.models, "model", nil, "a model file (YAML) of the portfolio; give two or more")
	f.outputFlags.declare(fs, "revenue target (800000, 800k or 1.2M): report P(revenue >= target) for the total and each model")
	f.shardFlags.declare(fs)
}

func runPortfolio(ctx context.Context, e *env, args []string) error {
	var f portfolioFlags
	fs := pflag.NewFlagSet("portfolio", pflag.ContinueOnError)
	f.declare(fs)
	if err := parse(fs, args); err != nil {
		return err
	}
	if len(f.models) < 2 {
		return usagef("give two --model files or more (a forecast of one is simulate forecast)")
	}
	if err := f.runFlags.check(fs); err != nil {
		return err
	}
	if err := f.shardFlags.check(fs, f.trials, outputNames...); err != nil {
		return err
	}
	if err := f.outputFlags.check(fs); err != nil {
		return err
	}
	inputs := []file{{"--recalibration", f.recalibration}}
	for _, p := range f.models {
		inputs = append(inputs, file{"--model", p})
	}
	if err := distinctFiles(inputs, []file{f.csvFlag.output(), {"--trials-out", f.trialsOut}}, &f.plotFlags); err != nil {
		return err
	}
	if err := f.loadRecalibration(); err != nil {
		return err
	}
	var models []*model.Model
	var files []string
	for _, p := range f.models {
		m, b, err := readModel(p)
		if err != nil {
			return err
		}
		models, files = append(models, m), append(files, string(b))
	}
	o := f.options()
	total := f.shardFlags.limit(o)
	rc := o.Recalibration
	o.Recalibration = nil
	finish := e.progress(o, "trials of the first model")
	_, parts, err := model.RunPortfolio(ctx, models, *o)
	finish()
	if err != nil {
		return err
	}
	if f.trialsOut != "" {
		run := &trials.Run{Command: "portfolio", Parts: files}
		if parts, err = saveTrials(e, &f.runFlags, &f.shardFlags, run, parts, total); err != nil || parts == nil {
			return err
		}
	}
	return f.outputFlags.portfolio(e, models[0], parts, o.Seed, rc)
}

// portfolio writes a portfolio's outputs from its parts' results: the
// total, recalibrated by rc where given, and each part.
func (f *outputFlags) portfolio(e *env, first *model.Model, parts []*model.Result, seed uint64, rc *model.Recalibration) error {
	total, err := model.PortfolioTotal(parts, seed, rc)
	if err != nil {
		return err
	}
	in := &report.Inputs{Model: first, Result: total, Parts: parts, Target: f.target}
	if err := f.plotFlags.write(e, in); err != nil {
		return err
	}
	d := document.NewPortfolio(total, parts, f.target)
	return f.emit(e, d)
}
