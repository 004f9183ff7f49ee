package report

import (
	"gonum.org/v1/plot"

	"github.com/funnelsim/funnelsim/plots"
)

// Sweep is revenue against a swept lever's value.
var Sweep = Kind{
	Name: "sweep",
	Figures: func(in *Inputs) []Figure {
		if in.Lever == nil || in.Model == nil {
			return nil
		}
		sp := make([]plots.SweepPoint, len(in.Points))
		for i, p := range in.Points {
			a, _, _ := p.Revenue.Quantile(0.1)
			b, _, _ := p.Revenue.Quantile(0.5)
			c, _, _ := p.Revenue.Quantile(0.9)
			sp[i] = plots.SweepPoint{Value: p.Value, P10: a, P50: b, P90: c}
		}
		return one("sweep", func() (*plot.Plot, error) {
			return plots.Sweep(in.Lever.Name, in.Lever.Unit, in.Model.Currency, sp, in.Target, in.Lever.Current(in.Model))
		})
	},
}
