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

var backtestCmd = &command{
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
lies inside the span over which the history records it. Three
probabilistic baselines are scored the same way: naive (the last horizon's
value, with Poisson noise), run-rate (the trailing 26 weeks resampled) and,
for wins and revenue, the weighted pipeline that CRM tools show (each open
deal wins with its stage's censoring-aware probability, and new deals add
wins at the trailing run-rate).
Skill is 1 - CRPS(model)/CRPS(baseline): positive when the model is better.
--plots DIR writes the charts: forecast-wins (the forecast at each origin
against what happened), coverage (the intervals' coverage by target) and
pit (the model's PIT values, pooled over targets). --ablation backtests
with every part of the estimation, each turned off alone (--without) and
all off, and prints each one's CRPS and coverage by target.

Examples:

	simulate backtest --history history.csv --stale-after 26
	simulate backtest --history history.csv --stale-after 26 --ablation
	simulate backtest --history mqls.csv --history deals.csv --map lead_id=mql_id,... --stages mql --json

Exit status is 0 on success, 1 on an error, 2 on a usage error.
`,
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
	f.estimate.declare(fs)
	f.plots.declare(fs)
}

func init() {
	backtestCmd.Run = runBacktest
	flagSets["backtest"] = func(fs *pflag.FlagSet) { new(backtestFlags).declare(fs) }
}

func runBacktest(ctx context.Context, e *env, args []string) error {
	var f backtestFlags
	fs := pflag.NewFlagSet("backtest", pflag.ContinueOnError)
	f.declare(fs)
	if err := parse(fs, args); err != nil {
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
	if f.json {
		return writeBacktestJSON(e.stdout, res)
	}
	return writeBacktestTable(e.stdout, res, f.horizon)
}

func writeBacktestTable(w io.Writer, res *backtest.Result, horizon int) error {
	fmt.Fprintf(w, "%d origins from %s to %s, forecasting %d weeks; CRPS: lower is better; skill: 1 - model/baseline\n\n",
		len(res.Origins), res.Origins[0].Format(time.DateOnly), res.Origins[len(res.Origins)-1].Format(time.DateOnly), horizon)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "target\tCRPS model\tnaive\trun-rate\tpipeline\tskill vs naive\tvs run-rate\tvs pipeline\t50% covers\t80%\t90%\tPIT mean\t")
	for _, s := range res.Summary() {
		mean := 0.0
		for _, p := range s.PITs {
			mean += p
		}
		mean /= float64(len(s.PITs))
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%.2f\t%.2f\t%.2f\t%.2f\t\n", s.Target, crps(s.CRPS[0]), crps(s.CRPS[1]), crps(s.CRPS[2]), crps(s.CRPS[3]),
			skillText(s.Skill[1]), skillText(s.Skill[2]), skillText(s.Skill[3]), s.Cover50, s.Cover80, s.Cover90, mean)
	}
	sc, skill := backtest.Overall(res.Summary())
	fmt.Fprintf(tw, "all, scaled\t%.3f\t%.3f\t%.3f\t-\t%s\t%s\t\t\t\t\t\t\n", sc[0], sc[1], sc[2], skillText(skill[1]), skillText(skill[2]))
	if err := tw.Flush(); err != nil {
		return err
	}
	fmt.Fprintln(w, "\n(pipeline: open deals × their stage's probability of winning, plus new deals at the run-rate; wins and revenue only. all, scaled: each target's CRPS over its mean outcome, averaged over the targets)")
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
			fmt.Fprintf(tw, "%s (%.2f)\t", crps(s.CRPS[0]), s.Cover80)
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
	type target struct {
		Target  string              `json:"target"`
		N       int                 `json:"n"`
		Mean    float64             `json:"mean_outcome"`
		CRPS    map[string]*float64 `json:"crps"`
		Scaled  map[string]*float64 `json:"scaled_crps"`
		Pinball map[string]*float64 `json:"pinball"`
		Skill   map[string]*float64 `json:"skill"`
		Cover50 float64             `json:"cover50"`
		Cover80 float64             `json:"cover80"`
		Cover90 float64             `json:"cover90"`
		PITs    []float64           `json:"pit"`
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
		t := target{Target: s.Target, N: s.N, Mean: s.Mean, CRPS: map[string]*float64{}, Scaled: map[string]*float64{}, Pinball: map[string]*float64{},
			Skill: map[string]*float64{}, Cover50: s.Cover50, Cover80: s.Cover80, Cover90: s.Cover90, PITs: s.PITs}
		for k, m := range backtest.Methods {
			t.CRPS[m], t.Scaled[m], t.Pinball[m] = num(s.CRPS[k]), num(s.Scaled[k]), num(s.Pinball[k])
			if k > 0 {
				t.Skill[m] = num(s.Skill[k])
			}
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
	var origins []plots.Origin
	for _, o := range res.Outcomes {
		if o.Target == "wins" {
			m := o.Scores[0]
			origins = append(origins, plots.Origin{Label: o.Origin.Format(time.DateOnly), P10: m.P10, P50: m.P50, P90: m.P90, Got: o.Actual})
		}
	}
	var targets []string
	var cover [][3]float64
	var pits []float64
	for _, s := range res.Summary() {
		targets = append(targets, s.Target)
		cover = append(cover, [3]float64{s.Cover50, s.Cover80, s.Cover90})
		pits = append(pits, s.PITs...)
	}
	return []chart{
		{"forecast-wins", func() (*plot.Plot, error) { return plots.ForecastVsActual("wins", "", origins) }},
		{"coverage", func() (*plot.Plot, error) { return plots.Coverage(targets, cover) }},
		{"pit", func() (*plot.Plot, error) { return plots.PITHistogram(pits) }},
	}
}
