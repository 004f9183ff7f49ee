package rng

import (
	"fmt"
	"math"
	"testing"

	"gonum.org/v1/gonum/stat/distuv"
)

// chiSquare bins draws over the support, pools the bins whose expected count
// is under 5 into their neighbours, and returns the statistic and its degrees
// of freedom. logProb gives the exact log mass of each k.
func chiSquare(draws []int, logProb func(k int) float64) (stat float64, df int) {
	counts := map[int]int{}
	lo, hi := math.MaxInt, math.MinInt
	for _, k := range draws {
		counts[k]++
		lo, hi = min(lo, k), max(hi, k)
	}
	n := float64(len(draws))
	// Widen the range to cover the mass the draws may have missed.
	for lo > 0 && n*math.Exp(logProb(lo-1)) > 1e-3 {
		lo--
	}
	for n*math.Exp(logProb(hi+1)) > 1e-3 {
		hi++
	}
	var obs, exp float64
	mass := 0.0
	for k := lo; k <= hi; k++ {
		p := math.Exp(logProb(k))
		mass += p
		obs += float64(counts[k])
		exp += n * p
		if exp >= 5 && k < hi {
			stat += (obs - exp) * (obs - exp) / exp
			df++
			obs, exp = 0, 0
		}
	}
	// The last bin takes what is left, including the mass outside [lo, hi].
	exp += n * (1 - mass)
	if exp > 0 {
		stat += (obs - exp) * (obs - exp) / exp
		df++
	}
	return stat, df - 1
}

// checkDiscrete tests a sampler by chi-square goodness of fit (rejecting at
// 0.1%) and by its sample mean and variance against the exact moments, each
// within 4 standard errors (the variance's from batch means over 50 batches).
func checkDiscrete(t *testing.T, draws []int, logProb func(int) float64, mean, variance float64) {
	t.Helper()
	stat, df := chiSquare(draws, logProb)
	if df < 1 {
		t.Fatalf("degenerate grid point: %d degrees of freedom", df)
	}
	crit := distuv.ChiSquared{K: float64(df)}.Quantile(0.999)
	if stat > crit {
		t.Errorf("chi-square %.1f on %d df exceeds %.1f", stat, df, crit)
	}
	const batches = 50
	size := len(draws) / batches
	var bv []float64
	for b := 0; b < batches; b++ {
		_, v := moments(draws[b*size : (b+1)*size])
		bv = append(bv, v)
	}
	m, v := moments(draws)
	seMean := math.Sqrt(variance / float64(len(draws)))
	if d := math.Abs(m - mean); d > 4*seMean+1e-12 {
		t.Errorf("mean %.5g, want %.5g (± %.3g)", m, mean, 4*seMean)
	}
	_, vv := meanVar(bv)
	seVar := math.Sqrt(vv / batches)
	if d := math.Abs(v - variance); d > 4*seVar+1e-12 {
		t.Errorf("variance %.5g, want %.5g (± %.3g)", v, variance, 4*seVar)
	}
}

func moments(xs []int) (mean, variance float64) {
	f := make([]float64, len(xs))
	for i, x := range xs {
		f[i] = float64(x)
	}
	return meanVar(f)
}

func meanVar(xs []float64) (mean, variance float64) {
	for _, x := range xs {
		mean += x
	}
	mean /= float64(len(xs))
	for _, x := range xs {
		variance += (x - mean) * (x - mean)
	}
	return mean, variance / float64(len(xs)-1)
}

func TestBinomial(t *testing.T) {
	// The grid crosses the switch from inversion to BTRD at n·p = 10, the
	// reflection at p = 0.5, and BTRD's |k-m| > 15 branch (large n·p·q).
	grid := []struct {
		n int
		p float64
	}{
		{1, 0.5}, {5, 0.3}, {20, 0.49}, {33, 0.3}, {34, 0.3}, {99, 0.1},
		{100, 0.1}, {1000, 0.0099}, {1000, 0.01}, {50, 0.7}, {200, 0.95},
		{60, 0.5}, {5000, 0.4}, {1000000, 0.25}, {10, 0.999},
	}
	for i, g := range grid {
		t.Run(fmt.Sprintf("n=%d,p=%g", g.n, g.p), func(t *testing.T) {
			r := seeded(1, uint64(i))
			draws := make([]int, 200000)
			for j := range draws {
				draws[j] = Binomial(r, g.n, g.p)
				if draws[j] < 0 || draws[j] > g.n {
					t.Fatalf("draw %d outside [0, %d]", draws[j], g.n)
				}
			}
			d := distuv.Binomial{N: float64(g.n), P: g.p}
			checkDiscrete(t, draws, func(k int) float64 {
				if k < 0 || k > g.n {
					return math.Inf(-1)
				}
				return d.LogProb(float64(k))
			}, d.Mean(), d.Variance())
		})
	}
}

