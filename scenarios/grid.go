package scenarios

import (
	"context"
	"fmt"

	"github.com/funnelsim/funnelsim/model"
)

// Cell is one pair of a grid's lever values, A the first lever's and B
// the second's, with the point they give (its Value is A).
type Cell struct {
	A, B  float64
	Point Point
}

// Grid runs m at every pair of values of two levers, a at each of as and
// b at each of bs, together on the same trials (model.RunAll), so that
// cells differ by the levers, not by luck. Result i·len(bs)+j is the cell
// a = as[i], b = bs[j]; each cell's warnings are those of setting both
// levers. The grid holds MaxSweepValues cells at most.
func Grid(ctx context.Context, m *model.Model, a *Lever, as []float64, b *Lever, bs []float64, o model.Options) ([]*model.Result, [][]string, error) {
	if a.Name == b.Name {
		return nil, nil, fmt.Errorf("grid: the two levers are both %s", a.Name)
	}
	if n := len(as) * len(bs); n > MaxSweepValues {
		return nil, nil, &GridError{N: float64(n)}
	}
	var models []*model.Model
	var warnings [][]string
	for _, x := range as {
		ma, wa, err := a.set(m, x)
		if err != nil {
			return nil, nil, err
		}
		for _, y := range bs {
			mb, wb, err := b.set(ma, y)
			if err != nil {
				return nil, nil, err
			}
			mb.Name = m.Name
			models = append(models, mb)
			var w []string // nil where setting neither warns, as a sweep's
			w = append(append(w, wa...), wb...)
			warnings = append(warnings, w)
		}
	}
	o.Combine = false // the combination is a forecast's and compare's: their first model is the unchanged one
	rs, err := model.RunAll(ctx, models, o)
	if err != nil {
		return nil, nil, fmt.Errorf("grid of %s and %s: %w", a.Name, b.Name, err)
	}
	return rs, warnings, nil
}

// Cells summarises a grid's results (Grid's, or a merge's of its shards),
// in Grid's order: revenue and wins, and the chance of reaching target
// where it is not NaN.
func Cells(as, bs []float64, rs []*model.Result, warnings [][]string, target float64) []Cell {
	values := make([]float64, len(rs))
	for i := range values {
		values[i] = as[i/len(bs)]
	}
	pts := Points(values, rs, warnings, target)
	out := make([]Cell, len(pts))
	for i, p := range pts {
		out[i] = Cell{A: as[i/len(bs)], B: bs[i%len(bs)], Point: p}
	}
	return out
}
