// Package rng provides the random streams and the fast, exact discrete
// samplers that the funnel engine draws from in its hot loops.
//
// Streams are derived by hashing a sequence of words (a master seed, a trial
// index, a purpose, an index) with SplitMix64 into the 128-bit state of a
// PCG (math/rand/v2's algorithm and sequence, in a form the compiler
// inlines), so that any trial's numbers can be regenerated on any
// goroutine without a shared generator.
//
// The samplers take a *Stream and never touch the global generator:
// Binomial (inversion for n·p < 10, else Hörmann's BTRD), Poisson (inversion
// for λ < 10, else Hörmann's PTRS), Gamma (Marsaglia and Tsang), negative
// binomial (a Gamma mixture of Poissons) and multinomial (conditional
// binomials). A Stream is not safe for concurrent use.
package rng
