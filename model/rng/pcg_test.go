package rng

import (
	"math/rand/v2"
	"testing"
)

// TestPCGMatchesLibrary checks that pcg yields math/rand/v2's PCG sequence.
func TestPCGMatchesLibrary(t *testing.T) {
	for _, seed := range [][2]uint64{{0, 0}, {1, 2}, {^uint64(0), 12345}, {0x9e3779b97f4a7c15, 0xbf58476d1ce4e5b9}} {
		want := rand.NewPCG(seed[0], seed[1])
		var got pcg
		got.Seed(seed[0], seed[1])
		for i := range 10000 {
			if g, w := got.Uint64(), want.Uint64(); g != w {
				t.Fatalf("seed %x, draw %d: got %#x, want %#x", seed, i, g, w)
			}
		}
	}
}
