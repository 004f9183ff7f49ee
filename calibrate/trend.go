package calibrate

import (
	"math"

	"gonum.org/v1/gonum/stat"
)

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

// mannKendall is the Mann–Kendall statistic of a monotone trend in y
// over x, standardised: S, the pairs that rise less the pairs that fall,
// with the continuity correction, over its standard deviation under no
// trend (corrected for ties). A rank test, it is not carried by one week
// far off the rest, as a least-squares or likelihood slope is when that
// week sits at the end of the window (Mann, "Nonparametric tests against
// trend", Econometrica 13, 1945; the variance with ties as in Kendall,
// Rank Correlation Methods, 4th ed., 1975).
func mannKendall(x, y []float64) float64 {
	n := len(y)
	if n < 3 {
		return 0
	}
	var s float64
	for i := range n {
		for j := i + 1; j < n; j++ {
			d := (y[j] - y[i]) * (x[j] - x[i])
			switch {
			case d > 0:
				s++
			case d < 0:
				s--
			}
		}
	}
	nf := float64(n)
	v := nf * (nf - 1) * (2*nf + 5)
	ties := map[float64]float64{}
	for _, yi := range y {
		ties[yi]++
	}
	for _, t := range ties {
		v -= t * (t - 1) * (2*t + 5)
	}
	if v <= 0 || s == 0 {
		return 0
	}
	s -= math.Copysign(1, s)
	return s / math.Sqrt(v/18)
}

// lineFit is the least-squares line of y on x and the standard error of
// its slope, from the residuals (n − 2 degrees of freedom).
func lineFit(x, y []float64) (a, b, se float64) {
	a, b = stat.LinearRegression(x, y, nil, false)
	var rss, sxx float64
	mx := stat.Mean(x, nil)
	for i := range x {
		r := y[i] - a - b*x[i]
		rss += r * r
		sxx += (x[i] - mx) * (x[i] - mx)
	}
	return a, b, math.Sqrt(rss / float64(len(x)-2) / sxx)
}

// trendTest fits the log-linear trend of counts y at weeks x (logTrend)
// and says whether it is found: by the Mann–Kendall rank test at 5%, or,
// with Without.Rank, by the fit's own slope clear of twice its standard
// error.
func (e *estimator) trendTest(x, y []float64) (a, b, se float64, found bool) {
	a, b, se, ok := logTrend(x, y)
	if e.o.Without.Rank {
		return a, b, se, ok && math.Abs(b) > 2*se
	}
	return a, b, se, ok && math.Abs(mannKendall(x, y)) > 2
}

// minTrendOrigins is the fewest past origins at which trendHolds can
// judge a channel's own trend; with fewer, the trend the tests find is
// kept.
const minTrendOrigins = 4

// trendHolds reports whether a trend of channel c's own, found in the
// arrival window (at weeks x back), is to be kept: the in-history
// holdout that chooses the level window (levelWindow) asks, at each of
// its origins, whether the same tests (trendTest) find a trend in the
// window before it, and compares that trend's damped forecast of the
// next 13 weeks with the level's (the mean of the level window, along
// the sustained growth). The trend is kept where it forecast better at
// the origins where it was found, or where the history is too short to
// judge. A quarter far off the rest at a window's end reads to the
// weekly tests as a trend; the weeks after it show that it was not one.
func (e *estimator) trendHolds(c int, x []float64, phi float64) bool {
	y, w, L := e.long[c], e.window, e.levelWeeks
	if e.shiftWeeks > 0 {
		return true
	}
	var origins int
	var sseTrend, sseFlat float64
	for j := range levelOrigins {
		k := 13 + 4*j // the origin, weeks back
		if k+w > len(y) {
			break
		}
		origins++
		a, b, _, found := e.trendTest(x, y[k:k+w])
		if !found {
			continue
		}
		var actual, trend float64
		for _, v := range y[k-13 : k] {
			actual += v
		}
		// As arrivalsInto sets a found trend: the line's end as the
		// level of the first week, the trend clamped and damped.
		level, bt := math.Exp(a+b), clamp(b, 0.2)
		for t := range 13 {
			tw := float64(t)
			if phi < 1 {
				tw = phi * (1 - math.Pow(phi, tw)) / (1 - phi)
			}
			trend += level * math.Exp(bt*tw)
		}
		l := L
		if k+l > len(y) {
			l = w
		}
		flat := stat.Mean(y[k:k+l], nil) * 13 * math.Exp(e.growth*(float64(l-1)/2+7))
		dt, df := math.Log((actual+1)/(trend+1)), math.Log((actual+1)/(flat+1))
		sseTrend += dt * dt
		sseFlat += df * df
	}
	if origins < minTrendOrigins {
		return true
	}
	return sseTrend < sseFlat
}
