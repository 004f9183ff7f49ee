package main

import (
	"bytes"
	"context"
	"fmt"
	"math"

	"github.com/spf13/pflag"
	"gonum.org/v1/plot"

	"github.com/funnelsim/funnelsim/model"
	"github.com/funnelsim/funnelsim/plots"
	"github.com/funnelsim/funnelsim/report"
	"github.com/funnelsim/funnelsim/scenarios"
)

func reportCommand() *command {
	return &command{
		Name:      "report",
		UsageLine: "simulate report -o report.html [--model FILE] [--scenarios FILE [--history FILE...]] [--target X] [--weeks N] [--trials N] [--seed N] [--workers N]",
		Short:     "write the one-page meeting report (HTML)",
		Long: `
Report forecasts the model (the embedded sample company without --model)
and writes one self-contained HTML page: the headline numbers, the charts
(revenue week by week, the horizon's revenue, the funnel) and the tables
(the forecast, the funnel's conversion and weeks in stage). With
--scenarios it adds the comparison of the scenarios with the baseline, on
common random numbers. The page has its charts inline (SVG), loads nothing
from anywhere and prints on A4 or letter.

Examples:

	simulate report --target 800000 -o report.html
	simulate report --model model.yaml --scenarios plans.yaml --history leads.csv -o report.html

Exit status is 0 on success, 1 on an error, 2 on a usage error.
`,
		Run:   runReport,
		Flags: func(fs *pflag.FlagSet) { new(reportFlags).declare(fs) },
	}
}

type reportFlags struct {
	compareFlags
	out string
}

func (f *reportFlags) declare(fs *pflag.FlagSet) {
	f.compareFlags.declare(fs)
	fs.StringVarP(&f.out, "out", "o", "", "the HTML file to write (- for standard output)")
}

