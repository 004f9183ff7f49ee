package model

import (
	"math"
	"slices"
	"sort"

	"github.com/funnelsim/funnelsim/model/rng"
)

// empirical is a channel's deal sizes drawn from observed won amounts:
// their distinct values with how often each was seen, and, for a
// channel's own amounts, the weight of the overall amounts' atom.
type empirical struct {
	vals, counts []float64
	pool         float64
}

// newEmpirical groups amounts into distinct values. The Dirichlet
// weights of equal amounts add up to one Gamma(count) weight, so the
// grouping leaves the Bayesian bootstrap exact.
func newEmpirical(amounts []float64, pool float64) *empirical {
	if len(amounts) == 0 {
		return nil
	}
	a := slices.Sorted(slices.Values(amounts))
	e := &empirical{pool: pool}
	for i, x := range a {
		if i == 0 || x != a[i-1] {
			e.vals = append(e.vals, x)
			e.counts = append(e.counts, 0)
		}
		e.counts[len(e.counts)-1]++
	}
	return e
}

// weights sets cum to the cumulative weights of a trial's Bayesian
// bootstrap draw (the posterior means, the counts, when fixed), the
// pooled atom last when e has one, and returns it.
func (e *empirical) weights(st *rng.Stream, fixed bool, cum []float64) []float64 {
	n := len(e.vals)
	if e.pool > 0 {
		n++
	}
	cum = grow(cum, n)
	sum := 0.0
	for i := range n {
		shape := e.pool
		if i < len(e.counts) {
			shape = e.counts[i]
		}
		w := shape
		if !fixed {
			w = rng.Gamma(st, shape, 1)
		}
		sum += w
		cum[i] = sum
	}
	return cum
}

// at returns the amount at uniform u under the cumulative weights cum;
// u in the pooled atom is spread over the overall amounts (pool, with
// their weights poolCum).
func (e *empirical) at(cum []float64, u float64, pool *empirical, poolCum []float64) float64 {
	x := u * cum[len(cum)-1]
	k := min(sort.Search(len(cum), func(i int) bool { return cum[i] > x }), len(cum)-1)
	if k < len(e.vals) {
		return e.vals[k]
	}
	lo := 0.0
	if k > 0 {
		lo = cum[k-1]
	}
	return pool.at(poolCum, math.Min((x-lo)/(cum[k]-lo), 1), nil, nil)
}

// mean is the mean amount under the cumulative weights cum.
func (e *empirical) mean(cum []float64, pool *empirical, poolCum []float64) float64 {
	sum, prev := 0.0, 0.0
	for i, c := range cum {
		if i < len(e.vals) {
			sum += (c - prev) * e.vals[i]
		} else {
			sum += (c - prev) * pool.mean(poolCum, nil, nil)
		}
		prev = c
	}
	return sum / cum[len(cum)-1]
}
