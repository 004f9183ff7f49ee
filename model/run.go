package model

import (
	"context"
	"errors"
	"fmt"
	"runtime"
	"sync"
	"sync/atomic"
)

// Options control a Run. The zero value of each field means its default.
type Options struct {
	// Trials is the number of Monte Carlo trials (default 10,000).
	Trials int
	// Weeks is the horizon in weeks (default the model's horizon_weeks).
	Weeks int
	// Seed keys every random stream. Equal seeds give equal results.
	Seed uint64
	// Workers is the number of goroutines (default GOMAXPROCS). It never
	// changes the result.
	Workers int
	// FixedParams uses posterior means instead of a parameter draw per
	// trial, leaving only process noise.
	FixedParams bool
	// Progress, if set, is called from Run's goroutine with the number of
	// trials done, at most once per chunk.
	Progress func(done, total int)
}

// Limits that keep a run from exhausting memory.
const (
	DefaultTrials = 10000
	MaxTrials     = 50_000_000
	MaxWeeks      = 520
	// maxRunBytes bounds what a Result may hold (per-trial metrics and
	// weekly paths).
	maxRunBytes = 8 << 30
)

// chunkSize trials are handed to a worker at a time; chunk boundaries
// never affect the result.
const chunkSize = 256

// Run simulates m forward and returns per-trial totals and weekly
// cumulative revenue and wins. Cancelling ctx stops the workers within a
// trial and returns ctx's error.
func Run(ctx context.Context, m *Model, opts *Options) (*Result, error) {
	o := Options{}
	if opts != nil {
		o = *opts
	}
	if err := o.fill(m); err != nil {
		return nil, err
	}
	p, err := compile(m)
	if err != nil {
		return nil, fmt.Errorf("model %q: %w", m.Name, err)
	}
	res := newResult(p, &o)
	if err := runTrials(ctx, p, &o, res); err != nil {
		return nil, err
	}
	res.addWarnings()
	return res, nil
}

func (o *Options) fill(m *Model) error {
	if o.Trials == 0 {
		o.Trials = DefaultTrials
	}
	if o.Weeks == 0 {
		o.Weeks = m.HorizonWeeks
	}
	if o.Workers == 0 {
		o.Workers = runtime.GOMAXPROCS(0)
	}
	switch {
	case o.Trials < 1 || o.Trials > MaxTrials:
		return fmt.Errorf("trials must be in 1..%d (got %d)", MaxTrials, o.Trials)
	case o.Weeks < 1 || o.Weeks > MaxWeeks:
		return fmt.Errorf("weeks must be in 1..%d (got %d)", MaxWeeks, o.Weeks)
	case o.Workers < 1:
		return fmt.Errorf("workers must be at least 1 (got %d)", o.Workers)
	}
	if b := resultBytes(len(m.Stages), o.Trials, o.Weeks); b > maxRunBytes {
		return fmt.Errorf("%d trials over %d weeks need about %d MiB of results, more than the %d MiB limit; use fewer trials or weeks", o.Trials, o.Weeks, b>>20, maxRunBytes>>20)
	}
	return nil
}

func resultBytes(stages, trials, weeks int) int64 {
	perTrial := int64(stages+16) + 2*int64(weeks)
	return 8 * perTrial * int64(trials)
}

func runTrials(ctx context.Context, p *plan, o *Options, res *Result) error {
	chunks := (o.Trials + chunkSize - 1) / chunkSize
	workers := min(o.Workers, chunks)
	var next atomic.Int64
	done := make(chan int, chunks)
	var wg sync.WaitGroup
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			w := newWorker(p)
			for {
				k := int(next.Add(1) - 1)
				if k >= chunks {
					return
				}
				lo, hi := k*chunkSize, min((k+1)*chunkSize, o.Trials)
				for i := lo; i < hi; i++ {
					if ctx.Err() != nil {
						return
					}
					w.trial(o.Seed, uint64(i), o.Weeks, o.FixedParams)
					res.store(p, w, i)
				}
				done <- hi - lo
			}
		}()
	}
	go func() { wg.Wait(); close(done) }()
	finished := 0
	for n := range done {
		finished += n
		if o.Progress != nil {
			o.Progress(finished, o.Trials)
		}
	}
	if err := ctx.Err(); err != nil && finished < o.Trials {
		return fmt.Errorf("run cancelled after %d of %d trials: %w", finished, o.Trials, context.Cause(ctx))
	}
	if finished < o.Trials {
		return errors.New("model: workers stopped early")
	}
	return nil
}
