package report

import (
	"gonum.org/v1/plot"

	"github.com/funnelsim/funnelsim/calibrate"
	"github.com/funnelsim/funnelsim/model"
	"github.com/funnelsim/funnelsim/plots"
)

// Calibration sets the history's model-free advance by weeks in stage
// against the calibrated model's.
var Calibration = Kind{
	Name:    "calibration",
	Caption: "How well the model fits its history: per stage, the share of entering leads that advanced by weeks in stage, as the history shows it without any model (points) and as the model has it (lines).",
	Figures: func(in *Inputs) []Figure {
		if in.History == nil || in.Model == nil {
			return nil
		}
		return one("calibration", func() (*plot.Plot, error) {
			const weeks = 26
			obs, err := calibrate.ObservedAdvance(in.History, in.Calibration, weeks)
			if err != nil {
				return nil, err
			}
			fit, err := model.CumulativeAdvance(in.Model, weeks)
			if err != nil {
				return nil, err
			}
			return plots.Calibration(in.History.Stages, obs, fit)
		})
	},
}
