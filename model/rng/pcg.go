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
	const (
		mulHi    = 2549297995355413924
		mulLo    = 4865540595714422341
		incHi    = 6364136223846793005
		incLo    = 1442695040888963407
		cheapMul = 0xda942042e4dd58b5
	)
	hi, lo := bits.Mul64(p.lo, mulLo)
	hi += p.hi*mulLo + p.lo*mulHi
	lo, c := bits.Add64(lo, incLo, 0)
	hi, _ = bits.Add64(hi, incHi, c)
	p.hi, p.lo = hi, lo
	hi ^= hi >> 32
	hi *= cheapMul
	hi ^= hi >> 48
	return hi * (lo | 1)
}
