package main

import (
	"fmt"
	"os"
	"path/filepath"

	"github.com/spf13/pflag"
	"gonum.org/v1/plot"

	"github.com/funnelsim/funnelsim/calibrate"
	"github.com/funnelsim/funnelsim/model"
	"github.com/funnelsim/funnelsim/plots"
	"github.com/funnelsim/funnelsim/scenarios"
)

// plotFlags are --plots and --plot-format.
type plotFlags struct {
	dir, format string
}

func (f *plotFlags) declare(fs *pflag.FlagSet) {
	fs.StringVar(&f.dir, "plots", "", "directory to write the charts to")
	fs.StringVar(&f.format, "plot-format", "png", "chart format: png, svg or pdf")
}

func (f *plotFlags) check() error {
	switch f.format {
	case "png", "svg", "pdf":
		return nil
	}
	return usagef("--plot-format must be png, svg or pdf (got %q)", f.format)
}

type chart struct {
	name string
	make func() (*plot.Plot, error)
}

// write draws each chart and saves it in the directory; it stops at the
// first that fails, naming it.
func (f *plotFlags) write(charts []chart) error {
	if f.dir == "" {
		return nil
	}
	if err := os.MkdirAll(f.dir, 0o755); err != nil {
		return err
	}
	for _, c := range charts {
		p, err := c.make()
		if err != nil {
			return fmt.Errorf("chart %s: %w", c.name, err)
		}
		if err := plots.Save(p, filepath.Join(f.dir, c.name+"."+f.format)); err != nil {
			return err
		}
	}
	return nil
}

func forecastCharts(m *model.Model, r *model.Result, target float64) []chart {
	return []chart{
		{"fan", func() (*plot.Plot, error) { return plots.Fan(r, target) }},
		{"histogram", func() (*plot.Plot, error) { return plots.Histogram(r, target) }},
		{"funnel", func() (*plot.Plot, error) { return plots.Funnel(m, r, nil, "") }},
	}
}

// compareCharts are the scenarios' paired differences in revenue, wins and
// SQLs, and the funnel of the scenario that moves revenue most against the
// baseline's.
func compareCharts(m *model.Model, c *scenarios.Comparison) []chart {
	deltas := func(metric string) []plots.Delta {
		var ds []plots.Delta
		for _, o := range c.Scenarios {
			d, _ := o.Delta(metric)
			p10, _, _ := d.Summary.Quantile(0.1)
			p90, _, _ := d.Summary.Quantile(0.9)
			ds = append(ds, plots.Delta{Name: o.Name, Mean: d.Summary.Mean, P10: p10, P90: p90, PBetter: d.PBetter, PWorse: d.PWorse})
		}
		return ds
	}
	scenarioDeltas := func(metric string) (*plot.Plot, error) {
		info, ok := c.Baseline.Info(metric)
		if !ok {
			return nil, fmt.Errorf("no metric %q", metric)
		}
		return plots.Scenarios(info, m.Currency, deltas(metric))
	}
	best, bestMove := -1, -1.0
	for i, o := range c.Scenarios {
		if d, _ := o.Delta("revenue"); abs(d.Summary.Mean) > bestMove {
			best, bestMove = i, abs(d.Summary.Mean)
		}
	}
	charts := []chart{
		{"scenarios", func() (*plot.Plot, error) { return scenarioDeltas("revenue") }},
		{"scenarios-wins", func() (*plot.Plot, error) { return scenarioDeltas("wins") }},
		{"scenarios-sql", func() (*plot.Plot, error) { return scenarioDeltas(sqlMetric(m)) }},
	}
	if best >= 0 {
		o := c.Scenarios[best]
		charts = append(charts, chart{"funnel-scenario", func() (*plot.Plot, error) { return plots.Funnel(m, c.Baseline, o.Result, o.Name) }})
	}
	return charts
}

func abs(x float64) float64 {
	if x < 0 {
		return -x
	}
	return x
}

func sweepCharts(lever *scenarios.Lever, currency string, pts []scenarios.Point, target float64) []chart {
	sp := make([]plots.SweepPoint, len(pts))
	for i, p := range pts {
		a, _, _ := p.Revenue.Quantile(0.1)
		b, _, _ := p.Revenue.Quantile(0.5)
		c, _, _ := p.Revenue.Quantile(0.9)
		sp[i] = plots.SweepPoint{Value: p.Value, P10: a, P50: b, P90: c}
	}
	return []chart{{"sweep", func() (*plot.Plot, error) { return plots.Sweep(lever.Name, lever.Unit, currency, sp, target) }}}
}

// calibrationChart sets the history's model-free advance by weeks in stage
// against the calibrated model's.
func calibrationChart(h *calibrate.History, o calibrate.Options, m *model.Model) chart {
	return chart{"calibration", func() (*plot.Plot, error) {
		const weeks = 26
		obs, err := calibrate.ObservedAdvance(h, o, weeks)
		if err != nil {
			return nil, err
		}
		fit, err := model.CumulativeAdvance(m, weeks)
		if err != nil {
			return nil, err
		}
		return plots.Calibration(h.Stages, obs, fit)
	}}
}
