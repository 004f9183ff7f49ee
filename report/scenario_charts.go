package report

import (
	"fmt"
	"math"

	"gonum.org/v1/plot"

	"github.com/funnelsim/funnelsim/document"
	"github.com/funnelsim/funnelsim/model"
	"github.com/funnelsim/funnelsim/plots"
	"github.com/funnelsim/funnelsim/scenarios"
)

// ScenarioRevenue is each scenario's paired difference from the baseline
// in revenue.
var ScenarioRevenue = Kind{
	Name:    "scenarios",
	Caption: "Each scenario's revenue minus the baseline's in the same trial: the bar holds eight trials in ten.",
	Figures: func(in *Inputs) []Figure {
		if in.Comparison == nil || in.Model == nil {
			return nil
		}
		return one("scenarios", func() (*plot.Plot, error) { return scenarioDeltas(in.Model, in.Comparison, "revenue") })
	},
}

// ScenarioCounts are the scenarios' paired differences in wins and SQLs;
// the report has them in its table.
var ScenarioCounts = Kind{
	Name: "scenarios-counts",
	Figures: func(in *Inputs) []Figure {
		if in.Comparison == nil || in.Model == nil {
			return nil
		}
		return []Figure{
			{Name: "scenarios-wins", Draw: func() (*plot.Plot, error) { return scenarioDeltas(in.Model, in.Comparison, "wins") }},
			{Name: "scenarios-sql", Draw: func() (*plot.Plot, error) {
				return scenarioDeltas(in.Model, in.Comparison, document.SQLMetric(in.Model))
			}},
		}
	},
}

// ScenarioFunnel is the funnel of the scenario that moves revenue most,
// against the baseline's.
var ScenarioFunnel = Kind{
	Name:    "funnel-scenario",
	Caption: "The funnel of the scenario that moves revenue most, against the baseline.",
	Figures: func(in *Inputs) []Figure {
		c := in.Comparison
		if c == nil || in.Model == nil {
			return nil
		}
		best, bestMove := -1, -1.0
		for i, o := range c.Scenarios {
			if d, _ := o.Delta("revenue"); math.Abs(d.Summary.Mean) > bestMove {
				best, bestMove = i, math.Abs(d.Summary.Mean)
			}
		}
		if best < 0 {
			return nil
		}
		o := c.Scenarios[best]
		return one("funnel-scenario", func() (*plot.Plot, error) { return plots.Funnel(in.Model, c.Baseline, o.Result, o.Name) })
	},
}

// scenarioDeltas draws the scenarios' paired differences in metric.
func scenarioDeltas(m *model.Model, c *scenarios.Comparison, metric string) (*plot.Plot, error) {
	info, ok := c.Baseline.Info(metric)
	if !ok {
		return nil, fmt.Errorf("no metric %q", metric)
	}
	var ds []plots.Delta
	for _, o := range c.Scenarios {
		d, _ := o.Delta(metric)
		p10, _, _ := d.Summary.Quantile(0.1)
		p90, _, _ := d.Summary.Quantile(0.9)
		ds = append(ds, plots.Delta{Name: o.Name, Mean: d.Summary.Mean, P10: p10, P90: p90, PBetter: d.PBetter, PWorse: d.PWorse})
	}
	return plots.Scenarios(info, m.Currency, ds)
}
