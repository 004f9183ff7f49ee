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

// TestForPanics checks that a call's panic reaches For's caller, where it
// can be recovered, whichever goroutine ran the call.
func TestForPanics(t *testing.T) {
	for _, n := range []int{1, 2, 50} {
		got := func() (p any) {
			defer func() { p = recover() }()
			For(n, func(i int) {
				if i == n-1 {
					panic("call failed")
				}
			})
			return nil
		}()
		if got != "call failed" {
			t.Errorf("For(%d): recovered %v, want the call's panic", n, got)
		}
	}
}
