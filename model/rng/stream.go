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
	pcg   pcg
	start pcg    // the state Reset set
	spare uint64 // the unused high half of the last output, for Bits32
	half  bool   // whether spare holds one
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
	s.start, s.half = s.pcg, false
}

// ResetLike positions s where o's last Reset positioned o: at the start of
// the same sequence, without hashing its key again.
func (s *Stream) ResetLike(o *Stream) {
	s.pcg, s.start, s.half = o.start, o.start, false
}

// Bits32 returns a uniform 32-bit draw, as a uint64 to compare with a
// Threshold: the low half of a generator output, then its high half.
func (s *Stream) Bits32() uint64 {
	if s.half {
		s.half = false
		return s.spare
	}
	x := s.pcg.Uint64()
	s.spare, s.half = x>>32, true
	return x & (1<<32 - 1)
}

// Uniform returns a uniform variate on the open interval (0, 1), safe to
// pass to math.Log (rand.Float64 can return 0), drawn straight from the
// stream's PCG: the cheapest uniform in a hot loop.
func (s *Stream) Uniform() float64 {
	return (float64(s.pcg.Uint64()>>11) + 0.5) / (1 << 53)
}

// Threshold is p as a 32-bit threshold for CountBelow: a 32-bit uniform
// falls below it with probability p, to within 2^-32 (p is rounded down;
// p <= 0 gives 0 and p >= 1 gives 2^32, which every draw falls below).
func Threshold(p float64) uint64 {
	switch {
	case !(p > 0):
		return 0
	case p >= 1:
		return 1 << 32
	}
	return uint64(p * (1 << 32))
}

// CountBelow draws n 32-bit uniforms, as n calls of Bits32 would, and
// counts those below each of two thresholds (see Threshold): for t2 <= t1,
// one draw per lead decides between three outcomes (below t2, between,
// above t1), at half a generator step a lead. No half is wasted, so the
// k-th lead of a run of cells gets the k-th half whatever the cells'
// sizes: a scenario that moves one lead between cells shifts the draws of
// the rest by one, not more, which keeps common random numbers in step.
// The state stays in registers for the loop.
func (s *Stream) CountBelow(n int, t1, t2 uint64) (k1, k2 int) {
	if n <= 0 {
		return 0, 0
	}
	// The spare half, if any, goes to the first lead, without a branch:
	// whether there is one is a coin toss.
	use := b2i(s.half)
	k1, k2 = use&b2i(s.spare < t1), use&b2i(s.spare < t2)
	n -= use
	hi, lo := s.pcg.hi, s.pcg.lo
	var x uint64
	for ; n > 2; n -= 2 {
		hi, lo, x = step(hi, lo)
		xl, xh := x&(1<<32-1), x>>32
		k1 += b2i(xl < t1) + b2i(xh < t1)
		k2 += b2i(xl < t2) + b2i(xh < t2)
	}
	// The last one or two leads, or none, share one output, drawn either
	// way and kept only when used: again no branch on n, which is small.
	nhi, nlo, x := step(hi, lo)
	xl, xh := x&(1<<32-1), x>>32
	one, two := b2i(n > 0), b2i(n == 2)
	k1 += one&b2i(xl < t1) + two&b2i(xh < t1)
	k2 += one&b2i(xl < t2) + two&b2i(xh < t2)
	keep := -uint64(one)
	hi ^= (hi ^ nhi) & keep
	lo ^= (lo ^ nlo) & keep
	s.pcg, s.spare, s.half = pcg{hi, lo}, xh, n == 1
	return k1, k2
}

// b2i is 1 for true: the compiler makes it a conditional set, sparing a
// loop a mispredicted branch per draw.
func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}

// Counter is a stream that keeps only a key and a count: its k-th draw is
// the SplitMix64 finaliser of the key XOR the k-th point of a Weyl
// sequence. Setting one up costs nothing, so it suits many small streams,
// one per deal say, each of which must not shift the others' numbers when
// it draws more or fewer of its own. Unlike a Weyl sequence started at the
// key, two counters whose inputs meet once part at the next draw, so no
// two streams share a run of numbers, however many there are.
type Counter struct{ key, n uint64 }

// NewCounter returns the counter keyed by words, as Stream.Reset keys a
// stream.
func NewCounter(words ...uint64) Counter {
	_, lo := Derive(words...)
	return Counter{key: lo}
}

// Sub returns the i-th counter under c's key: unrelated to c and to every
// other index.
func (c Counter) Sub(i uint64) Counter {
	return Counter{key: mix(c.key ^ mix(i+golden))}
}

// Uniform returns the next uniform variate on (0, 1).
func (c *Counter) Uniform() float64 {
	c.n++
	return (float64(mix(c.key^(c.n*golden))>>11) + 0.5) / (1 << 53)
}
