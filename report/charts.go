package report

import (
	"gonum.org/v1/plot"

	"github.com/funnelsim/funnelsim/backtest"
	"github.com/funnelsim/funnelsim/calibrate"
	"github.com/funnelsim/funnelsim/model"
	"github.com/funnelsim/funnelsim/plots"
	"github.com/funnelsim/funnelsim/scenarios"
)

// Inputs are what the charts are drawn from. Each kind of chart draws
// from the inputs it needs and is left out where they are missing, so
// that a forecast's inputs give the forecast's charts and a report's give
// all of them.
type Inputs struct {
	Model *model.Model
	// Result is a forecast; Target its revenue target, NaN for none.
	Result *model.Result
	Target float64
	// Parts are a portfolio's parts, whose total is Result: the charts of
	// one model's own (its response to spend) are left out.
	Parts []*model.Result
	// Comparison is a scenario comparison.
	Comparison *scenarios.Comparison
	// Lever and Points are a sweep.
	Lever  *scenarios.Lever
	Points []scenarios.Point
	// Grid is a grid of two levers.
	Grid *Grid
	// Backtest is a backtest's result.
	Backtest *backtest.Result
	// History and Calibration are the history the model was calibrated on
	// and how, for the chart of the model's fit to it.
	History     *calibrate.History
	Calibration calibrate.Options
	// Optimum is a budget optimizer's answer.
	Optimum *scenarios.Optimum
	// Quarter, with a forecast of a fiscal quarter, is its revenue path:
	// the fan chart draws the quarter, booked then forecast.
	Quarter *plots.QuarterPath
	// QuarterView is the quarter's forecast, for the report's page one and
	// appendix; nil for a forecast of the model's horizon.
	QuarterView *QuarterView
	// Tornado is how far median revenue moves with each driver; the
	// report works it out where it is nil.
	Tornado *TornadoResult
}

// Grid is a grid of two levers: A at each of As and B at each of Bs, its
// cells in scenarios.Grid's order.
type Grid struct {
	A, B   *scenarios.Lever
	As, Bs []float64
	Cells  []scenarios.Cell
}

// Figure is one chart ready to draw: its file name (without extension),
// its caption in the report ("" for one the report leaves to its tables)
// and how to draw it.
type Figure struct {
	Name    string
	Caption string
	Draw    func() (*plot.Plot, error)
}

// Kind is a kind of chart: its name, the caption the report gives it (""
// keeps it out of the report) and its figures from the inputs, none where
// they lack what it needs.
type Kind struct {
	Name    string
	Caption string
	Figures func(in *Inputs) []Figure
}

// Registry is the kinds of chart a run draws, in order.
type Registry []Kind

// Charts are the kinds of chart funnelsim draws. A new kind is a file
// declaring a Kind and its test, and a line here.
var Charts = Registry{
	Fan,
	Histogram,
	Funnel,
	Response,
	Tornado,
	ScenarioRevenue,
	ScenarioCounts,
	ScenarioFunnel,
	Sweep,
	GridChart,
	Frontier,
	Calibration,
	BacktestForecasts,
	BacktestCoverage,
	BacktestCoverageOverTime,
	BacktestPIT,
}

// Figures are the figures of every kind in r that in has the inputs for,
// each with its kind's caption unless it has its own.
func (r Registry) Figures(in *Inputs) []Figure {
	var out []Figure
	for _, k := range r {
		for _, f := range k.Figures(in) {
			if f.Caption == "" {
				f.Caption = k.Caption
			}
			out = append(out, f)
		}
	}
	return out
}

// one is a single figure named for its kind.
func one(name string, draw func() (*plot.Plot, error)) []Figure {
	return []Figure{{Name: name, Draw: draw}}
}
