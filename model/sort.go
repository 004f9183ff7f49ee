package model

import (
	"math"
	"slices"
	"sync"
	"unsafe"
)

// floatSorter keeps the radix sort's scratch buffer from one sort to the
// next, and the summaries' copies of the values; summaries take one from
// sorters, so that summarising a million trials metric by metric reuses a
// few buffers instead of making garbage of tens of megabytes a metric.
// A summary of a million values holds two buffers of 8 MB (the sorted
// copy and the scratch), and a week's summaries two more (its paths).
type floatSorter struct {
	tmp          []uint64
	sorted, a, b []float64
}

var sorters = sync.Pool{New: func() any { return new(floatSorter) }}

// floats returns a buffer of n values, reused by the next call.
func (fs *floatSorter) floats(n int) []float64 {
	fs.sorted = grow(fs.sorted, n)
	return fs.sorted
}

// week returns two more buffers of n values, for a week's paths.
func (fs *floatSorter) week(n int) (a, b []float64) {
	fs.a, fs.b = grow(fs.a, n), grow(fs.b, n)
	return fs.a, fs.b
}

func grow(x []float64, n int) []float64 {
	if cap(x) < n {
		return make([]float64, n)
	}
	return x[:n]
}

// sort sorts finite values in increasing order, as slices.Sort does,
// by an LSD radix sort on their order-preserving bit patterns: several
// times faster than comparison sorting for the 10^5 to 10^6 values of a
// summary. The keys are made in place, in x's own memory, so that the
// sort needs one scratch buffer and not two. Passes whose byte is the
// same in every key (the high bytes of counts, say) are skipped. Short
// slices are left to slices.Sort.
func (fs *floatSorter) sort(x []float64) {
	if len(x) < 512 {
		slices.Sort(x)
		return
	}
	if cap(fs.tmp) < len(x) {
		fs.tmp = make([]uint64, len(x))
	}
	// A float64 and a uint64 have the same size and alignment.
	own := unsafe.Slice((*uint64)(unsafe.Pointer(unsafe.SliceData(x))), len(x))
	keys, tmp := own, fs.tmp[:len(x)]
	var counts [8][256]int
	for i, v := range x {
		b := math.Float64bits(v)
		if b>>63 == 1 {
			b = ^b
		} else {
			b |= 1 << 63
		}
		keys[i] = b
		for d := range 8 {
			counts[d][byte(b>>(8*d))]++
		}
	}
	for d := range 8 {
		c := &counts[d]
		if c[byte(keys[0]>>(8*d))] == len(keys) {
			continue // every key has this byte
		}
		sum := 0
		for i, n := range c {
			c[i] = sum
			sum += n
		}
		for _, k := range keys {
			b := byte(k >> (8 * d))
			tmp[c[b]] = k
			c[b]++
		}
		keys, tmp = tmp, keys
	}
	if &keys[0] != &own[0] {
		copy(own, keys)
	}
	for i, b := range own {
		if b>>63 == 1 {
			b &^= 1 << 63
		} else {
			b = ^b
		}
		x[i] = math.Float64frombits(b)
	}
}
