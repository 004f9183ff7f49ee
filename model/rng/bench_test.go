package rng

import (
	"fmt"
	"math/rand/v2"
	"testing"

	"gonum.org/v1/gonum/stat/distuv"
)

var sink int

var benchBinomial = []struct {
	n int
	p float64
}{{20, 0.3}, {60, 0.15}, {200, 0.3}, {5000, 0.4}}

func BenchmarkBinomial(b *testing.B) {
	for _, c := range benchBinomial {
		b.Run(fmt.Sprintf("n=%d,p=%g", c.n, c.p), func(b *testing.B) {
			r := seeded(1, 1)
			for b.Loop() {
				sink += Binomial(r, c.n, c.p)
			}
		})
	}
}

func BenchmarkGonumBinomial(b *testing.B) {
	for _, c := range benchBinomial {
		b.Run(fmt.Sprintf("n=%d,p=%g", c.n, c.p), func(b *testing.B) {
			d := distuv.Binomial{N: float64(c.n), P: c.p, Src: rand.NewPCG(1, 1)}
			for b.Loop() {
				sink += int(d.Rand())
			}
		})
	}
}

func BenchmarkPoisson(b *testing.B) {
	for _, l := range []float64{3, 30, 300} {
		b.Run(fmt.Sprintf("lambda=%g", l), func(b *testing.B) {
			r := seeded(1, 1)
			for b.Loop() {
				sink += Poisson(r, l)
			}
		})
	}
}

func BenchmarkGonumPoisson(b *testing.B) {
	for _, l := range []float64{3, 30, 300} {
		b.Run(fmt.Sprintf("lambda=%g", l), func(b *testing.B) {
			d := distuv.Poisson{Lambda: l, Src: rand.NewPCG(1, 1)}
			for b.Loop() {
				sink += int(d.Rand())
			}
		})
	}
}

func BenchmarkGamma(b *testing.B) {
	for _, shape := range []float64{0.6, 3.5} {
		b.Run(fmt.Sprintf("shape=%v", shape), func(b *testing.B) {
			r := seeded(1, 1)
			for b.Loop() {
				sink += int(10 * Gamma(r, shape, 1))
			}
		})
	}
}

func BenchmarkGonumGamma(b *testing.B) {
	d := distuv.Gamma{Alpha: 3.5, Beta: 1, Src: rand.NewPCG(1, 1)}
	for b.Loop() {
		sink += int(d.Rand())
	}
}

func BenchmarkNegBinomial(b *testing.B) {
	r := seeded(1, 1)
	for b.Loop() {
		sink += NegBinomial(r, 30, 10)
	}
}

func BenchmarkCountBelow(b *testing.B) {
	for _, n := range []int{1, 2, 5, 40} {
		b.Run(fmt.Sprintf("n=%d", n), func(b *testing.B) {
			r := seeded(1, 1)
			t1, t2 := Threshold(0.3), Threshold(0.1)
			for b.Loop() {
				k1, k2 := r.CountBelow(n, t1, t2)
				sink += k1 + k2
			}
		})
	}
}
