package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
	"text/tabwriter"

	"github.com/spf13/pflag"

	"github.com/funnelsim/funnelsim/model"
)

func forecastCommand() *command {
	return &command{
		Name:      "forecast",
		UsageLine: "simulate forecast [--model FILE] [--weeks N] [--trials N] [--seed N] [--workers N] [--target X] [--fixed-params] [--json] [--plots DIR [--plot-format png|svg|pdf]]",
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
week, with bands), histogram (the horizon's revenue) and funnel (leads
entering each stage).

Without --model it runs the embedded sample company (a B2B SaaS firm; the
same model is in examples/sample-model.yaml).

Examples:

	simulate forecast
	simulate forecast --target 800000
	simulate forecast --model model.yaml --weeks 26 --trials 50000 --json > forecast.json

Exit status is 0 on success, 1 on an error, 2 on a usage error.
`,
		Run:   runForecast,
		Flags: func(fs *pflag.FlagSet) { new(forecastFlags).declare(fs) },
	}
}

type forecastFlags struct {
	runFlags
	plotFlags
	target float64
	json   bool
}

func (f *forecastFlags) declare(fs *pflag.FlagSet) {
	f.runFlags.declare(fs)
	fs.Float64Var(&f.target, "target", math.NaN(), "revenue target: report P(revenue >= target)")
	fs.BoolVar(&f.json, "json", false, "write JSON instead of a table")
	f.plotFlags.declare(fs)
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
	if err := checkTarget(fs, f.target); err != nil {
		return err
	}
	if err := f.plotFlags.check(); err != nil {
		return err
	}
	m, err := f.load()
	if err != nil {
		return err
	}
	r, err := simulate(ctx, e, m, f.options())
	if err != nil {
		return err
	}
	out := newForecastJSON(r, f.target)
	if err := f.plotFlags.write(forecastCharts(m, r, f.target)); err != nil {
		return err
	}
	if f.json {
		enc := json.NewEncoder(e.stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(out)
	}
	return writeForecastTable(e.stdout, r, out)
}

// forecastJSON is the forecast's JSON document (DESIGN.md §6).
type forecastJSON struct {
	Model       string                 `json:"model"`
	Currency    string                 `json:"currency"`
	Start       string                 `json:"start"`
	Trials      int                    `json:"trials"`
	Weeks       int                    `json:"weeks"`
	Seed        uint64                 `json:"seed"`
	FixedParams bool                   `json:"fixed_params"`
	Metrics     map[string]summaryJSON `json:"metrics"`
	Weekly      []weekJSON             `json:"weekly"`
	Target      *float64               `json:"target,omitempty"`
	PTarget     *float64               `json:"p_target,omitempty"`
	PTargetMCSE *float64               `json:"p_target_mcse,omitempty"`
	Warnings    []string               `json:"warnings"`
	// Recalibrated says how the totals were recalibrated (--recalibration).
	Recalibrated string `json:"recalibrated,omitempty"`
}

// summaryJSON has mean, sd and p5…p95, with MCSEs; null where undefined
// (a ratio with no denominator in any trial).
type summaryJSON map[string]*float64

type weekJSON struct {
	Week    int         `json:"week"`
	Revenue summaryJSON `json:"revenue"`
	Wins    summaryJSON `json:"wins"`
}

func num(x float64) *float64 {
	if math.IsNaN(x) || math.IsInf(x, 0) {
		return nil
	}
	return &x
}

func quantileKey(p float64) string { return fmt.Sprintf("p%d", int(math.Round(100*p))) }

func summaryOf(s model.Summary) summaryJSON {
	out := summaryJSON{"n": num(float64(s.N)), "mean": num(s.Mean), "mean_mcse": num(s.MeanMCSE), "sd": num(s.SD)}
	for _, q := range s.Quantiles {
		k := quantileKey(q.P)
		out[k], out[k+"_mcse"] = num(q.Value), num(q.MCSE)
	}
	return out
}

func newForecastJSON(r *model.Result, target float64) *forecastJSON {
	out := newForecastSummary(r, target)
	for _, w := range r.WeeklySummaries() {
		out.Weekly = append(out.Weekly, weekJSON{Week: w.Week, Revenue: summaryOf(w.Revenue), Wins: summaryOf(w.Wins)})
	}
	return out
}

// newForecastSummary is newForecastJSON without the weekly summaries, for
// tables, which do not show them.
func newForecastSummary(r *model.Result, target float64) *forecastJSON {
	out := &forecastJSON{Model: r.Model, Currency: r.Currency, Start: r.Start.String(), Trials: r.Trials, Weeks: r.Weeks,
		Seed: r.Seed, FixedParams: r.FixedParams, Metrics: map[string]summaryJSON{}, Warnings: r.Warnings, Recalibrated: r.Recalibrated}
	if out.Warnings == nil {
		out.Warnings = []string{}
	}
	for _, s := range r.Summaries() {
		out.Metrics[s.Name] = summaryOf(s)
	}
	if !math.IsNaN(target) {
		p, se, _ := r.PTarget("revenue", target)
		out.Target, out.PTarget, out.PTargetMCSE = num(target), num(p), num(se)
	}
	return out
}

func writeForecastTable(w io.Writer, r *model.Result, f *forecastJSON) error {
	fmt.Fprintf(w, "%s: %d weeks from %s, %d trials, seed %d", r.Model, r.Weeks, f.Start, r.Trials, r.Seed)
	if r.FixedParams {
		fmt.Fprint(w, ", fixed parameters")
	}
	fmt.Fprintln(w)
	for _, side := range []model.Side{model.Marketing, model.Sales} {
		fmt.Fprintf(w, "\n%s\n", strings.ToUpper(side.String()))
		tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
		fmt.Fprintln(tw, "metric\tmean\tP10\tP50\tP90\t± (P50)\t")
		for _, m := range r.Metrics {
			if m.Side != side {
				continue
			}
			s := f.Metrics[m.Name]
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t\n", m.Name, format(s["mean"], m, true), format(s["p10"], m, false),
				format(s["p50"], m, false), format(s["p90"], m, false), formatSE(s["p50_mcse"]))
		}
		if err := tw.Flush(); err != nil {
			return err
		}
	}
	if f.PTarget != nil {
		fmt.Fprintf(w, "\nP(revenue >= %s) = %.3f ± %.3f (MCSE)\n", thousands(*f.Target), *f.PTarget, *f.PTargetMCSE)
	}
	for _, warn := range r.Warnings {
		fmt.Fprintf(w, "warning: %s\n", warn)
	}
	if r.Recalibrated != "" {
		fmt.Fprintf(w, "note: %s\n", r.Recalibrated)
	}
	return nil
}

// format prints money with thousands separators, counts whole (means with
// a decimal), shares with three decimals and weeks with one.
func format(x *float64, m model.MetricInfo, mean bool) string {
	switch {
	case x == nil:
		return "-"
	case m.Unit == model.Money:
		return thousands(*x)
	case m.Unit == model.Ratio:
		return fmt.Sprintf("%.3f", *x)
	case m.Unit == model.Count && !mean:
		return thousands(*x)
	}
	return fmt.Sprintf("%.1f", *x)
}

// formatSE prints a standard error to two significant digits.
func formatSE(x *float64) string {
	if x == nil {
		return "-"
	}
	if math.Abs(*x) >= 100 {
		return thousands(*x)
	}
	return strconv.FormatFloat(*x, 'g', 2, 64)
}

func thousands(x float64) string {
	s := fmt.Sprintf("%.0f", math.Abs(x))
	var b strings.Builder
	if x < 0 && s != "0" {
		b.WriteByte('-')
	}
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	return b.String()
}
