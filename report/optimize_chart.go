package report

import (
	"fmt"
	"math"
	"strconv"

	"gonum.org/v1/plot"

	"github.com/funnelsim/funnelsim/document"
	"github.com/funnelsim/funnelsim/plots"
	"github.com/funnelsim/funnelsim/scenarios"
)

// Frontier is an optimizer's frontier: the objective at each weekly
// budget, at the best split found and at today's mix, with today's point
// and the chosen split marked.
var Frontier = Kind{
	Name:    "frontier",
	Caption: "What each weekly budget can reach: the best split the optimizer found at each budget (solid) against today's mix of spend scaled to it (dashed), each ±2 Monte Carlo standard errors; the square is today, the triangle the chosen split.",
	Figures: func(in *Inputs) []Figure {
		o := in.Optimum
		if o == nil || in.Model == nil || len(o.Frontier) < 2 {
			return nil
		}
		pts := make([]plots.FrontierPoint, len(o.Frontier))
		var today, chosen plots.FrontierPoint
		today.Budget, chosen.Budget = math.NaN(), math.NaN()
		for i, f := range o.Frontier {
			pts[i] = frontierPoint(f)
			if f.TodayBudget {
				today = pts[i]
			}
			if f.IsMain {
				chosen = pts[i]
			}
		}
		return one("frontier", func() (*plot.Plot, error) {
			return plots.Frontier(document.ObjectiveLabel(o), in.Model.Currency, o.Objective == scenarios.PTarget, pts, today, chosen)
		})
	},
}

func frontierPoint(f scenarios.FrontierPoint) plots.FrontierPoint {
	return plots.FrontierPoint{Budget: f.Budget, TodayMix: f.TodayMix, TodayMCSE: f.TodayMCSE, Best: f.Best, BestMCSE: f.BestMCSE}
}

// optimumTable is the optimizer's answer as the appendix shows it: per
// channel, today's weekly spend and the best split's, with what each
// brings and the revenue of one more unit of spend; then the objective
// and the mean revenue of each.
func optimumTable(o *scenarios.Optimum, currency string) Table {
	t := Table{Title: "Where the budget goes: the best split found against today's, for " + document.ObjectiveLabel(o),
		Columns: []string{"channel", "weekly spend today", "best", "wins today", "best", "revenue today", "best", "revenue per extra " + currency}}
	for i, ch := range o.Channels {
		t.Rows = append(t.Rows, []string{ch, document.Thousands(o.Today.Spend[i]), document.Thousands(o.Best.Spend[i]), strconv.FormatFloat(o.Today.Wins[i], 'f', 1, 64),
			strconv.FormatFloat(o.Best.Wins[i], 'f', 1, 64), plots.Money(o.Today.Revenue[i]), plots.Money(o.Best.Revenue[i]),
			fmt.Sprintf("%.2f ± %.2f", o.Marginal[i], o.MarginalMCSE[i])})
	}
	t.Rows = append(t.Rows, []string{document.ObjectiveLabel(o), document.ObjectiveValue(o, o.Today.Value), document.ObjectiveValue(o, o.Best.Value), "", "",
		plots.Money(o.Today.Total) + " (mean)", plots.Money(o.Best.Total) + " (mean)", ""})
	return t
}
