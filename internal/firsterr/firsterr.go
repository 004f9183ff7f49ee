// Package firsterr is a writer that keeps the first error of its writes
// and writes nothing after it, so that a printer of many lines checks
// for an error once, at the end.
package firsterr

import "io"

// Writer writes to W until a write fails; Err is that first error.
type Writer struct {
	W   io.Writer
	Err error
}

func (f *Writer) Write(p []byte) (int, error) {
	if f.Err != nil {
		return 0, f.Err
	}
	n, err := f.W.Write(p)
	f.Err = err
	return n, err
}
