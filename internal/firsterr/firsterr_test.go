package firsterr

import (
	"errors"
	"testing"
)

type failAfter struct{ n int }

func (f *failAfter) Write(p []byte) (int, error) {
	if f.n == 0 {
		return 0, errors.New("full")
	}
	f.n--
	return len(p), nil
}

// TestWriter checks that the first error is kept and nothing is written
// after it.
func TestWriter(t *testing.T) {
	under := &failAfter{n: 1}
	w := &Writer{W: under}
	w.Write([]byte("a"))
	if w.Err != nil {
		t.Fatalf("first write: %v", w.Err)
	}
	w.Write([]byte("b"))
	under.n = 5 // it would take writes again
	if n, err := w.Write([]byte("c")); n != 0 || err == nil || w.Err == nil || w.Err.Error() != "full" {
		t.Errorf("after the failure: %d, %v, kept %v", n, err, w.Err)
	}
}
