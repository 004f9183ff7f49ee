package report

import (
	"math"

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

// GridChart is a two-lever grid as a heat map: the chance of reaching the
// target in each cell, or its median revenue without one.
var GridChart = Kind{
	Name: "grid",
	Figures: func(in *Inputs) []Figure {
		g := in.Grid
		if g == nil || in.Model == nil || len(g.Cells) != len(g.As)*len(g.Bs) {
			return nil
		}
		z := make([][]float64, len(g.As))
		for i := range z {
			z[i] = make([]float64, len(g.Bs))
			for j := range z[i] {
				p := g.Cells[i*len(g.Bs)+j].Point
				z[i][j] = p.PTarget
				if math.IsNaN(in.Target) {
					z[i][j], _, _ = p.Revenue.Quantile(0.5)
				}
			}
		}
		a := plots.GridAxis{Name: g.A.Name, Unit: g.A.Unit, Values: g.As, Current: g.A.Current(in.Model)}
		b := plots.GridAxis{Name: g.B.Name, Unit: g.B.Unit, Values: g.Bs, Current: g.B.Current(in.Model)}
		return one("grid", func() (*plot.Plot, error) { return plots.Grid(a, b, in.Model.Currency, z, in.Target) })
	},
}
