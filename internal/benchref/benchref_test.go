package benchref

import "testing"

// TestRun checks that the workload is a funnel whose leads reach the end
// (about 16 wins a trial), and the same for the same seed.
func TestRun(t *testing.T) {
	a, b := Run(200, 1), Run(200, 1)
	if a != b {
		t.Fatalf("the same seed gave %v and %v wins a trial", a, b)
	}
	if !(a > 5 && a < 50) {
		t.Fatalf("%v wins a trial, want about 16", a)
	}
}
