package report

import (
	"gonum.org/v1/plot"

	"github.com/funnelsim/funnelsim/plots"
)

// Fan is revenue booked week by week, with bands.
var Fan = Kind{
	Name:    "fan",
	Caption: "Revenue booked week by week: the darker band holds half the trials, the lighter eight in ten.",
	Figures: func(in *Inputs) []Figure {
		if in.Result == nil {
			return nil
		}
		if in.Quarter != nil {
			return []Figure{{Name: "fan", Caption: "The quarter's revenue: booked to date (solid), then the forecast to the quarter's end; the darker band holds half the trials, the lighter eight in ten.",
				Draw: func() (*plot.Plot, error) { return plots.QuarterFan(in.Quarter, in.Target) }}}
		}
		return one("fan", func() (*plot.Plot, error) { return plots.Fan(in.Result, in.Target) })
	},
}

// Histogram is the horizon's revenue over the trials.
var Histogram = Kind{
	Name:    "histogram",
	Caption: "The horizon's revenue over all trials, with its P10, median and P90.",
	Figures: func(in *Inputs) []Figure {
		if in.Result == nil {
			return nil
		}
		return one("histogram", func() (*plot.Plot, error) { return plots.Histogram(in.Result, in.Target) })
	},
}

// Funnel is the leads entering each stage.
var Funnel = Kind{
	Name:    "funnel",
	Caption: "Leads entering each stage over the horizon (median); the dashed line is the hand-off from marketing to sales.",
	Figures: func(in *Inputs) []Figure {
		if in.Result == nil || in.Model == nil {
			return nil
		}
		return one("funnel", func() (*plot.Plot, error) { return plots.Funnel(in.Model, in.Result, nil, "") })
	},
}
