package scenarios_test

import (
	"context"
	"reflect"
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
