package rng

import "math/rand/v2"

// golden is 2^64 divided by the golden ratio, the SplitMix64 increment.
const golden = 0x9e3779b97f4a7c15

// mix is the SplitMix64 finaliser (Steele, Lea and Flood, 2014): a bijection
// on 64-bit words whose outputs pass BigCrush for sequential inputs.
func mix(z uint64) uint64 {
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9
	z = (z ^ (z >> 27)) * 0x94d049bb133111eb
	return z ^ (z >> 31)
}

// Derive hashes a sequence of words into a 128-bit PCG seed. Different
// sequences give unrelated seeds; the order of the words matters.
func Derive(words ...uint64) (hi, lo uint64) {
	h := uint64(golden)
	for _, w := range words {
		h = mix(h^w) + golden
	}
	h = mix(h + uint64(len(words)))
	return mix(h ^ 0x5851f42d4c957f2d), mix(h ^ 0x14057b7ef767814f)
}

// Stream is a reusable random stream whose state is set from a key. Reusing
// one Stream per goroutine avoids an allocation per trial.
type Stream struct {
	pcg pcg
	*rand.Rand
}

// NewStream returns a Stream; call Reset before drawing from it.
func NewStream() *Stream {
	s := &Stream{}
	s.Rand = rand.New(&s.pcg)
	return s
}

// Reset positions the stream at the start of the sequence keyed by words.
func (s *Stream) Reset(words ...uint64) {
	s.pcg.Seed(Derive(words...))
}

// Uniform returns a uniform variate on the open interval (0, 1), safe to
// pass to math.Log (rand.Float64 can return 0), drawn straight from the
// stream's PCG: the cheapest uniform in a hot loop.
func (s *Stream) Uniform() float64 {
	return (float64(s.pcg.Uint64()>>11) + 0.5) / (1 << 53)
}
