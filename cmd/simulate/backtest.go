package main

import (
	"cmp"
	"context"
	"math"
	"runtime"
	"time"

	"github.com/spf13/pflag"

	"github.com/funnelsim/funnelsim/backtest"
	"github.com/funnelsim/funnelsim/calibrate"
	"github.com/funnelsim/funnelsim/document"
	"github.com/funnelsim/funnelsim/fiscal"
	"github.com/funnelsim/funnelsim/report"
)

func backtestCommand() *command {
	return &command{
		Name:      "backtest",
		UsageLine: "simulate backtest --history FILE... [calibrate's reading flags] [--stale-after N] [--origins N] [--every W] [--horizon W] [--trials N] [--seed N] [--json] [--csv FILE] [--plots DIR]",
		Short:     "score past forecasts against what happened, beside simple baselines",
		Long: `
Backtest goes back to rolling origins (--origins, --every weeks apart,
ending --horizon weeks before the history's last date). At each it
rebuilds the history as known then (nothing later leaks in), calibrates,
forecasts the next --horizon weeks and scores the forecast against what
the history shows happened: the CRPS (lower is better; scaled by each
target's mean outcome to average over targets), the pinball loss at the
M5 quantiles, the coverage of the central 50, 80 and 90% intervals and the
randomized PIT. A target is scored only at origins whose forecast quarter
lies inside the span over which the history records it. Five
probabilistic baselines are scored the same way, each from the target's
weekly series over that span: naive (the last quarter, times a
quarter-to-quarter change the series showed), seasonal (the same quarter
last year, times a year-on-year change; with two years of the target),
run-rate (the trailing 26 weeks resampled), ets (damped-trend exponential
smoothing with bootstrapped errors) and, for wins and revenue, the
weighted pipeline (each open lead wins with the share of leads at its
stage and weeks in it that won within the horizon in the past year, and
new leads add what a past quarter's new leads won).
Beside them is the model's forecast recalibrated on its own track record:
at each origin, a scale and shift of its totals on the log scale fitted
by CRPS to the origins whose forecast quarter had ended by then, shrunk
toward none by how few quarters they span. --save-calibration FILE writes
the map learned from every origin, which forecast, compare, sweep, goal
and report apply with --recalibration FILE. Last is the combination of
the model and the baseline whose forecasts of the ended quarters scored
best, their quantiles averaged with weights learned on those quarters
and shrunk toward the model (docs/ACCURACY.md).
Each method's CRPS, pinball loss, coverage and PIT mean are printed;
skill is the model's, 1 - CRPS(model)/CRPS(method): positive when the
model is better. Under the table, each target's strongest baseline and
the range of origins a calibrated 80% interval would cover.
--plots DIR writes the charts: forecast-TARGET for each target (the
forecast's P10-P90 and median at each origin against what happened),
coverage (the intervals' coverage by target), coverage-over-time (the
share of the last 6 origins' outcomes the 80% intervals covered, pooled
and for wins and revenue) and pit (the model's PIT values, pooled over
targets). --ablation backtests
with every part of the estimation, each turned off alone (--without) and
all off, and prints each one's CRPS and coverage by target.

--csv FILE also writes the results as a CSV table for spreadsheets (plain
numbers, snake_case columns; docs/OUTPUT.md); --csv - writes it to
standard output instead of the text table.

Examples:

	simulate backtest --history history.csv --stale-after 26
	simulate backtest --history history.csv --stale-after 26 --ablation
	simulate backtest --history history.csv --save-calibration recalibration.yaml
	simulate forecast --model model.yaml --recalibration recalibration.yaml
	simulate backtest --history mqls.csv --history deals.csv --map lead_id=mql_id,... --stages mql --json

Exit status is 0 on success, 1 on an error, 2 on a usage error.
`,
		Run:   runBacktest,
		Flags: func(fs *pflag.FlagSet) { new(backtestFlags).declare(fs) },
	}
}

type backtestFlags struct {
	history []string
	readFlags
	staleAfter int
	dealSize   float64
	origins    int
	every      int
	horizon    int
	trials     int
	seed       uint64
	workers    int
	docFlags
	ablation bool
	saveCal  string
	estimate estimateFlags
	plots    plotFlags
	// quarterAligned scores quarter-end forecasts from offsets weeks into
	// each fiscal quarter instead of rolling origins.
	quarterAligned bool
	offsets        []int
}

func (f *backtestFlags) declare(fs *pflag.FlagSet) {
	fs.StringArrayVar(&f.history, "history", nil, "history CSV file (repeat to join files on lead_id)")
	fs.StringToStringVar(&f.maps, "map", nil, "column names, as for calibrate")
	fs.StringToStringVar(&f.stageMap, "stage-map", nil, "stage names, as for calibrate")
	fs.StringVar(&f.preset, "preset", "", presetUsage())
	fs.StringVar(&f.dateFormat, "date-format", "", "date layout, as for calibrate")
	fs.Float64Var(&f.maxRejected, "max-rejected", calibrate.DefaultMaxRejected, "the largest share of history rows that may be rejected before the files are refused as read wrongly (1 for no limit)")
	fs.StringSliceVar(&f.stages, "stages", nil, "funnel stages in order, as for calibrate")
	fs.IntVar(&f.staleAfter, "stale-after", 0, "weeks open in a stage after which a lead counts as lost; 0 for never (default: chosen on the history, see help calibrate)")
	fs.Float64Var(&f.dealSize, "deal-size", 0, "amount assumed for every won deal when the history records none")
	fs.IntVar(&f.origins, "origins", 20, "how many forecast origins")
	fs.IntVar(&f.every, "every", 4, "weeks between origins")
	fs.IntVar(&f.horizon, "horizon", 13, "weeks forecast from each origin")
	fs.IntVar(&f.trials, "trials", 2000, "Monte Carlo trials per forecast")
	fs.Uint64Var(&f.seed, "seed", 1, "random seed")
	fs.IntVar(&f.workers, "workers", 0, "worker goroutines (default: all cores)")
	f.docFlags.declare(fs)
	fs.BoolVar(&f.ablation, "ablation", false, "backtest with every part of the estimation, each turned off alone, and all off; a table of CRPS and 80% coverage by target")
	fs.StringVar(&f.saveCal, "save-calibration", "", "write the recalibration learned from every origin to FILE (YAML), for forecast, compare, sweep, goal and report's --recalibration")
	f.estimate.declare(fs)
	f.plots.declare(fs)
	fs.BoolVar(&f.quarterAligned, "quarter-aligned", false, "score quarter-end forecasts (booked to date plus the rest) made --offsets weeks into each fiscal quarter, instead of rolling origins")
	fs.IntSliceVar(&f.offsets, "offsets", []int{0, 4, 8}, "with --quarter-aligned, the weeks into each quarter the forecasts are made")
}

