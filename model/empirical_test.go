package model

import (
	"math"
	"testing"

	"gonum.org/v1/gonum/stat"

	"github.com/funnelsim/funnelsim/model/rng"
)

// TestBayesianBootstrap: the mean amount under a trial's weights is the
// observed mean on average, with variance σ²/(n+1) (σ² the amounts'
// variance about their mean, n their number), as Dirichlet(1, …, 1)
// weights give; ties are grouped without changing either. The variance's
// tolerance is 4 standard errors of a sample variance of near-normal
// means, √(2/(N−1)) relative.
func TestBayesianBootstrap(t *testing.T) {
	amounts := []float64{100, 100, 250, 400, 400, 400, 900, 1200, 5000, 150, 150, 700}
	e := newEmpirical(amounts, 0)
	if len(e.vals) != 8 {
		t.Fatalf("%d distinct values, want 8", len(e.vals))
	}
	n := float64(len(amounts))
	mu, v := stat.MeanVariance(amounts, nil)
	v *= (n - 1) / n
	st := rng.NewStream()
	const N = 20000
	means := make([]float64, N)
	var cum []float64
	for i := range means {
		st.Reset(3, uint64(i))
		cum = e.weights(st, false, cum)
		means[i] = e.mean(cum, nil, nil)
	}
	m, s2 := stat.MeanVariance(means, nil)
	if se := math.Sqrt(s2 / N); math.Abs(m-mu) > 4*se {
		t.Errorf("mean of the means %.2f, want %.2f ± %.2f", m, mu, 4*se)
	}
	want := v / (n + 1)
	if tol := 4 * math.Sqrt(2.0/(N-1)) * want; math.Abs(s2-want) > tol {
		t.Errorf("variance of the means %.1f, want %.1f ± %.1f", s2, want, tol)
	}
	// Fixed parameters weigh each amount once: the observed mean.
	if got := e.mean(e.weights(st, true, cum), nil, nil); math.Abs(got-mu) > 1e-9*mu {
		t.Errorf("fixed weights give mean %v, want %v", got, mu)
	}
	// Amounts drawn by inversion hit each value with its weight.
	cum = e.weights(st, true, cum)
	if got := e.at(cum, 0.999999, nil, nil); got != 5000 {
		t.Errorf("at(0.999999) = %v, want the largest amount", got)
	}
	if got := e.at(cum, 0, nil, nil); got != 100 {
		t.Errorf("at(0) = %v, want the smallest amount", got)
	}
}
