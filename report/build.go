package report

import (
	"context"
	"fmt"
	"math"

	"gonum.org/v1/plot"

	"github.com/funnelsim/funnelsim/document"
	"github.com/funnelsim/funnelsim/model"
	"github.com/funnelsim/funnelsim/plots"
	"github.com/funnelsim/funnelsim/scenarios"
)

// TornadoTrials caps the trials of each of the tornado's runs (two per
// driver), which matter less than the forecast's own.
const TornadoTrials = 2000

// Build gathers the report's page from in, which must hold a model and
// its forecast: the headline numbers, the charts of r that have a caption,
// a tornado of revenue's drivers (run with o, at most TornadoTrials
// trials a run), and the tables of the forecast, the funnel's rates and
// the scenarios.
func Build(ctx context.Context, in *Inputs, o model.Options, r Registry) (*Page, error) {
	m, res := in.Model, in.Result
	if m == nil || res == nil {
		return nil, fmt.Errorf("report: a model and its forecast are needed")
	}
	page := &Page{
		Title:    fmt.Sprintf("%s: the next %d weeks", m.Name, res.Weeks),
		Subtitle: fmt.Sprintf("Forecast from %s, %d trials (seed %d). Ranges are P10 to P90: eight trials in ten fall inside.", res.Start, res.Trials, res.Seed),
	}
	page.Headlines = headlines(m, res, in.Target)
	for _, f := range r.Figures(in) {
		if f.Caption == "" {
			continue // in the tables instead
		}
		if err := page.add(f.Caption, f.Draw); err != nil {
			return nil, err
		}
	}
	to := o
	to.Trials, to.Progress = min(o.Trials, TornadoTrials), nil
	base, swings, err := scenarios.Tornado(ctx, m, "revenue", 0.1, to)
	if err != nil {
		return nil, err
	}
	ps := make([]plots.Swing, len(swings))
	for i, s := range swings {
		ps[i] = plots.Swing{Driver: s.Driver, Low: s.Low, High: s.High}
	}
	caption := fmt.Sprintf("How far median revenue moves when each driver moves by 10%%, on the same %d trials a run.", to.Trials)
	if err := page.add(caption, func() (*plot.Plot, error) { return plots.Tornado("revenue", m.Currency, base, ps) }); err != nil {
		return nil, err
	}
	if err := page.tables(m, in, o.Seed); err != nil {
		return nil, err
	}
	page.Notes = append(page.Notes, res.Warnings...)
	if res.Recalibrated != "" {
		page.Notes = append(page.Notes, res.Recalibrated)
	}
	return page, nil
}

// add draws a chart onto the page.
func (p *Page) add(caption string, draw func() (*plot.Plot, error)) error {
	pl, err := draw()
	if err != nil {
		return fmt.Errorf("report: %s: %w", caption, err)
	}
	p.Charts = append(p.Charts, Chart{Caption: caption, Plot: pl})
	return nil
}

// headlines are revenue, P(target) and the median wins, SQLs, win rate
// and new leads, each with its P10 to P90.
func headlines(m *model.Model, r *model.Result, target float64) []Headline {
	rev, revBand := quantiles(r, "revenue")
	hs := []Headline{{Label: "Revenue (median, " + m.Currency + ")", Value: rev, Detail: revBand}}
	if !math.IsNaN(target) {
		p, se, _ := r.PTarget("revenue", target)
		hs = append(hs, Headline{Label: "Chance of reaching " + plots.Money(target), Value: fmt.Sprintf("%.0f%%", 100*p), Detail: fmt.Sprintf("± %.1f points (Monte Carlo)", 100*se)})
	}
	for _, metric := range []string{"wins", document.SQLMetric(m), "win_rate", m.Stages[0].MetricName()} {
		info, ok := r.Info(metric)
		if !ok {
			continue
		}
		v, band := quantiles(r, metric)
		hs = append(hs, Headline{Label: capital(info.Label) + " (median)", Value: v, Detail: band})
	}
	return hs
}

// capital is s with its first letter upper-case.
func capital(s string) string {
	if s == "" || s[0] < 'a' || s[0] > 'z' {
		return s
	}
	return string(s[0]-'a'+'A') + s[1:]
}

// quantiles formats a metric's P50 with its P10–P90: money as money,
// shares as percentages, the others whole.
func quantiles(r *model.Result, name string) (p50, band string) {
	info, _ := r.Info(name)
	v, _ := r.Metric(name)
	s := model.Summarize(name, v)
	a, _, _ := s.Quantile(0.1)
	b, _, _ := s.Quantile(0.5)
	c, _, _ := s.Quantile(0.9)
	f := func(x float64) string {
		switch {
		case math.IsNaN(x):
			return "-"
		case info.Unit == model.Money:
			return plots.Money(x)
		case info.Unit == model.Ratio:
			return fmt.Sprintf("%.1f%%", 100*x)
		}
		return fmt.Sprintf("%.0f", x)
	}
	return f(b), "P10 " + f(a) + " to P90 " + f(c)
}

// tables are the forecast's metrics, the funnel's rates (seed draws their
// intervals) and, with a comparison, the scenarios against the baseline.
func (p *Page) tables(m *model.Model, in *Inputs, seed uint64) error {
	fc := document.NewForecastTotals(in.Result, in.Target)
	t := Table{Title: "Forecast", Columns: []string{"metric", "mean", "P10", "P50", "P90"}}
	for _, row := range fc.Rows(nil) {
		t.Rows = append(t.Rows, row[:5])
	}
	p.Tables = append(p.Tables, t)
	conv, err := model.Conversions(m, 1000, seed)
	if err != nil {
		return err
	}
	ft := Table{Title: "The funnel's rates", Columns: []string{"stage", "eventual conversion", "90% interval", "median weeks in stage"}}
	for _, k := range conv {
		if k.Channel == "" {
			ft.Rows = append(ft.Rows, []string{k.Stage, fmt.Sprintf("%.1f%%", 100*k.Mean), fmt.Sprintf("%.1f%% to %.1f%%", 100*k.P5, 100*k.P95), model.FormatWeeks(k.MedianWeeks)})
		}
	}
	p.Tables = append(p.Tables, ft)
	if in.Comparison == nil {
		return nil
	}
	doc := document.NewCompare(m, in.Comparison, in.Target, false)
	st := Table{Title: "Scenarios against the baseline (paired, trial by trial)", Columns: []string{"scenario", "revenue P50", "Δ revenue (mean ± se)", "better in", "Δ wins", "Δ SQLs"}}
	wins, _ := in.Result.Info("wins")
	sql, _ := in.Result.Info(document.SQLMetric(m))
	for i := range doc.Scenarios {
		s := &doc.Scenarios[i]
		st.Rows = append(st.Rows, []string{s.Name, document.Thousands(*s.Forecast.Metrics["revenue"]["p50"]), doc.Change(s, "revenue"),
			fmt.Sprintf("%.0f%%", 100**s.Delta["revenue"].PBetter), document.Signed(s.Delta["wins"].Summary["mean"], wins), document.Signed(s.Delta[sql.Name].Summary["mean"], sql)})
		for _, w := range s.Warnings {
			p.Notes = append(p.Notes, s.Name+": "+w)
		}
	}
	p.Tables = append(p.Tables, st)
	return nil
}