// quarterAlignedRefuses are the rolling origins' flags, which
// --quarter-aligned does not take.
var quarterAlignedRefuses = []string{"origins", "every", "horizon", "ablation", "save-calibration", "plots"}

func runBacktest(ctx context.Context, e *env, args []string) error {
	var f backtestFlags
	fs := pflag.NewFlagSet("backtest", pflag.ContinueOnError)
	f.declare(fs)
	if err := parse(fs, args); err != nil {
		return err
	}
	var inputs []file
	for _, h := range f.history {
		inputs = append(inputs, file{"--history", h})
	}
	if err := distinctFiles(inputs, []file{{"--save-calibration", f.saveCal}, f.csvFlag.output()}, &f.plots); err != nil {
		return err
	}
	switch {
	case len(f.history) == 0:
		return usagef("--history is required")
	case f.origins < 1 || f.every < 1 || f.horizon < 1:
		return usagef("--origins, --every and --horizon must be >= 1")
	case f.trials < 100:
		return usagef("--trials must be >= 100")
	case f.staleAfter < 0:
		return usagef("--stale-after must be >= 0 weeks")
	}
	if err := f.plots.check(); err != nil {
		return err
	}
	if err := f.checkQuarterAligned(fs); err != nil {
		return err
	}
	if err := f.readFlags.check(); err != nil {
		return err
	}
	h, err := calibrate.ReadFiles(ctx, f.history, f.readOptions())
	if err != nil {
		return err
	}
	if err := h.Report.Write(e.stderr); err != nil {
		return err
	}
	co := calibrate.Options{StaleAfter: time.Duration(f.staleAfter) * week, DeriveStale: !fs.Changed("stale-after"), DealSize: f.dealSize, Names: flagNames()}
	if err := f.estimate.apply(&co); err != nil {
		return err
	}
	if f.quarterAligned {
		return f.runQuarterAligned(ctx, e, h, co)
	}
	// Two origins calibrated at once: the same answer, sooner on two
	// cores, for twice the memory of one calibration.
	bo := backtest.Options{Calibrate: co, Origins: f.origins, Every: f.every, Horizon: f.horizon, Trials: f.trials, Seed: f.seed, Workers: f.workers,
		Parallel: min(cmp.Or(f.workers, runtime.GOMAXPROCS(0)), 2)}
	var finish func()
	bo.Progress, finish = e.bar("origins")
	defer finish()
	if f.ablation {
		vs, err := backtest.Ablation(ctx, h, bo)
		if err != nil {
			return err
		}
		return document.WriteAblation(e.stdout, vs)
	}
	res, err := backtest.Run(ctx, h, bo)
	if err != nil {
		return err
	}
	if err := f.plots.write(e, &report.Inputs{Backtest: res, Target: math.NaN()}); err != nil {
		return err
	}
	if f.saveCal != "" {
		if err := res.Recalibration.WriteFile(f.saveCal); err != nil {
			return err
		}
	}
	return f.emit(e, document.NewBacktest(res, f.horizon))
}

// checkQuarterAligned checks --quarter-aligned's flags as parsed by fs.
func (f *backtestFlags) checkQuarterAligned(fs *pflag.FlagSet) error {
	if !f.quarterAligned {
		if fs.Changed("offsets") {
			return usagef("--offsets needs --quarter-aligned")
		}
		return nil
	}
	for _, name := range quarterAlignedRefuses {
		if fs.Changed(name) {
			return usagef("--quarter-aligned forecasts each quarter's end from weeks into it: --%s is for rolling origins", name)
		}
	}
	for _, k := range f.offsets {
		if k < 0 || k > 12 {
			return usagef("--offsets must be weeks into a quarter, 0 to 12 (got %d)", k)
		}
	}
	return nil
}

// runQuarterAligned backtests quarter-end forecasts on h and writes the
// results.
func (f *backtestFlags) runQuarterAligned(ctx context.Context, e *env, h *calibrate.History, co calibrate.Options) error {
	cal := fiscal.Calendar{StartMonth: time.Month(co.FiscalYearStart)}
	qo := backtest.QuarterOptions{Calibrate: co, Calendar: cal, Offsets: f.offsets, Trials: f.trials, Seed: f.seed, Workers: f.workers}
	var finish func()
	qo.Progress, finish = e.bar("origins")
	defer finish()
	res, err := backtest.RunQuarters(ctx, h, qo)
	if err != nil {
		return err
	}
	d := document.NewQuarterBacktest(res)
	return f.emit(e, d)
}
