package scenarios

import (
	"testing"

	"github.com/funnelsim/funnelsim/model"
)

// TestDeltaTies checks how trials are classified against the baseline:
// a difference within rounding of the values is a tie, not a win or a
// loss, and for a cost lower is better.
func TestDeltaTies(t *testing.T) {
	base := &model.Result{Metrics: []model.MetricInfo{{Name: "revenue"}, {Name: "cost_per_win"}},
		Values: [][]float64{{700000, 700000, 700000, 700000, 0}, {900, 900, 900, 900, 900}}}
	r := &model.Result{Metrics: base.Metrics,
		Values: [][]float64{{700000 + 1e-7, 700000.5, 699999.5, 700000, 0}, {900 - 1e-10, 899, 901, 900, 900}}}
	for _, c := range []struct {
		k             int
		better, worse float64
	}{{0, 1.0 / 5, 1.0 / 5}, {1, 1.0 / 5, 1.0 / 5}} {
		d := delta(base, r, c.k)
		if d.PBetter != c.better || d.PWorse != c.worse {
			t.Errorf("%s: p_better %v, p_worse %v; want %v and %v", d.Metric, d.PBetter, d.PWorse, c.better, c.worse)
		}
	}
}
