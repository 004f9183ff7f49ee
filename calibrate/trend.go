package calibrate

import "math"

// logTrend fits the log-linear mean μ(x) = exp(a + b·x) to counts y at
// weeks x by Poisson maximum likelihood (Newton's method on two
// parameters), the form of the model's arrival trend. The standard error
// of b is the quasi-Poisson one: the Fisher information scaled by the
// Pearson dispersion, so that overdispersed counts widen it. ok is false
// when the counts are all zero.
func logTrend(x, y []float64) (a, b, seB float64, ok bool) {
	var sum float64
	for _, v := range y {
		sum += v
	}
	n := float64(len(y))
	if sum == 0 || len(y) < 3 {
		return 0, 0, 0, false
	}
	a = math.Log(sum / n)
	var h00, h01, h11 float64
	for range 50 {
		var g0, g1 float64
		h00, h01, h11 = 0, 0, 0
		for i, xi := range x {
			mu := math.Exp(a + b*xi)
			r := y[i] - mu
			g0 += r
			g1 += r * xi
			h00 += mu
			h01 += mu * xi
			h11 += mu * xi * xi
		}
		det := h00*h11 - h01*h01
		if det <= 0 {
			return a, 0, 0, false
		}
		da := (h11*g0 - h01*g1) / det
		db := (h00*g1 - h01*g0) / det
		// Damp steps that would overflow the exponent.
		if s := math.Max(math.Abs(da), math.Abs(db)*maxAbs(x)); s > 1 {
			da, db = da/s, db/s
		}
		a, b = a+da, b+db
		if math.Abs(da) < 1e-10 && math.Abs(db) < 1e-12 {
			break
		}
	}
	chi2 := 0.0
	for i, xi := range x {
		mu := math.Exp(a + b*xi)
		chi2 += (y[i] - mu) * (y[i] - mu) / mu
	}
	phi := math.Max(1, chi2/math.Max(n-2, 1))
	det := h00*h11 - h01*h01
	return a, b, math.Sqrt(phi * h00 / det), true
}

func maxAbs(x []float64) float64 {
	m := 1.0
	for _, v := range x {
		m = math.Max(m, math.Abs(v))
	}
	return m
}