func runReport(ctx context.Context, e *env, args []string) error {
	var f reportFlags
	fs := pflag.NewFlagSet("report", pflag.ContinueOnError)
	f.declare(fs)
	if err := parse(fs, args); err != nil {
		return err
	}
	if f.out == "" {
		return usagef("-o (the HTML file to write) is required")
	}
	inputs := []file{{"--model", f.model}, {"--scenarios", f.scenarios}, {"--recalibration", f.recalibration}}
	for _, h := range f.history {
		inputs = append(inputs, file{"--history", h})
	}
	if err := distinctFiles(inputs, []file{{"-o", f.out}}); err != nil {
		return err
	}
	if err := f.runFlags.check(fs); err != nil {
		return err
	}
	if err := checkTarget(fs, f.target); err != nil {
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
	var c *scenarios.Comparison
	if f.scenarios != "" {
		file, err := scenarios.ReadFile(f.scenarios)
		if err != nil {
			return err
		}
		ev, err := f.evidence()
		if err != nil {
			return err
		}
		if c, err = compareScenarios(ctx, e, m, file, f.options(), ev); err != nil {
			return err
		}
	}
	page, err := reportPage(ctx, m, r, c, f.target, f.options())
	if err != nil {
		return err
	}
	b, err := renderReport(page)
	if err != nil {
		return err
	}
	return e.writeOut(f.out, b)
}

// renderReport is the page's HTML.
func renderReport(page *report.Page) ([]byte, error) {
	var buf bytes.Buffer
	if err := report.Write(&buf, page); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

func writeReport(path string, page *report.Page) error {
	b, err := renderReport(page)
	if err != nil {
		return err
	}
	return model.WriteFileAtomic(path, b)
}

// quantiles formats a metric's P50 with its P10–P90.
func quantiles(r *model.Result, name string, money bool) (p50, band string) {
	v, _ := r.Metric(name)
	s := model.Summarize(name, v)
	a, _, _ := s.Quantile(0.1)
	b, _, _ := s.Quantile(0.5)
	c, _, _ := s.Quantile(0.9)
	f := func(x float64) string {
		switch {
		case math.IsNaN(x):
			return "-"
		case money:
			return plots.Money(x)
		case x < 1 && x > 0:
			return fmt.Sprintf("%.1f%%", 100*x)
		}
		return fmt.Sprintf("%.0f", x)
	}
	return f(b), "P10 " + f(a) + " to P90 " + f(c)
}

// tornadoTrials caps the trials of each of the tornado's runs (two per
// driver), which matter less than the forecast's own.
const tornadoTrials = 2000

// reportPage gathers the report's numbers, charts and tables.
func reportPage(ctx context.Context, m *model.Model, r *model.Result, c *scenarios.Comparison, target float64, o *model.Options, extra ...chart) (*report.Page, error) {
	page := &report.Page{
		Title:    fmt.Sprintf("%s: the next %d weeks", m.Name, r.Weeks),
		Subtitle: fmt.Sprintf("Forecast from %s, %d trials (seed %d). Ranges are P10 to P90: eight trials in ten fall inside.", r.Start, r.Trials, r.Seed),
	}
	rev, revBand := quantiles(r, "revenue", true)
	page.Headlines = append(page.Headlines, report.Headline{Label: "Revenue (median, " + m.Currency + ")", Value: rev, Detail: revBand})
	if !math.IsNaN(target) {
		p, se, _ := r.PTarget("revenue", target)
		page.Headlines = append(page.Headlines, report.Headline{Label: "Chance of reaching " + plots.Money(target), Value: fmt.Sprintf("%.0f%%", 100*p), Detail: fmt.Sprintf("± %.1f points (Monte Carlo)", 100*se)})
	}
	for _, h := range []struct{ label, metric string }{{"Wins", "wins"}, {"SQLs", "sql"}, {"Win rate", "win_rate"}, {"New leads", m.Stages[0].MetricName()}} {
		if _, ok := r.Metric(h.metric); !ok {
			continue
		}
		v, band := quantiles(r, h.metric, false)
		page.Headlines = append(page.Headlines, report.Headline{Label: h.label + " (median)", Value: v, Detail: band})
	}
	add := func(caption string, make func() (*plot.Plot, error)) error {
		p, err := make()
		if err != nil {
			return fmt.Errorf("report: %s: %w", caption, err)
		}
		page.Charts = append(page.Charts, report.Chart{Caption: caption, Plot: p})
		return nil
	}
	captions := map[string]string{
		"fan":             "Revenue booked week by week: the darker band holds half the trials, the lighter eight in ten.",
		"histogram":       "The horizon's revenue over all trials, with its P10, median and P90.",
		"funnel":          "Leads entering each stage over the horizon (median); the dashed line is the hand-off from marketing to sales.",
		"scenarios":       "Each scenario's revenue minus the baseline's in the same trial: the bar holds eight trials in ten.",
		"funnel-scenario": "The funnel of the scenario that moves revenue most, against the baseline.",
		"calibration":     "How well the model fits its history: per stage, the share of entering leads that advanced by weeks in stage, as the history shows it without any model (points) and as the model has it (lines).",
	}
	charts := forecastCharts(m, r, target)
	if c != nil {
		charts = append(charts, compareCharts(m, c)...)
	}
	charts = append(charts, extra...)
	for _, ch := range charts {
		if captions[ch.name] == "" {
			continue // in the tables instead
		}
		if err := add(captions[ch.name], ch.make); err != nil {
			return nil, err
		}
	}
	to := *o
	to.Trials, to.Progress = min(o.Trials, tornadoTrials), nil
	base, swings, err := scenarios.Tornado(ctx, m, "revenue", 0.1, to)
	if err != nil {
		return nil, err
	}
	ps := make([]plots.Swing, len(swings))
	for i, s := range swings {
		ps[i] = plots.Swing{Driver: s.Driver, Low: s.Low, High: s.High}
	}
	caption := fmt.Sprintf("How far median revenue moves when each driver moves by 10%%, on the same %d trials a run.", to.Trials)
	if err := add(caption, func() (*plot.Plot, error) { return plots.Tornado("revenue", m.Currency, base, ps) }); err != nil {
		return nil, err
	}
	fc := newForecastJSON(r, target)
	t := report.Table{Title: "Forecast", Columns: []string{"metric", "mean", "P10", "P50", "P90"}}
	for _, mi := range r.Metrics {
		s := fc.Metrics[mi.Name]
		t.Rows = append(t.Rows, []string{mi.Name, format(s["mean"], mi, true), format(s["p10"], mi, false), format(s["p50"], mi, false), format(s["p90"], mi, false)})
	}
	page.Tables = append(page.Tables, t)
	conv, err := model.Conversions(m, 1000, o.Seed)
	if err != nil {
		return nil, err
	}
	ft := report.Table{Title: "The funnel's rates", Columns: []string{"stage", "eventual conversion", "90% interval", "median weeks in stage"}}
	for _, k := range conv {
		if k.Channel == "" {
			ft.Rows = append(ft.Rows, []string{k.Stage, fmt.Sprintf("%.1f%%", 100*k.Mean), fmt.Sprintf("%.1f%% to %.1f%%", 100*k.P5, 100*k.P95), model.FormatWeeks(k.MedianWeeks)})
		}
	}
	page.Tables = append(page.Tables, ft)
	if c != nil {
		doc := newCompareJSON(c, target, true)
		st := report.Table{Title: "Scenarios against the baseline (paired, trial by trial)", Columns: []string{"scenario", "revenue P50", "Δ revenue (mean ± se)", "better in", "Δ wins", "Δ SQLs"}}
		for _, s := range doc.Scenarios {
			d := s.Delta
			st.Rows = append(st.Rows, []string{s.Name, thousands(*s.Forecast.Metrics["revenue"]["p50"]),
				signed(d["revenue"].summaryJSON["mean"], "revenue") + " ± " + plainSE(d["revenue"].PairedSE, "revenue"),
				fmt.Sprintf("%.0f%%", 100**d["revenue"].PBetter), signed(d["wins"].summaryJSON["mean"], "wins"), signed(d["sql"].summaryJSON["mean"], "sql")})
			for _, w := range s.Warnings {
				page.Notes = append(page.Notes, s.Name+": "+w)
			}
		}
		page.Tables = append(page.Tables, st)
	}
	page.Notes = append(page.Notes, r.Warnings...)
	if r.Recalibrated != "" {
		page.Notes = append(page.Notes, r.Recalibrated)
	}
	return page, nil
}
