package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"text/tabwriter"
	"time"

	"github.com/spf13/pflag"
	"gonum.org/v1/plot"

	"github.com/funnelsim/funnelsim/backtest"
	"github.com/funnelsim/funnelsim/calibrate"
	"github.com/funnelsim/funnelsim/plots"
)

func backtestCommand() *command {
	return &command{
		Name:      "backtest",
		UsageLine: "simulate backtest --history FILE... [calibrate's reading flags] [--stale-after N] [--origins N] [--every W] [--horizon W] [--trials N] [--seed N] [--json] [--plots DIR]",
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
and report apply with --recalibration FILE.
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
	history    []string
	maps       map[string]string
	stageMap   map[string]string
	dateFormat string
	stages     []string
	staleAfter int
	dealSize   float64
	origins    int
	every      int
	horizon    int
	trials     int
	seed       uint64
	workers    int
	json       bool
	ablation   bool
	saveCal    string
	estimate   estimateFlags
	plots      plotFlags
}

func (f *backtestFlags) declare(fs *pflag.FlagSet) {
	fs.StringArrayVar(&f.history, "history", nil, "history CSV file (repeat to join files on lead_id)")
	fs.StringToStringVar(&f.maps, "map", nil, "column names, as for calibrate")
	fs.StringToStringVar(&f.stageMap, "stage-map", nil, "stage names, as for calibrate")
	fs.StringVar(&f.dateFormat, "date-format", "", "date layout, as for calibrate")
	fs.StringSliceVar(&f.stages, "stages", nil, "funnel stages in order, as for calibrate")
	fs.IntVar(&f.staleAfter, "stale-after", 0, "weeks open in a stage after which a lead counts as lost; 0 for never (default: the 95th percentile of the stays that ended)")
	fs.Float64Var(&f.dealSize, "deal-size", 0, "amount assumed for every won deal when the history records none")
	fs.IntVar(&f.origins, "origins", 20, "how many forecast origins")
	fs.IntVar(&f.every, "every", 4, "weeks between origins")
	fs.IntVar(&f.horizon, "horizon", 13, "weeks forecast from each origin")
	fs.IntVar(&f.trials, "trials", 2000, "Monte Carlo trials per forecast")
	fs.Uint64Var(&f.seed, "seed", 1, "random seed")
	fs.IntVar(&f.workers, "workers", 0, "worker goroutines (default: all cores)")
	fs.BoolVar(&f.json, "json", false, "write JSON instead of a table")
	fs.BoolVar(&f.ablation, "ablation", false, "backtest with every part of the estimation, each turned off alone, and all off; a table of CRPS and 80% coverage by target")
	fs.StringVar(&f.saveCal, "save-calibration", "", "write the recalibration learned from every origin to FILE (YAML), for forecast, compare, sweep, goal and report's --recalibration")
	f.estimate.declare(fs)
	f.plots.declare(fs)
}

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
	if err := distinctFiles(inputs, []file{{"--save-calibration", f.saveCal}}); err != nil {
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
	h, err := calibrate.ReadFiles(f.history, calibrate.ReadOptions{Stages: f.stages, Map: f.maps, StageMap: f.stageMap, DateFormat: f.dateFormat})
	if err != nil {
		return err
	}
	if err := h.Report.Write(e.stderr); err != nil {
		return err
	}
	co := calibrate.Options{StaleAfter: time.Duration(f.staleAfter) * week, DeriveStale: !fs.Changed("stale-after"), DealSize: f.dealSize}
	if err := f.estimate.apply(&co); err != nil {
		return err
	}
	bo := backtest.Options{Calibrate: co, Origins: f.origins, Every: f.every, Horizon: f.horizon, Trials: f.trials, Seed: f.seed, Workers: f.workers}
	if f.ablation {
		vs, err := backtest.Ablation(ctx, h, bo)
		if err != nil {
			return err
		}
		return writeAblation(e.stdout, vs)
	}
	res, err := backtest.Run(ctx, h, bo)
	if err != nil {
		return err
	}
	if err := f.plots.write(backtestCharts(res)); err != nil {
		return err
	}
	if f.saveCal != "" {
		if err := res.Recalibration.WriteFile(f.saveCal); err != nil {
			return err
		}
	}
	if f.json {
		return writeBacktestJSON(e.stdout, res)
	}
	return writeBacktestTable(e.stdout, res, f.horizon)
}

func writeBacktestTable(w io.Writer, res *backtest.Result, horizon int) error {
	fmt.Fprintf(w, "%d origins from %s to %s, forecasting %d weeks; CRPS and pinball loss: lower is better; skill: the model's, 1 - CRPS(model)/CRPS(method)\n\n",
		len(res.Origins), res.Origins[0].Format(time.DateOnly), res.Origins[len(res.Origins)-1].Format(time.DateOnly), horizon)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "target\tmethod\tn\tCRPS\tpinball\tmodel's skill\t50% covers\t80%\t90%\tPIT mean\t")
	sums := res.Summary()
	for _, s := range sums {
		for k, m := range s.Methods {
			name := ""
			if k == 0 {
				name = s.Target
			}
			if m.N == 0 {
				fmt.Fprintf(tw, "%s\t%s\t0\t-\t-\t-\t-\t-\t-\t-\t\n", name, m.Method)
				continue
			}
			skill := skillText(m.Skill)
			if k == 0 {
				skill = ""
			}
			fmt.Fprintf(tw, "%s\t%s\t%d\t%s\t%s\t%s\t%.2f\t%.2f\t%.2f\t%.2f\t\n", name, m.Method, m.N, crps(m.CRPS), crps(m.Pinball), skill, m.Cover50, m.Cover80, m.Cover90, m.PITMean)
		}
	}
	sc, skill := backtest.Overall(sums)
	fmt.Fprintf(tw, "all, scaled\tmodel\t\t%.3f\t\t\t\t\t\t\t\n", sc[0])
	for k := 1; k < len(backtest.Methods); k++ {
		if !math.IsNaN(sc[k]) {
			fmt.Fprintf(tw, "\t%s\t\t%.3f\t\t%s\t\t\t\t\t\n", backtest.Methods[k], sc[k], skillText(skill[k]))
		}
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	fmt.Fprintln(w, "\n(naive: the last quarter times a quarter-to-quarter change the history showed; seasonal: the same quarter last year times a year-on-year change, where two years are recorded; run-rate: trailing weeks resampled; ets: damped-trend exponential smoothing of the weekly series; pipeline: each open lead's chance of winning within the horizon from its stage and weeks in it, plus new leads' wins, for wins and revenue. all, scaled: each target's CRPS over its mean outcome, averaged over the targets the method forecasts at every origin, and the model's skill over the same targets)")
	fmt.Fprintln(w)
	for _, s := range sums {
		m := s.Model()
		lo, hi := backtest.CoverageBand(m.N, 0.8)
		best := "no baseline"
		if s.Best > 0 {
			best = fmt.Sprintf("best baseline %s (model's skill %s)", s.Methods[s.Best].Method, skillText(s.Methods[s.Best].Skill))
		}
		fmt.Fprintf(w, "%s: %s; the model's 80%% intervals cover %.0f of %d (calibrated ones would cover %d to %d, 9 times in 10)\n", s.Target, best, m.Cover80*float64(m.N), m.N, lo, hi)
	}
	for _, n := range res.Notes {
		fmt.Fprintf(w, "note: %s\n", n)
	}
	return nil
}

// writeAblation prints, per target, each variant's CRPS and the coverage
// of its 80% intervals.
func writeAblation(w io.Writer, vs []backtest.Variant) error {
	fmt.Fprintln(w, "model's CRPS (80% interval coverage) by target, with every part of the estimation, each turned off alone, and all off")
	fmt.Fprintln(w)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprint(tw, "\t")
	for _, s := range vs[0].Summary {
		fmt.Fprintf(tw, "%s\t", s.Target)
	}
	fmt.Fprintln(tw)
	for _, v := range vs {
		fmt.Fprintf(tw, "%s\t", v.Name)
		for _, s := range v.Summary {
			fmt.Fprintf(tw, "%s (%.2f)\t", crps(s.Model().CRPS), s.Model().Cover80)
		}
		fmt.Fprintln(tw)
	}
	return tw.Flush()
}

func skillText(x float64) string {
	if math.IsNaN(x) || math.IsInf(x, 0) {
		return "-"
	}
	return fmt.Sprintf("%+.2f", x)
}

func crps(x float64) string {
	if math.IsNaN(x) {
		return "-"
	}
	if math.Abs(x) >= 1000 {
		return thousands(x)
	}
	return fmt.Sprintf("%.2f", x)
}

func writeBacktestJSON(w io.Writer, res *backtest.Result) error {
	type outcome struct {
		Origin string                    `json:"origin"`
		Target string                    `json:"target"`
		Actual float64                   `json:"actual"`
		Scores map[string]backtest.Score `json:"scores"`
	}
	type method struct {
		Method  string    `json:"method"`
		N       int       `json:"n"`
		CRPS    *float64  `json:"crps"`
		Scaled  *float64  `json:"scaled_crps"`
		Pinball *float64  `json:"pinball"`
		Skill   *float64  `json:"model_skill,omitempty"`
		Cover50 *float64  `json:"cover50"`
		Cover80 *float64  `json:"cover80"`
		Cover90 *float64  `json:"cover90"`
		PITMean *float64  `json:"pit_mean"`
		PITs    []float64 `json:"pit"`
	}
	type target struct {
		Target       string   `json:"target"`
		N            int      `json:"n"`
		Mean         float64  `json:"mean_outcome"`
		BestBaseline string   `json:"best_baseline,omitempty"`
		Cover80Band  [2]int   `json:"cover80_band"`
		Methods      []method `json:"methods"`
	}
	doc := struct {
		Targets  []target  `json:"targets"`
		Outcomes []outcome `json:"outcomes"`
		Notes    []string  `json:"notes"`
	}{Notes: res.Notes}
	if doc.Notes == nil {
		doc.Notes = []string{}
	}
	for _, s := range res.Summary() {
		lo, hi := backtest.CoverageBand(s.N, 0.8)
		t := target{Target: s.Target, N: s.N, Mean: s.Mean, Cover80Band: [2]int{lo, hi}}
		if s.Best > 0 {
			t.BestBaseline = backtest.Methods[s.Best]
		}
		for k, m := range s.Methods {
			x := method{Method: m.Method, N: m.N, CRPS: num(m.CRPS), Scaled: num(m.Scaled), Pinball: num(m.Pinball),
				Cover50: num(m.Cover50), Cover80: num(m.Cover80), Cover90: num(m.Cover90), PITMean: num(m.PITMean), PITs: m.PITs}
			if k > 0 {
				x.Skill = num(m.Skill)
			}
			if x.PITs == nil {
				x.PITs = []float64{}
			}
			t.Methods = append(t.Methods, x)
		}
		doc.Targets = append(doc.Targets, t)
	}
	for _, o := range res.Outcomes {
		x := outcome{Origin: o.Origin.Format(time.DateOnly), Target: o.Target, Actual: o.Actual, Scores: map[string]backtest.Score{}}
		for k, m := range backtest.Methods {
			if !math.IsNaN(o.Scores[k].CRPS) { // a method that does not forecast this target
				x.Scores[m] = o.Scores[k]
			}
		}
		doc.Outcomes = append(doc.Outcomes, x)
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(doc)
}

func backtestCharts(res *backtest.Result) []chart {
	var charts []chart
	idx := map[time.Time]int{}
	labels := make([]string, len(res.Origins))
	for i, o := range res.Origins {
		idx[o], labels[i] = i, o.Format(time.DateOnly)
	}
	var series []plots.CoverageSeries
	pooled, scored := make([]float64, len(res.Origins)), make([]float64, len(res.Origins))
	for _, target := range res.Targets {
		var origins []plots.Origin
		covered := make([]float64, len(res.Origins))
		for i := range covered {
			covered[i] = math.NaN()
		}
		for _, o := range res.Outcomes {
			if o.Target == target {
				m := o.Scores[0]
				origins = append(origins, plots.Origin{Label: o.Origin.Format(time.DateOnly), P10: m.P10, P50: m.P50, P90: m.P90, Got: o.Actual})
				covered[idx[o.Origin]] = b2f(m.Cover80)
			}
		}
		if len(origins) < 2 {
			continue // too few scored origins for a chart
		}
		unit := ""
		if target == "revenue" {
			unit = " (won amounts)"
		}
		target := target
		charts = append(charts, chart{"forecast-" + target, func() (*plot.Plot, error) { return plots.ForecastVsActual(target, unit, origins) }})
		for i, c := range covered {
			if !math.IsNaN(c) {
				pooled[i] += c
				scored[i]++
			}
		}
		if target == "wins" || target == "revenue" {
			series = append(series, plots.CoverageSeries{Target: target, Covered: covered})
		}
	}
	// Every target pooled, origin by origin: the share of its targets
	// covered.
	for i := range pooled {
		pooled[i] /= scored[i] // NaN where none was scored
	}
	series = append([]plots.CoverageSeries{{Target: "every target", Covered: pooled}}, series...)
	var targets []string
	var cover [][3]float64
	var pits []float64
	for _, s := range res.Summary() {
		targets = append(targets, s.Target)
		m := s.Model()
		cover = append(cover, [3]float64{m.Cover50, m.Cover80, m.Cover90})
		pits = append(pits, m.PITs...)
	}
	return append(charts,
		chart{"coverage", func() (*plot.Plot, error) { return plots.Coverage(targets, cover) }},
		chart{"coverage-over-time", func() (*plot.Plot, error) { return plots.RollingCoverage(labels, series, 6) }},
		chart{"pit", func() (*plot.Plot, error) { return plots.PITHistogram(pits) }},
	)
}

func b2f(b bool) float64 {
	if b {
		return 1
	}
	return 0
}
