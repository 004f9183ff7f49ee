package trials

import (
	"encoding/binary"
	"fmt"
	"math"
	"os"
)

// spill holds a merged run's columns in a temporary file, column after
// column, each a value per trial (float64, little-endian): result j's
// column c is at value (j·perResult + c)·trials.
type spill struct {
	f         *os.File
	trials    int
	perResult int
	removed   bool // the file was unlinked when made
}

func newSpill(dir string, results, perResult, trials int) (*spill, error) {
	f, err := os.CreateTemp(dir, "funnelsim-merge-*.bin")
	if err != nil {
		return nil, fmt.Errorf("trials: the merge's working file: %w", err)
	}
	// The file is unlinked at once where the system allows it (Unix): it
	// lives while it is open and goes with the process however that
	// ends, interrupted, killed or crashed, leaving nothing in the temp
	// folder. Elsewhere close removes it.
	removed := os.Remove(f.Name()) == nil
	size := int64(results) * int64(perResult) * int64(trials) * 8
	if err := f.Truncate(size); err != nil {
		f.Close()
		if !removed {
			os.Remove(f.Name())
		}
		return nil, fmt.Errorf("trials: the merge's working file (%d MiB): %w", size>>20, err)
	}
	return &spill{f: f, trials: trials, perResult: perResult, removed: removed}, nil
}

func (s *spill) close() error {
	err := s.f.Close()
	if s.removed {
		return err
	}
	if rerr := os.Remove(s.f.Name()); err == nil {
		err = rerr
	}
	return err
}

func (s *spill) offset(j, c, trial int) int64 {
	return ((int64(j)*int64(s.perResult)+int64(c))*int64(s.trials) + int64(trial)) * 8
}

// chunk is how many values a read or write moves at a time.
const chunk = 64 << 10

// write writes v as result j's column c from trial on.
func (s *spill) write(j, c, trial int, v []float64) error {
	buf := make([]byte, 8*min(len(v), chunk))
	for len(v) > 0 {
		n := min(len(v), chunk)
		for i, x := range v[:n] {
			binary.LittleEndian.PutUint64(buf[8*i:], math.Float64bits(x))
		}
		if _, err := s.f.WriteAt(buf[:8*n], s.offset(j, c, trial)); err != nil {
			return err
		}
		v, trial = v[n:], trial+n
	}
	return nil
}

// read fills v with result j's column c from trial 0.
func (s *spill) read(j, c int, v []float64) error {
	if len(v) != s.trials {
		return fmt.Errorf("%d values for %d trials", len(v), s.trials)
	}
	buf := make([]byte, 8*min(len(v), chunk))
	for at := 0; at < len(v); {
		n := min(len(v)-at, chunk)
		if _, err := s.f.ReadAt(buf[:8*n], s.offset(j, c, at)); err != nil {
			return err
		}
		for i := range n {
			v[at+i] = math.Float64frombits(binary.LittleEndian.Uint64(buf[8*i:]))
		}
		at += n
	}
	return nil
}

// spillColumns are result j's columns in s, as model.Stored reads them.
type spillColumns struct {
	s *spill
	j int
}

func (c spillColumns) ReadColumn(k int, v []float64) error  { return c.s.read(c.j, k, v) }
func (c spillColumns) WriteColumn(k int, v []float64) error { return c.s.write(c.j, k, 0, v) }
