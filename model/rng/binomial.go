package rng

import (
	"math"
)

// Binomial returns a draw from the binomial distribution with n trials and
// success probability p.
//
// For n·min(p,1-p) < 10 it inverts the CDF by sequential search, consuming
// one uniform, so the draw is monotone in p for a fixed stream (which keeps
// scenario comparisons on common random numbers in step). Otherwise it uses
// Hörmann's BTRD (W. Hörmann, "The generation of binomial random variates",
// J. Stat. Comput. Simul. 46, 1993), whose expected cost does not grow with n.
// p outside [0, 1] is clamped; n <= 0 gives 0.
func Binomial(r *Stream, n int, p float64) int {
	if n <= 0 || !(p > 0) {
		return 0
	}
	if p >= 1 {
		return n
	}
	if p > 0.5 {
		return n - binomialLow(r, n, 1-p)
	}
	return binomialLow(r, n, p)
}

// binomialLow handles p <= 0.5.
func binomialLow(r *Stream, n int, p float64) int {
	if float64(n)*p < 10 {
		return binomialInversion(r, n, p)
	}
	return btrd(r, n, p)
}

// binomialInversion is sequential-search inversion from k = 0, with the
// recursion f(k+1) = f(k)·(n-k)/(k+1)·p/q. For n·p < 10, q^n >= e^-20, so
// the start value cannot underflow. The recursion reaches 0 past k = n, so
// if rounding leaves u above the summed mass the search starts over.
func binomialInversion(r *Stream, n int, p float64) int {
	q := 1 - p
	if n == 1 {
		if r.Uniform() < p {
			return 1
		}
		return 0
	}
	s := p / q
	a := float64(n+1) * s
	f0 := powInt(q, n)
	for {
		u := r.Uniform()
		f := f0
		for k := 0; k <= n; k++ {
			if u < f {
				return k
			}
			u -= f
			if k < len(recip) {
				f *= a*recip[k] - s
			} else {
				f *= a/float64(k+1) - s
			}
		}
	}
}

// recip[k] is 1/(k+1): a multiply is several times faster than a divide in
// the inversion loop and in BTRD's pmf ratios, whose k rarely pass 1,000.
var recip = func() (t [1024]float64) {
	for k := range t {
		t[k] = 1 / float64(k+1)
	}
	return t
}()

// powInt is x^n by repeated squaring for the small n of most cohort cells,
// where it is several times faster than math.Pow.
func powInt(x float64, n int) float64 {
	if n > 64 {
		return math.Exp(float64(n) * math.Log(x)) // half the time of math.Pow
	}
	out := 1.0
	for n > 0 {
		if n&1 == 1 {
			out *= x
		}
		x *= x
		n >>= 1
	}
	return out
}

// inv is 1/i for i >= 1, from the table where it can.
func inv(i int) float64 {
	if i <= len(recip) {
		return recip[i-1]
	}
	return 1 / float64(i)
}

// floor is math.Floor for |x| < 2^63 without the call: the BTRD hot path
// takes one per draw.
func floor(x float64) float64 {
	t := float64(int64(x))
	if t > x {
		t--
	}
	return t
}

// fcTable holds fc(k) = ln k! - [ln √(2π) + (k+½)ln(k+1) - (k+1)], the
// Stirling correction, for k < 10.
var fcTable = [10]float64{
	0.08106146679532733,
	0.04134069595540946,
	0.027677925684997717,
	0.020790672103765395,
	0.016644691189820815,
	0.013876128823072875,
	0.011896709945893313,
	0.010411265261971892,
	0.009255462182707674,
	0.008330563433357696,
}

func fc(k int) float64 {
	if k < len(fcTable) {
		return fcTable[k]
	}
	t := 1 / float64(k+1)
	t2 := t * t
	return (1.0/12 - (1.0/360-t2/1260)*t2) * t
}

// btrd is Hörmann's transformed rejection with decomposition for p <= 0.5
// and n·p >= 10, following the pseudo-code in METHODS.md §8.
func btrd(r *Stream, n int, p float64) int {
	nf := float64(n)
	m := floor((nf + 1) * p)
	q := 1 - p
	rr := p / q
	nr := (nf + 1) * rr
	npq := nf * p * q
	sq := math.Sqrt(npq)
	b := 1.15 + 2.53*sq
	a := -0.0873 + 0.0248*b + 0.01*p
	c := nf*p + 0.5
	ib := 1 / b
	alpha := (2.83 + 5.1*ib) * sq
	vr := 0.92 - 4.2*ib
	ivr := 1 / vr
	urvr := 0.86 * vr
	mi := int(m)
	for {
		v := r.Uniform()
		var u float64
		if v <= urvr {
			u = v*ivr - 0.43
			return int(floor((2*a/(0.5-math.Abs(u))+b)*u + c))
		}
		if v >= vr {
			u = r.Uniform() - 0.5
		} else {
			u = v*ivr - 0.93
			u = math.Copysign(0.5, u) - u
			v = vr * r.Uniform()
		}
		us := 0.5 - math.Abs(u)
		kf := floor((2*a/us+b)*u + c)
		if kf < 0 || kf > nf {
			continue
		}
		k := int(kf)
		v = v * alpha / (a/(us*us) + b)
		km := k - mi
		if km < 0 {
			km = -km
		}
		if km <= 15 {
			f := 1.0
			if mi < k {
				for i := mi + 1; i <= k; i++ {
					f *= nr*inv(i) - rr
				}
			} else if mi > k {
				for i := k + 1; i <= mi; i++ {
					v *= nr*inv(i) - rr
				}
			}
			if v <= f {
				return k
			}
			continue
		}
		kmf := float64(km)
		v = math.Log(v)
		rho := (kmf / npq) * (((kmf/3+0.625)*kmf+1.0/6)/npq + 0.5)
		t := -kmf * kmf / (2 * npq)
		if v < t-rho {
			return k
		}
		if v > t+rho {
			continue
		}
		nm := nf - m + 1
		h := (m+0.5)*math.Log((m+1)/(rr*nm)) + fc(mi) + fc(n-mi)
		nk := nf - kf + 1
		if v <= h+(nf+1)*math.Log(nm/nk)+(kf+0.5)*math.Log(nk*rr/(kf+1))-fc(k)-fc(n-k) {
			return k
		}
	}
}
