package rng

import "math/bits"

// pcg is math/rand/v2's PCG (a 128-bit LCG with DXSM output), written so
// that the compiler inlines Uint64 into the per-lead loops, where the
// library's call is the single largest cost. It produces exactly the
// library's sequence for the same seed (pcg_test.go checks it).
type pcg struct{ hi, lo uint64 }

// Seed sets the state, as rand.PCG.Seed does.
func (p *pcg) Seed(hi, lo uint64) { p.hi, p.lo = hi, lo }

// Uint64 steps the LCG and returns the DXSM output of the new state.
func (p *pcg) Uint64() uint64 {
	var x uint64
	p.hi, p.lo, x = step(p.hi, p.lo)
	return x
}

// step is one step of the LCG from state (hi, lo): the new state and its
// DXSM output. A loop that keeps the state in two local words, rather
// than in a pcg, keeps it in registers.
func step(hi, lo uint64) (nhi, nlo, x uint64) {
	const (
		mulHi    = 2549297995355413924
		mulLo    = 4865540595714422341
		incHi    = 6364136223846793005
		incLo    = 1442695040888963407
		cheapMul = 0xda942042e4dd58b5
	)
	nhi, nlo = bits.Mul64(lo, mulLo)
	nhi += hi*mulLo + lo*mulHi
	nlo, c := bits.Add64(nlo, incLo, 0)
	nhi, _ = bits.Add64(nhi, incHi, c)
	x = nhi ^ nhi>>32
	x *= cheapMul
	x ^= x >> 48
	return nhi, nlo, x * (nlo | 1)
}
