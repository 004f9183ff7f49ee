package model

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"
)

// TestSortFloats checks the radix sort against slices.Sort on values of
// both signs and many magnitudes, on counts that share their high bytes,
// with ties, zeros of both signs and short slices.
func TestSortFloats(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	cases := map[string][]float64{}
	mixed := make([]float64, 5000)
	for i := range mixed {
		mixed[i] = (r.Float64() - 0.5) * math.Pow(10, float64(r.IntN(20)-10))
	}
	mixed[3], mixed[7] = 0, math.Copysign(0, -1)
	cases["mixed"] = mixed
	counts := make([]float64, 3000)
	for i := range counts {
		counts[i] = float64(r.IntN(40))
	}
	cases["counts"] = counts
	cases["short"] = []float64{3, -1, 2, 2, -7.5}
	cases["same"] = slices.Repeat([]float64{4.25}, 1000)
	for name, x := range cases {
		want := slices.Clone(x)
		slices.Sort(want)
		new(floatSorter).sort(x)
		for i := range x {
			if x[i] != want[i] {
				t.Fatalf("%s: element %d is %v, want %v", name, i, x[i], want[i])
			}
		}
	}
}

func BenchmarkSortFloats(b *testing.B) {
	r := rand.New(rand.NewPCG(1, 2))
	x := make([]float64, 100000)
	for i := range x {
		x[i] = math.Exp(13 + 0.4*r.NormFloat64())
	}
	y := make([]float64, len(x))
	b.Run("radix", func(b *testing.B) {
		for b.Loop() {
			copy(y, x)
			new(floatSorter).sort(y)
		}
	})
	b.Run("slices.Sort", func(b *testing.B) {
		for b.Loop() {
			copy(y, x)
			slices.Sort(y)
		}
	})
}