func TestBinomialEdges(t *testing.T) {
	r := seeded(1, 2)
	for _, c := range []struct {
		n    int
		p    float64
		want int
	}{{0, 0.5, 0}, {-3, 0.5, 0}, {10, 0, 0}, {10, -1, 0}, {10, 1, 10}, {10, 2, 10}, {10, math.NaN(), 0}} {
		if got := Binomial(r, c.n, c.p); got != c.want {
			t.Errorf("Binomial(%d, %g) = %d, want %d", c.n, c.p, got, c.want)
		}
	}
}

func TestPoisson(t *testing.T) {
	// Crosses the switch from inversion to PTRS at λ = 10.
	for i, lambda := range []float64{0.05, 1, 3.5, 9.99, 10, 10.5, 25, 140, 5000} {
		t.Run(fmt.Sprintf("lambda=%g", lambda), func(t *testing.T) {
			r := seeded(2, uint64(i))
			draws := make([]int, 200000)
			for j := range draws {
				draws[j] = Poisson(r, lambda)
			}
			d := distuv.Poisson{Lambda: lambda}
			checkDiscrete(t, draws, func(k int) float64 {
				if k < 0 {
					return math.Inf(-1)
				}
				return d.LogProb(float64(k))
			}, lambda, lambda)
		})
	}
}

// TestPoissonZeroAboveTen checks that PTRS can return 0, which gonum's
// cannot for λ >= 10: at λ = 10, P(0) = e^-10, so 4e6 draws expect 182 zeros.
func TestPoissonZeroAboveTen(t *testing.T) {
	r := seeded(3, 3)
	zeros := 0
	const n = 4000000
	for range n {
		if Poisson(r, 10) == 0 {
			zeros++
		}
	}
	want := n * math.Exp(-10)
	if math.Abs(float64(zeros)-want) > 4*math.Sqrt(want) {
		t.Errorf("%d zeros at λ=10, want %.0f ± %.0f", zeros, want, 4*math.Sqrt(want))
	}
}

func TestNegBinomial(t *testing.T) {
	for i, c := range []struct{ mu, phi float64 }{{0.5, 2}, {5, 0.8}, {30, 10}, {140, 25}, {12, math.Inf(1)}} {
		t.Run(fmt.Sprintf("mu=%g,phi=%g", c.mu, c.phi), func(t *testing.T) {
			r := seeded(4, uint64(i))
			draws := make([]int, 200000)
			for j := range draws {
				draws[j] = NegBinomial(r, c.mu, c.phi)
			}
			variance := c.mu + c.mu*c.mu/c.phi
			checkDiscrete(t, draws, func(k int) float64 { return negBinLogProb(k, c.mu, c.phi) }, c.mu, variance)
		})
	}
}

// negBinLogProb is the NB2 mass: Γ(k+φ)/(Γ(φ)k!)·(φ/(φ+μ))^φ·(μ/(φ+μ))^k.
func negBinLogProb(k int, mu, phi float64) float64 {
	if k < 0 {
		return math.Inf(-1)
	}
	if math.IsInf(phi, 1) {
		return distuv.Poisson{Lambda: mu}.LogProb(float64(k))
	}
	kf := float64(k)
	a, _ := math.Lgamma(kf + phi)
	b, _ := math.Lgamma(phi)
	c, _ := math.Lgamma(kf + 1)
	return a - b - c + phi*math.Log(phi/(phi+mu)) + kf*math.Log(mu/(phi+mu))
}

func TestGamma(t *testing.T) {
	// Kolmogorov–Smirnov against gonum's CDF, and the exact mean, for shapes
	// on both sides of the shape < 1 boost.
	for i, c := range []struct{ shape, rate float64 }{{0.1, 1}, {0.7, 2}, {1, 1}, {3.5, 0.2}, {250, 10}} {
		t.Run(fmt.Sprintf("shape=%g", c.shape), func(t *testing.T) {
			r := seeded(5, uint64(i))
			const n = 100000
			xs := make([]float64, n)
			for j := range xs {
				xs[j] = Gamma(r, c.shape, c.rate)
			}
			d := distuv.Gamma{Alpha: c.shape, Beta: c.rate}
			if ks := ksStat(xs, d.CDF); ks > 1.95/math.Sqrt(n) { // 0.1% critical value
				t.Errorf("KS statistic %.4g exceeds %.4g", ks, 1.95/math.Sqrt(n))
			}
			m, _ := meanVar(xs)
			if se := math.Sqrt(d.Variance() / n); math.Abs(m-d.Mean()) > 4*se {
				t.Errorf("mean %.5g, want %.5g ± %.3g", m, d.Mean(), 4*se)
			}
		})
	}
}

