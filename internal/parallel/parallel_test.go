package parallel

import "testing"

// TestFor checks that every index is visited exactly once, for counts
// below, at and above the number of goroutines.
func TestFor(t *testing.T) {
	for _, n := range []int{0, 1, 2, 3, 100} {
		seen := make([]int, n)
		For(n, func(i int) { seen[i]++ })
		for i, k := range seen {
			if k != 1 {
				t.Fatalf("For(%d): index %d visited %d times", n, i, k)
			}
		}
	}
}
