package rng

import (
	"math"
)

// Poisson returns a draw from the Poisson distribution with mean lambda.
//
// For lambda < 10 it inverts the CDF by sequential search (one uniform,
// monotone in lambda). Otherwise it uses Hörmann's PTRS (W. Hörmann, "The
// transformed rejection method for generating Poisson random variables",
// Insurance: Math. Econ. 12, 1993). Unlike gonum's PTRS, whose rejection test
// is k <= 0, it rejects only k < 0, so it can return 0 (METHODS.md §8).
// lambda <= 0 or NaN gives 0.
func Poisson(r *Stream, lambda float64) int {
	if !(lambda > 0) {
		return 0
	}
	if lambda < 10 {
		return poissonInversion(r, lambda)
	}
	return ptrs(r, lambda)
}

func poissonInversion(r *Stream, lambda float64) int {
	f0 := math.Exp(-lambda)
	bound := int(lambda + 12*math.Sqrt(lambda) + 20)
	for {
		u := r.Uniform()
		f := f0
		for k := 0; k <= bound; k++ {
			if u < f {
				return k
			}
			u -= f
			f *= lambda / float64(k+1)
		}
	}
}

func ptrs(r *Stream, lambda float64) int {
	slam := math.Sqrt(lambda)
	loglam := math.Log(lambda)
	b := 0.931 + 2.53*slam
	a := -0.059 + 0.02483*b
	invAlpha := 1.1239 + 1.1328/(b-3.4)
	vr := 0.9277 - 3.6224/(b-2)
	for {
		u := r.Uniform() - 0.5
		v := r.Uniform()
		us := 0.5 - math.Abs(u)
		kf := math.Floor((2*a/us+b)*u + lambda + 0.43)
		if us >= 0.07 && v <= vr {
			return int(kf)
		}
		if kf < 0 || (us < 0.013 && v > us) {
			continue
		}
		lg, _ := math.Lgamma(kf + 1)
		if math.Log(v*invAlpha/(a/(us*us)+b)) <= kf*loglam-lambda-lg {
			return int(kf)
		}
	}
}
