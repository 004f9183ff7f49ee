package rng

import (
	"math"
)

// Gamma returns a draw from the gamma distribution with the given shape and
// rate (mean shape/rate), by Marsaglia and Tsang's squeeze method ("A simple
// method for generating gamma variables", ACM TOMS 26, 2000). For shape < 1
// it draws Gamma(shape+1) and multiplies by U^(1/shape) (Stuart's theorem).
//
// It allocates nothing, which gonum's distuv.Gamma.Rand does not promise, and
// it is on the engine's per-trial parameter path. It panics if shape or rate
// is not positive.
func Gamma(r *Stream, shape, rate float64) float64 {
	if !(shape > 0) || !(rate > 0) {
		panic("rng: gamma shape and rate must be positive")
	}
	if math.IsInf(shape, 1) {
		return math.Inf(1)
	}
	boost := 1.0
	if shape < 1 {
		// U^(1/shape), as exp(−E/shape) with E = −log U a standard
		// exponential, drawn by ziggurat: a third of the time of
		// math.Pow, and less than exp(log U / shape).
		boost = math.Exp(-r.ExpFloat64() / shape)
		shape++
	}
	d := shape - 1.0/3
	c := 1 / math.Sqrt(9*d)
	for {
		var x, v float64
		for {
			x = r.NormFloat64()
			v = 1 + c*x
			if v > 0 {
				break
			}
		}
		v = v * v * v
		u := r.Uniform()
		x2 := x * x
		if u < 1-0.0331*x2*x2 || math.Log(u) < 0.5*x2+d*(1-v+math.Log(v)) {
			return boost * d * v / rate
		}
	}
}

// NegBinomial returns a draw from the negative binomial distribution with
// mean mu and dispersion phi (NB2: variance mu + mu²/phi), as a Poisson whose
// mean is Gamma(phi, rate phi/mu). phi = +Inf gives a Poisson draw.
func NegBinomial(r *Stream, mu, phi float64) int {
	if !(mu > 0) {
		return 0
	}
	if math.IsInf(phi, 1) {
		return Poisson(r, mu)
	}
	return Poisson(r, Gamma(r, phi, phi/mu))
}

// Multinomial distributes n trials over the categories of p (weights that
// need not sum to one) by conditional binomials, and writes the counts to
// dst, which must have len(p) elements. It returns dst.
func Multinomial(r *Stream, n int, p []float64, dst []int) []int {
	if len(dst) != len(p) {
		panic("rng: multinomial dst and p lengths differ")
	}
	rest, last := 0.0, -1
	for i, w := range p {
		if w > 0 {
			rest += w
			last = i
		}
	}
	for i, w := range p {
		if n == 0 || !(w > 0) {
			dst[i] = 0
			continue
		}
		if i == last {
			// All the remaining mass: no rounding left in rest may strand trials.
			dst[i] = n
			n = 0
			continue
		}
		k := Binomial(r, n, w/rest)
		dst[i] = k
		n -= k
		rest -= w
	}
	return dst
}