func ksStat(xs []float64, cdf func(float64) float64) float64 {
	s := append([]float64(nil), xs...)
	sortFloats(s)
	n := float64(len(s))
	d := 0.0
	for i, x := range s {
		f := cdf(x)
		d = max(d, math.Abs(f-float64(i)/n), math.Abs(float64(i+1)/n-f))
	}
	return d
}

func TestMultinomial(t *testing.T) {
	r := seeded(6, 6)
	p := []float64{0.5, 0, 2, 1.5} // weights, not normalised
	const n, reps = 40, 100000
	sum := make([]float64, len(p))
	dst := make([]int, len(p))
	for range reps {
		Multinomial(r, n, p, dst)
		tot := 0
		for i, k := range dst {
			tot += k
			sum[i] += float64(k)
		}
		if tot != n {
			t.Fatalf("counts %v sum to %d, want %d", dst, tot, n)
		}
		if dst[1] != 0 {
			t.Fatalf("zero-weight category got %d", dst[1])
		}
	}
	for i, w := range p {
		pi := w / 4
		want := n * pi
		se := math.Sqrt(n * pi * (1 - pi) / reps)
		if got := sum[i] / reps; math.Abs(got-want) > 4*se+1e-12 {
			t.Errorf("category %d mean %.4f, want %.4f ± %.4f", i, got, want, 4*se)
		}
	}
}

func TestDeriveDistinct(t *testing.T) {
	seen := map[[2]uint64]string{}
	for _, k := range [][]uint64{{1}, {1, 0}, {1, 0, 0}, {0, 1}, {1, 2}, {2, 1}, {1, 2, 3}, {1, 2, 4}} {
		hi, lo := Derive(k...)
		if prev, ok := seen[[2]uint64{hi, lo}]; ok {
			t.Errorf("keys %v and %s share a seed", k, prev)
		}
		seen[[2]uint64{hi, lo}] = fmt.Sprint(k)
	}
}

// TestStreamGolden pins the first draws of one keyed stream, so that a
// change to seed derivation or to the PCG is never an accident.
func TestStreamGolden(t *testing.T) {
	s := NewStream()
	s.Reset(1, 0, 7)
	got := []uint64{s.Uint64(), s.Uint64(), s.Uint64()}
	want := goldenStream
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("stream (1,0,7) = %#x, want %#x", got, want)
		}
	}
}

// TestChiSquareHasPower checks that the goodness-of-fit test used above
// rejects a sampler that is slightly wrong: Binomial(200, 0.31) judged as
// Binomial(200, 0.30).
func TestChiSquareHasPower(t *testing.T) {
	r := seeded(7, 7)
	draws := make([]int, 200000)
	for j := range draws {
		draws[j] = Binomial(r, 200, 0.31)
	}
	d := distuv.Binomial{N: 200, P: 0.30}
	stat, df := chiSquare(draws, func(k int) float64 {
		if k < 0 || k > 200 {
			return math.Inf(-1)
		}
		return d.LogProb(float64(k))
	})
	if crit := (distuv.ChiSquared{K: float64(df)}).Quantile(0.999); stat <= crit {
		t.Errorf("chi-square %.1f on %d df did not reject a p off by 0.01 (critical %.1f)", stat, df, crit)
	}
}

