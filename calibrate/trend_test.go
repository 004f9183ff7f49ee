package calibrate

import (
	"math"
	"testing"

	"github.com/funnelsim/funnelsim/model/rng"
)

// TestLogTrendExact fits counts that lie on the curve exactly.
func TestLogTrendExact(t *testing.T) {
	for _, b := range []float64{-0.05, 0, 0.03} {
		x := make([]float64, 26)
		y := make([]float64, 26)
		for i := range x {
			x[i] = -float64(i)
			y[i] = 80 * math.Exp(b*x[i])
		}
		a, got, _, ok := logTrend(x, y)
		if !ok || math.Abs(got-b) > 1e-9 || math.Abs(a-math.Log(80)) > 1e-9 {
			t.Errorf("b=%v: fitted a=%v b=%v ok=%v, want a=%v", b, a, got, ok, math.Log(80))
		}
	}
}

// TestLogTrendCoverage draws negative binomial weekly counts around a
// known trend and checks that the fitted trend lies within 2 of its
// standard errors about 95% of the time: its binomial bounds over the
// replicates are 88% to 99%.
func TestLogTrendCoverage(t *testing.T) {
	const reps, weeks, b, phi = 200, 26, -0.02, 20.0
	s := rng.NewStream()
	x := make([]float64, weeks)
	y := make([]float64, weeks)
	for i := range x {
		x[i] = -float64(i)
	}
	in := 0
	for r := range reps {
		s.Reset(7, uint64(r))
		for i := range y {
			y[i] = float64(rng.NegBinomial(s, 60*math.Exp(b*x[i]), phi))
		}
		_, got, se, ok := logTrend(x, y)
		if !ok || se <= 0 {
			t.Fatalf("replicate %d: no fit", r)
		}
		if math.Abs(got-b) <= 2*se {
			in++
		}
	}
	t.Logf("within 2 SE: %d of %d", in, reps)
	if f := float64(in) / reps; f < 0.88 || f > 0.99 {
		t.Errorf("trend within 2 SE in %.3f of %d replicates, want 0.88 to 0.99", f, reps)
	}
}

// TestMannKendall checks the statistic against values worked by hand: a
// strictly rising series of 10 (S = 45, Var S = 10·9·25/18 = 125), the
// same falling, one with two pairs of ties (S = 4, Var S = (4·3·13 −
// 2·2·1·9)/18 = 20/3) and a flat one.
func TestMannKendall(t *testing.T) {
	x10 := make([]float64, 10)
	up, down := make([]float64, 10), make([]float64, 10)
	for i := range x10 {
		x10[i] = float64(i)
		up[i], down[i] = float64(i*i), float64(-i)
	}
	for _, c := range []struct {
		name string
		x, y []float64
		want float64
	}{
		{"rising", x10, up, 44 / math.Sqrt(125)},
		{"falling", x10, down, -44 / math.Sqrt(125)},
		{"ties", []float64{0, 1, 2, 3}, []float64{1, 1, 2, 2}, 3 / math.Sqrt(20.0/3)},
		{"flat", []float64{0, 1, 2, 3}, []float64{5, 5, 5, 5}, 0},
		// x counts back from the as-of date, as the arrivals' weeks do.
		{"weeks back", []float64{0, -1, -2, -3}, []float64{4, 3, 2, 1}, 5 / math.Sqrt(4*3*13/18.0)},
	} {
		if got := mannKendall(c.x, c.y); math.Abs(got-c.want) > 1e-12 {
			t.Errorf("%s: z = %.6f, want %.6f", c.name, got, c.want)
		}
	}
}
