// Package rng provides the random streams and the fast, exact discrete
// samplers that the funnel engine draws from in its hot loops.
//
// Streams are derived by hashing a sequence of words (a master seed, a trial
// index, a purpose, an index) with SplitMix64 into the 128-bit state of a
// math/rand/v2 PCG, so that any trial's numbers can be regenerated on any
// goroutine without a shared generator.
//
// The samplers take a *rand.Rand and never touch the global generator:
// Binomial (inversion for n·p < 10, else Hörmann's BTRD), Poisson (inversion
// for λ < 10, else Hörmann's PTRS), Gamma (Marsaglia and Tsang), negative
// binomial (a Gamma mixture of Poissons) and multinomial (conditional
// binomials). A *rand.Rand is not safe for concurrent use, and neither is a
// Stream.
package rng
