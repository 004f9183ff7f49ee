package report

import (
	"math"
	"time"

	"gonum.org/v1/plot"

	"github.com/funnelsim/funnelsim/backtest"
	"github.com/funnelsim/funnelsim/plots"
)

// BacktestForecasts are, per target scored at two origins or more, the
// model's forecast at each origin against what came.
var BacktestForecasts = Kind{
	Name: "forecast-TARGET",
	Figures: func(in *Inputs) []Figure {
		if in.Backtest == nil {
			return nil
		}
		var out []Figure
		for _, t := range scoredTargets(in.Backtest) {
			unit := ""
			if t.name == "revenue" {
				unit = " (won amounts)"
			}
			out = append(out, Figure{Name: "forecast-" + t.name, Draw: func() (*plot.Plot, error) { return plots.ForecastVsActual(t.name, unit, t.origins) }})
		}
		return out
	},
}

// BacktestCoverage is how often each target's central intervals held
// what came.
var BacktestCoverage = Kind{
	Name: "coverage",
	Figures: func(in *Inputs) []Figure {
		if in.Backtest == nil {
			return nil
		}
		var targets []string
		var cover [][3]float64
		for _, s := range in.Backtest.Summary() {
			targets = append(targets, s.Target)
			m := s.Model()
			cover = append(cover, [3]float64{m.Cover50, m.Cover80, m.Cover90})
		}
		return one("coverage", func() (*plot.Plot, error) { return plots.Coverage(targets, cover) })
	},
}

// BacktestCoverageOverTime is the rolling share of targets whose 80%
// interval held what came, origin by origin: every target pooled, and
// wins and revenue alone.
var BacktestCoverageOverTime = Kind{
	Name: "coverage-over-time",
	Figures: func(in *Inputs) []Figure {
		res := in.Backtest
		if res == nil {
			return nil
		}
		labels := make([]string, len(res.Origins))
		for i, o := range res.Origins {
			labels[i] = o.Format(time.DateOnly)
		}
		var series []plots.CoverageSeries
		pooled, scored := make([]float64, len(res.Origins)), make([]float64, len(res.Origins))
		for _, t := range scoredTargets(res) {
			for i, c := range t.covered {
				if !math.IsNaN(c) {
					pooled[i] += c
					scored[i]++
				}
			}
			if t.name == "wins" || t.name == "revenue" {
				series = append(series, plots.CoverageSeries{Target: t.name, Covered: t.covered})
			}
		}
		for i := range pooled {
			pooled[i] /= scored[i] // NaN where none was scored
		}
		series = append([]plots.CoverageSeries{{Target: "every target", Covered: pooled}}, series...)
		return one("coverage-over-time", func() (*plot.Plot, error) { return plots.RollingCoverage(labels, series, 6) })
	},
}

// BacktestPIT is the histogram of the model's PIT values over every
// target and origin.
var BacktestPIT = Kind{
	Name: "pit",
	Figures: func(in *Inputs) []Figure {
		if in.Backtest == nil {
			return nil
		}
		var pits []float64
		for _, s := range in.Backtest.Summary() {
			pits = append(pits, s.Model().PITs...)
		}
		return one("pit", func() (*plot.Plot, error) { return plots.PITHistogram(pits) })
	},
}

// scoredTarget is a target's model forecasts at the origins it was scored
// at, and whether its 80% interval covered, by origin (NaN where not
// scored).
type scoredTarget struct {
	name    string
	origins []plots.Origin
	covered []float64
}

// scoredTargets are the backtest's targets scored at two origins or more.
func scoredTargets(res *backtest.Result) []scoredTarget {
	idx := map[time.Time]int{}
	for i, o := range res.Origins {
		idx[o] = i
	}
	var out []scoredTarget
	for _, target := range res.Targets {
		t := scoredTarget{name: target, covered: make([]float64, len(res.Origins))}
		for i := range t.covered {
			t.covered[i] = math.NaN()
		}
		for _, o := range res.Outcomes {
			if o.Target == target {
				m := o.Scores[backtest.Model]
				// An outcome is the horizon's total: it stands at the
				// horizon's last day, where it was known.
				end := o.Origin.AddDate(0, 0, 7*res.Horizon-1)
				t.origins = append(t.origins, plots.Origin{Label: end.Format(time.DateOnly), P10: m.P10, P50: m.P50, P90: m.P90, Got: o.Actual})
				t.covered[idx[o.Origin]] = 0
				if m.Cover80 {
					t.covered[idx[o.Origin]] = 1
				}
			}
		}
		if len(t.origins) >= 2 {
			out = append(out, t)
		}
	}
	return out
}
