// Package nearest finds, for a name a user mistyped, the name meant:
// the candidate within two edits, closer than any other.
package nearest

import (
	"fmt"
	"strings"
)

// DidYouMean is ` (did you mean "x"?)` for the candidate nearest to
// name, where it is within two edits and closer than any other, letter
// case aside; "" else.
func DidYouMean(name string, candidates []string) string {
	best, bestD, tie := "", 3, false
	for _, c := range candidates {
		d := Edits(strings.ToLower(name), strings.ToLower(c))
		if name != c && strings.EqualFold(name, c) {
			d = 0 // only the case differs: closest of all
		}
		switch {
		case d < bestD:
			best, bestD, tie = c, d, false
		case d == bestD && c != best:
			tie = true
		}
	}
	if best == "" || tie || best == name {
		return ""
	}
	return fmt.Sprintf(" (did you mean %q?)", best)
}

// Edits is the Damerau–Levenshtein distance between a and b (optimal
// string alignment): insertions, deletions, substitutions and swaps of
// neighbours.
func Edits(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	d := make([][]int, len(ra)+1)
	for i := range d {
		d[i] = make([]int, len(rb)+1)
		d[i][0] = i
	}
	for j := range rb {
		d[0][j+1] = j + 1
	}
	for i := 1; i <= len(ra); i++ {
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			d[i][j] = min(d[i-1][j]+1, d[i][j-1]+1, d[i-1][j-1]+cost)
			if i > 1 && j > 1 && ra[i-1] == rb[j-2] && ra[i-2] == rb[j-1] {
				d[i][j] = min(d[i][j], d[i-2][j-2]+1)
			}
		}
	}
	return d[len(ra)][len(rb)]
}
