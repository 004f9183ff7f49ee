package backtest_test

import (
	"math"
	"testing"

	"gonum.org/v1/gonum/stat/distuv"

	"github.com/funnelsim/funnelsim/backtest"
)

// TestCalibratedInBand: origins a horizon apart share no week, so the
// covered count is binomial and its chance of falling in the band is the
// binomial's own, which the simulation gives within three of its standard
// errors. Origins four weeks apart with 13-week horizons share most of
// their weeks: the count swings further, and falls in the band less
// often.
func TestCalibratedInBand(t *testing.T) {
	const trials = 20000
	for _, n := range []int{4, 16, 20} {
		lo, hi := backtest.CoverageBand(n, 0.8)
		b := distuv.Binomial{N: float64(n), P: 0.8}
		want := b.CDF(float64(hi)) - b.CDF(float64(lo-1))
		got := backtest.CalibratedInBand(n, 13, 13)
		if tol := 3 * math.Sqrt(want*(1-want)/trials); math.Abs(got-want) > tol {
			t.Errorf("n %d, origins 13 weeks apart: %.4f in band, the binomial's %.4f (tolerance %.4f)", n, got, want, tol)
		}
		overlap := backtest.CalibratedInBand(n, 4, 13)
		t.Logf("n %d: in band %.3f apart, %.3f four weeks apart (binomial %.3f)", n, got, overlap, want)
		if n > 4 && overlap > want-0.03 {
			t.Errorf("n %d, origins 4 weeks apart: %.3f in band, want clearly below the binomial's %.3f", n, overlap, want)
		}
	}
}