// TestCountBelow checks the lead-by-lead counts against the 32-bit draws
// they come from (Bits32's: both halves of each output, low first, none
// wasted across calls), their frequencies against the thresholds'
// probabilities within 4 standard errors, and the edges: p = 0 never
// counts, p = 1 always does.
func TestCountBelow(t *testing.T) {
	const p1, p2 = 0.37, 0.11
	t1, t2 := Threshold(p1), Threshold(p2)
	s, ref := NewStream(), NewStream()
	var k1, k2, n int
	for i := range 2000 {
		s.Reset(3, uint64(i))
		ref.Reset(3, uint64(i))
		for j := range 10 {
			m := (i + j) % 8
			a, b := s.CountBelow(m, t1, t2)
			var wa, wb int
			for range m {
				u := ref.Bits32()
				wa += b2i(u < t1)
				wb += b2i(u < t2)
			}
			if a != wa || b != wb {
				t.Fatalf("CountBelow(%d) = %d, %d; from Bits32 %d, %d", m, a, b, wa, wb)
			}
			k1, k2, n = k1+a, k2+b, n+m
		}
		if s.Bits32() != ref.Bits32() || s.Uint64() != ref.Uint64() {
			t.Fatal("CountBelow left the stream elsewhere than Bits32 does")
		}
	}
	for _, c := range []struct {
		k int
		p float64
	}{{k1, p1}, {k2, p2}} {
		if se := math.Sqrt(c.p * (1 - c.p) / float64(n)); math.Abs(float64(c.k)/float64(n)-c.p) > 4*se {
			t.Errorf("share below the threshold of %v is %.4f (n %d, SE %.4f)", c.p, float64(c.k)/float64(n), n, se)
		}
	}
	s.Reset(1)
	if a, b := s.CountBelow(1000, Threshold(1), Threshold(0)); a != 1000 || b != 0 {
		t.Errorf("CountBelow(1000) with p = 1 and 0 = %d, %d; want 1000, 0", a, b)
	}
	if Threshold(-0.5) != 0 || Threshold(math.NaN()) != 0 || Threshold(2) != 1<<32 {
		t.Error("Threshold does not clamp to [0, 2^32]")
	}
}

// TestBits32Halves checks that Bits32 returns the low and then the high
// half of each output, and that Reset drops a half left over.
func TestBits32Halves(t *testing.T) {
	s, ref := NewStream(), NewStream()
	s.Reset(9)
	ref.Reset(9)
	for range 100 {
		x := ref.Uint64()
		if lo, hi := s.Bits32(), s.Bits32(); lo != x&(1<<32-1) || hi != x>>32 {
			t.Fatalf("Bits32 pair = %#x, %#x; want the halves of %#x", lo, hi, x)
		}
	}
	s.Reset(9)
	s.Bits32()
	s.Reset(9)
	ref.Reset(9)
	if got, want := s.Bits32(), ref.Uint64()&(1<<32-1); got != want {
		t.Errorf("after Reset, Bits32 = %#x, want the low half %#x of the first output", got, want)
	}
}

// TestCounter checks that counters' uniforms are uniform (Kolmogorov–
// Smirnov against U(0, 1) at the 0.1% level), that sub-counters differ
// from each other and from their parent, and that a counter's draws do
// not depend on how many another one made.
func TestCounter(t *testing.T) {
	root := NewCounter(1, 2, 3)
	const n = 20000
	xs := make([]float64, 0, n)
	for i := range uint64(200) {
		c := root.Sub(i)
		for range n / 200 {
			xs = append(xs, c.Uniform())
		}
	}
	if d := ksStat(xs, func(x float64) float64 { return x }); d > 1.95/math.Sqrt(n) {
		t.Errorf("counter uniforms: KS distance %.4f, above the 0.1%% critical value %.4f", d, 1.95/math.Sqrt(n))
	}
	a, b := root.Sub(0), root.Sub(1)
	p := root
	if x, y, z := a.Uniform(), b.Uniform(), p.Uniform(); x == y || x == z || y == z {
		t.Error("sub-counters repeat each other or their parent")
	}
	c1, c2 := root.Sub(5), root.Sub(6)
	c1.Uniform()
	want := c2.Uniform()
	c1, c2 = root.Sub(5), root.Sub(6)
	for range 10 {
		c1.Uniform()
	}
	if got := c2.Uniform(); got != want {
		t.Error("a counter's draws depend on another's")
	}
}

// TestResetLike checks that a stream started like another, after that
// one has drawn, gives the sequence a Reset with the same key gives,
// halves included.
func TestResetLike(t *testing.T) {
	a, b, want := NewStream(), NewStream(), NewStream()
	a.Reset(3, 1, 4)
	want.Reset(3, 1, 4)
	a.Bits32()
	a.Uniform()
	b.Bits32() // leaves a spare half, which ResetLike must drop
	b.ResetLike(a)
	for i := range 5 {
		if g, w := b.Bits32(), want.Bits32(); g != w {
			t.Fatalf("draw %d: %#x, want %#x", i, g, w)
		}
	}
}
