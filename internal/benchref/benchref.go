// Package benchref is a fixed reference workload for the engine's speed
// guard: an age-structured funnel of the sample company's shape (five
// channels, six stages, 27 weekly ages, 13 weeks), simulated trial by
// trial with a parameter draw per trial and lead-by-lead exits, using
// only the standard library.
//
// It is timed beside the engine in the same process (BenchmarkGuard in
// model), so that the ratio of the two speeds says how fast the engine is
// whatever the machine and its load. The ratio is only comparable with
// itself while this code stays as it is: do not change it, or record the
// ratio afresh (docs/BENCHMARKS.md).
package benchref

import (
	"math"
	"math/rand/v2"
)

const (
	channels = 5
	stages   = 6
	ages     = 27
	weeks    = 13
)

var (
	weekly = [channels]float64{45, 35, 20, 30, 8}
	// eventual conversion per stage (rows) and channel, and median weeks
	// in stage
	conversion = [stages][channels]float64{
		{0.40, 0.30, 0.55, 0.40, 0.70},
		{0.70, 0.60, 0.75, 0.70, 0.85},
		{0.50, 0.25, 0.55, 0.50, 0.65},
		{0.60, 0.50, 0.60, 0.60, 0.70},
		{0.55, 0.50, 0.55, 0.55, 0.60},
		{0.40, 0.35, 0.40, 0.40, 0.45},
	}
	median = [stages]float64{1, 0.5, 2, 2, 4, 5}
	// open is the pipeline a trial starts from: the survivors of steady
	// inflow, by stage, channel and age.
	open = func() (n [stages][channels][ages]int) {
		for c := range channels {
			flow := weekly[c]
			for s := range stages {
				for a := range ages {
					n[s][c][a] = int(flow * math.Exp2(-float64(a)/median[s]))
				}
				flow *= conversion[s][c]
			}
		}
		return n
	}()
)

// Run simulates trials trials from seed and returns the mean number of
// wins a trial, which callers keep so that the work is not optimised away.
func Run(trials int, seed uint64) float64 {
	r := rand.New(rand.NewPCG(seed, 0x5eed))
	var n [stages][channels][ages]int
	var leave, adv [stages][channels]uint32
	wins := 0
	for range trials {
		for s := range stages {
			for c := range channels {
				// A Gamma(50)-distributed draw of the weekly hazard, as a
				// sum of exponentials would be too slow: 50·(1+N/√50).
				h := math.Ln2 / median[s] * (1 + r.NormFloat64()/math.Sqrt(50))
				p := -math.Expm1(-math.Max(h, 0))
				leave[s][c] = uint32(p * (1 << 32))
				adv[s][c] = uint32(p * conversion[s][c] * (1 << 32))
			}
		}
		n = open
		for range weeks {
			for s := stages - 1; s >= 0; s-- {
				for c := range channels {
					moved := 0
					cells := &n[s][c]
					for a := ages - 1; a >= 0; a-- {
						k := cells[a]
						if k == 0 {
							continue
						}
						cells[a] = 0
						stay := 0
						for range k {
							u := r.Uint32()
							switch {
							case u < adv[s][c]:
								moved++
							case u >= leave[s][c]:
								stay++
							}
						}
						cells[min(a+1, ages-1)] += stay
					}
					if s+1 < stages {
						n[s+1][c][0] += moved
					} else {
						wins += moved
					}
				}
			}
			for c := range channels {
				// Poisson arrivals by inversion.
				k, p, u := 0, math.Exp(-weekly[c]), r.Float64()
				for f := p; u > f && k < 1000; f += p {
					k++
					p *= weekly[c] / float64(k)
				}
				n[0][c][0] += k
			}
		}
	}
	return float64(wins) / float64(trials)
}
