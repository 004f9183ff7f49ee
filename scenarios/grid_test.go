package scenarios_test

import (
	"context"
	"fmt"
	"reflect"
	"strings"
	"testing"

	"github.com/funnelsim/funnelsim/model"
	"github.com/funnelsim/funnelsim/sample"
	"github.com/funnelsim/funnelsim/scenarios"
)

// TestGridRowsAreSweeps checks the grid's order and its levers'
// composition: each row of a grid of reps and spend:paid_search is the
// sweep of spend:paid_search on the model with reps set to the row's
// value, cell for cell, since every run uses the same trials.
func TestGridRowsAreSweeps(t *testing.T) {
	if testing.Short() {
		t.Skip("runs a grid and its rows as sweeps; make test runs it without the race detector")
	}
	m := sample.Model()
	ctx := context.Background()
	o := model.Options{Trials: 400, Weeks: 8, Seed: 3}
	reps, err := scenarios.ParseLever(m, "reps")
	if err != nil {
		t.Fatal(err)
	}
	spend, err := scenarios.ParseLever(m, "spend:paid_search")
	if err != nil {
		t.Fatal(err)
	}
	as, bs := []float64{4, 7}, []float64{0, 9000, 18000}
	rs, warnings, err := scenarios.Grid(ctx, m, reps, as, spend, bs, o)
	if err != nil {
		t.Fatal(err)
	}
	cells := scenarios.Cells(as, bs, rs, warnings, 700e3)
	if len(cells) != len(as)*len(bs) {
		t.Fatalf("%d cells", len(cells))
	}
	for i, a := range as {
		row := sample.Model()
		row.Reps.Count = int(a)
		pts, err := spend.Sweep(ctx, row, bs, 700e3, o)
		if err != nil {
			t.Fatal(err)
		}
		for j := range bs {
			c := cells[i*len(bs)+j]
			if c.A != a || c.B != bs[j] {
				t.Errorf("cell %d: at (%g, %g), want (%g, %g)", i*len(bs)+j, c.A, c.B, a, bs[j])
			}
			want := pts[j]
			want.Value = a
			if !reflect.DeepEqual(c.Point, want) {
				t.Errorf("cell (%g, %g) differs from the sweep of its row", a, bs[j])
			}
		}
	}
	if _, _, err := scenarios.Grid(ctx, m, reps, as, reps, bs, o); err == nil {
		t.Error("a grid of reps and reps ran")
	}
}

// TestSeekFromValues checks that a seek answered from a run of every value
// it could ask for (SeekValues, as a sharded goal runs them) is the seek
// itself, point for point and run for run, for targets it reaches in the
// middle of the range, at its bottom, beyond its top and not at all.
func TestSeekFromValues(t *testing.T) {
	if testing.Short() {
		t.Skip("runs four seeks and every value they could ask for; make test runs it without the race detector")
	}
	m := sample.Model()
	ctx := context.Background()
	o := model.Options{Trials: 640, Weeks: 13, Seed: 5}
	for _, c := range []struct {
		lever          string
		lo, hi, step   float64
		target, confid float64
	}{
		{"reps", 1, 12, 1, 700e3, 0.4},
		{"reps", 1, 12, 1, 100e3, 0.5},
		{"reps", 1, 12, 1, 5e6, 0.5},
		{"budget", 20000, 80000, 2500, 750e3, 0.5},
		{"reps", 1, 2, 1, 650e3, 0.6},  // reached beyond the range
		{"reps", 3, 12, 1, 700e3, 0.6}, // more reps stop helping
	} {
		l, err := scenarios.ParseLever(m, c.lever)
		if err != nil {
			t.Fatal(err)
		}
		want, err := l.Seek(ctx, m, c.lo, c.hi, c.step, c.target, c.confid, o)
		if err != nil {
			t.Fatal(err)
		}
		values, err := l.SeekValues(c.lo, c.hi, c.step)
		if err != nil {
			t.Fatal(err)
		}
		rs, warnings, err := l.Run(ctx, m, values, o)
		if err != nil {
			t.Fatal(err)
		}
		pts := scenarios.Points(values, rs, warnings, c.target)
		at := map[float64]*scenarios.Point{}
		for i := range pts {
			at[pts[i].Value] = &pts[i]
		}
		got, err := l.SeekFar(c.lo, c.hi, c.step, c.confid, func(v float64) (*scenarios.Point, error) {
			p, ok := at[v]
			if !ok {
				t.Fatalf("%s: the seek asked for %v, which SeekValues left out", c.lever, v)
			}
			return p, nil
		})
		if err != nil {
			t.Fatal(err)
		}
		if show(got) != show(want) {
			t.Errorf("%s to %g at %g: from the values %s, seeking %s", c.lever, c.target, c.confid, show(got), show(want))
		}
		answered, err := l.SeekPoints(m, c.lo, c.hi, c.step, c.confid, pts)
		if err != nil {
			t.Fatal(err)
		}
		if show(answered) != show(want) || answered.Current != want.Current {
			t.Errorf("%s to %g at %g: SeekPoints %s (current %v), seeking %s (current %v)", c.lever, c.target, c.confid, show(answered), answered.Current, show(want), want.Current)
		}
	}
	l, err := scenarios.ParseLever(m, "reps")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := l.SeekPoints(m, 1, 12, 1, 0.5, nil); err == nil || !strings.Contains(err.Error(), "no point at reps") {
		t.Errorf("a seek from no points: %v", err)
	}
}

// show prints a goal with its points, NaN as NaN, to compare two.
func show(g *scenarios.Goal) string {
	p := func(x *scenarios.Point) string {
		if x == nil {
			return "nil"
		}
		return fmt.Sprintf("%+v", *x)
	}
	return fmt.Sprintf("reached %v, value %v, %d runs, at %s, below %s, extended %v, far %s, flat %v, best %s", g.Reached, g.Value, g.Evals, p(g.At), p(g.Below), g.Extended, p(g.Far), g.Flat, p(g.Best))
}
