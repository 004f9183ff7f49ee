package rng

import "sort"

func sortFloats(s []float64) { sort.Float64s(s) }

// seeded returns a Stream whose PCG state is seeded directly.
func seeded(hi, lo uint64) *Stream {
	s := NewStream()
	s.pcg.Seed(hi, lo)
	return s
}
