package model

import (
	"errors"
	"fmt"
	"slices"
)

// Columns holds the per-trial values of a Result kept outside memory: a
// merge of millions of trials from many shards would not fit. Column c
// is, for c < len(Metrics), metric c; then the cumulative revenue at the
// end of each week; then the cumulative wins. Each column holds one value
// per trial, in trial order.
type Columns interface {
	// ReadColumn fills v, of one value per trial, with column c.
	ReadColumn(c int, v []float64) error
	// WriteColumn replaces column c with v.
	WriteColumn(c int, v []float64) error
}

// ColumnError is the panic value of a Result whose Columns failed to read
// or write; the error is in Err. A command that works from stored columns
// recovers it (RecoverColumnError) and reports the error.
type ColumnError struct{ Err error }

func (e *ColumnError) Error() string { return "reading the trials: " + e.Err.Error() }
func (e *ColumnError) Unwrap() error { return e.Err }

// RecoverColumnError, deferred, turns the panic of a failed column read
// into *err; any other panic goes on.
func RecoverColumnError(err *error) {
	if p := recover(); p != nil {
		ce, ok := p.(*ColumnError)
		if !ok {
			panic(p)
		}
		*err = ce
	}
}

// Stored returns a result whose per-trial values are in cols instead of
// its Values, CumRevenue and CumWins (which stay nil); h gives everything
// else. Its methods read each column when they need it, so that no more
// than a few columns are in memory at once. rc, if set, recalibrates the
// stored totals as Options.Recalibration does (rewriting cols).
func Stored(h *Result, cols Columns, rc *Recalibration) (r *Result, err error) {
	if h.Trials < 1 || h.Weeks < 1 {
		return nil, errors.New("model: a stored result needs trials and weeks")
	}
	r = &Result{}
	*r = *h // a header: no per-trial values
	r.Values, r.CumRevenue, r.CumWins, r.cols = nil, nil, nil, cols
	defer RecoverColumnError(&err)
	if rc != nil {
		if err := rc.apply(r); err != nil {
			return nil, err
		}
	}
	r.addWarnings()
	return r, nil
}

// Load reads a stored result's columns into memory: the result it returns
// has Values, CumRevenue and CumWins, as Run's.
func (r *Result) Load() (out *Result, err error) {
	if r.cols == nil {
		return r, nil
	}
	defer RecoverColumnError(&err)
	out = &Result{}
	*out = *r
	out.cols = nil
	out.Warnings = slices.Clone(r.Warnings)
	out.Values = make([][]float64, len(r.Metrics))
	for k := range out.Values {
		out.Values[k] = r.Column(k)
	}
	out.CumRevenue = make([]float64, r.Trials*r.Weeks)
	out.CumWins = make([]float64, r.Trials*r.Weeks)
	rev, wins := make([]float64, r.Trials), make([]float64, r.Trials)
	for w := range r.Weeks {
		r.weekColumns(w, rev, wins)
		for i := range r.Trials {
			out.CumRevenue[i*r.Weeks+w], out.CumWins[i*r.Weeks+w] = rev[i], wins[i]
		}
	}
	return out, nil
}

// Column returns metric k's per-trial values: the result's own slice
// where it holds them, else a fresh one read from its Columns.
func (r *Result) Column(k int) []float64 {
	if r.cols == nil {
		return r.Values[k]
	}
	v := make([]float64, r.Trials)
	r.read(k, v)
	return v
}

// weekColumns fills rev and wins with every trial's cumulative revenue and
// wins at the end of week w.
func (r *Result) weekColumns(w int, rev, wins []float64) {
	if r.cols != nil {
		m := len(r.Metrics)
		r.read(m+w, rev)
		r.read(m+r.Weeks+w, wins)
		return
	}
	for i := range r.Trials {
		rev[i], wins[i] = r.CumRevenue[i*r.Weeks+w], r.CumWins[i*r.Weeks+w]
	}
}

// setColumn replaces metric k's values with v (a stored result writes
// them back).
func (r *Result) setColumn(k int, v []float64) {
	if r.cols == nil {
		copy(r.Values[k], v)
		return
	}
	r.write(k, v)
}

// scalePath applies f to each trial's cumulative revenue (wins false) or
// wins path, week by week: f(i, w, x) is trial i's new value for x at the
// end of week w.
func (r *Result) scalePath(wins bool, f func(i, w int, x float64) float64) {
	if r.cols == nil {
		path := r.CumRevenue
		if wins {
			path = r.CumWins
		}
		for i := range r.Trials {
			for w := range r.Weeks {
				path[i*r.Weeks+w] = f(i, w, path[i*r.Weeks+w])
			}
		}
		return
	}
	c := len(r.Metrics)
	if wins {
		c += r.Weeks
	}
	v := make([]float64, r.Trials)
	for w := range r.Weeks {
		r.read(c+w, v)
		for i := range v {
			v[i] = f(i, w, v[i])
		}
		r.write(c+w, v)
	}
}

func (r *Result) read(c int, v []float64) {
	if err := r.cols.ReadColumn(c, v); err != nil {
		panic(&ColumnError{fmt.Errorf("result %q, column %d: %w", r.Model, c, err)})
	}
}

func (r *Result) write(c int, v []float64) {
	if err := r.cols.WriteColumn(c, v); err != nil {
		panic(&ColumnError{fmt.Errorf("result %q, column %d: %w", r.Model, c, err)})
	}
}
