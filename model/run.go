package model

import (
	"context"
	"errors"
	"fmt"
	"os"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
)

// Options control a Run. The zero value of each field means its default.
type Options struct {
	// Trials is the number of Monte Carlo trials (default 10,000).
	Trials int
	// FirstTrial is the index of the first trial run: the run is trials
	// FirstTrial to FirstTrial+Trials-1 of a larger one. Each trial's
	// random streams are keyed by its index, so runs over ranges that tile
	// 0..N give, once joined (Join), the result of one run of N trials.
	FirstTrial int
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
	// Recalibration, if set, maps every result's totals to calibrated
	// ones once the trials are done (see Recalibration). The map depends
	// on every trial, so a run over part of the trials leaves it to Join.
	Recalibration *Recalibration
	// Combine replaces the headline totals with their combination with
	// the baselines that forecast best on the model's own history (its
	// TrackRecord), where it has one for this horizon; Result.Combined
	// says what was done. In a run of several models the first is the
	// baseline and the others keep their paired differences from it. It
	// is ignored with a Recalibration, and, like one, needs every trial.
	Combine bool
	// ByChannel keeps each channel's leads, wins and revenue per trial in
	// Result.Channels, as simulated (not recalibrated): three numbers per
	// channel and trial more.
	ByChannel bool
	// Deals counts, for each open deal of the model's pipeline, the
	// trials in which it is won (Result.Deals), and the deals won in each
	// trial (Result.DealWins).
	Deals bool
	// By keeps each group's wins and revenue per trial (Result.Groups):
	// by "rep" (the model must name its reps, in Reps.Shares or the deals'
	// reps) or by one of the model's Segments; "" for none.
	By string
	// From is the first week (0 is the first) whose wins count in
	// Result.Channels' wins and revenue, Deals and Reps: a window from
	// From to the horizon's end, such as a quarter that starts later.
	From int
}

// Limits that keep a run from exhausting memory.
const (
	DefaultTrials = 10000
	MaxTrials     = 50_000_000
	MaxWeeks      = 520
)

// maxRunBytes is the bound on what a run's Results may hold (per-trial
// metrics and weekly paths), read once when first asked: half the memory
// this process may use (its cgroup's limit, else the machine's), or 8 GiB
// where neither can be read. A fixed 8 GiB let a run start on a machine
// of 4 and die an hour in.
var maxRunBytes = sync.OnceValue(func() int64 {
	if b, ok := memoryBytes(); ok {
		return b / 2
	}
	return 8 << 30
})

// memoryBytes is the memory this process may use: the cgroup v2 limit
// where one is set, else the machine's total (Linux).
func memoryBytes() (int64, bool) {
	if b, err := os.ReadFile("/sys/fs/cgroup/memory.max"); err == nil {
		if n, err := strconv.ParseInt(strings.TrimSpace(string(b)), 10, 64); err == nil && n > 0 {
			return n, true
		}
	}
	b, err := os.ReadFile("/proc/meminfo")
	if err != nil {
		return 0, false
	}
	for _, line := range strings.Split(string(b), "\n") {
		if rest, ok := strings.CutPrefix(line, "MemTotal:"); ok {
			kb, err := strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(rest), " kB"), 10, 64)
			if err == nil && kb > 0 {
				return kb << 10, true
			}
		}
	}
	return 0, false
}

// chunkSize trials are handed to a worker at a time; chunk boundaries
// never affect the result.
const chunkSize = 256

// Run simulates m forward and returns per-trial totals and weekly
// cumulative revenue and wins. Cancelling ctx stops the workers within a
// trial and returns ctx's error.
func Run(ctx context.Context, m *Model, o Options) (*Result, error) {
	rs, err := RunAll(ctx, []*Model{m}, o)
	if err != nil {
		return nil, err
	}
	return rs[0], nil
}

// RunAll runs several models on the same trials, as Run runs each: trial i
// of every model uses the same random streams, so the results differ only
// where the models do (common random numbers), and RunAll's results equal
// separate Runs'. It is faster than separate Runs: the models go through
// the trials together, and those whose parameters come from the same
// posteriors (a model and its scenarios, which change it only from given
// weeks) share each trial's parameter draw.
func RunAll(ctx context.Context, models []*Model, o Options) ([]*Result, error) {
	if len(models) == 0 {
		return nil, errors.New("model: no models to run")
	}
	if o.Weeks == 0 {
		o.Weeks = models[0].HorizonWeeks
		for _, m := range models[1:] {
			if m.HorizonWeeks != o.Weeks {
				return nil, fmt.Errorf("model %q: horizon_weeks %d differs from model %q's %d; give the weeks", m.Name, m.HorizonWeeks, models[0].Name, o.Weeks)
			}
		}
	}
	if err := o.fill(models[0], len(models)); err != nil {
		return nil, err
	}
	plans := make([]*plan, len(models))
	res := make([]*Result, len(models))
	for j, m := range models {
		p, err := compile(m)
		if err != nil {
			return nil, fmt.Errorf("model %q: %w", m.Name, err)
		}
		p.track = tracking{deals: o.Deals, groups: o.By != "", from: o.From}
		p.setGroups(o.By)
		plans[j], res[j] = p, newResult(p, &o)
	}
	if err := runTrials(ctx, plans, &o, res); err != nil {
		return nil, err
	}
	for _, r := range res {
		r.finishTrack()
		if rc := o.Recalibration; rc != nil {
			if err := rc.apply(r); err != nil {
				return nil, err
			}
		}
		r.addWarnings()
	}
	lines := models[0].TrackRecord.Lines(o.Weeks)
	for _, r := range res {
		r.TrackRecord = lines
	}
	if o.Combine && o.Recalibration == nil {
		models[0].TrackRecord.Combine(res)
	}
	return res, nil
}

// fill sets the defaults of o for runs of models like m, and checks them.
func (o *Options) fill(m *Model, models int) error {
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
	case o.FirstTrial < 0 || o.FirstTrial > MaxTrials-o.Trials:
		return fmt.Errorf("the first trial must be in 0..%d for %d trials (got %d)", MaxTrials-o.Trials, o.Trials, o.FirstTrial)
	case o.FirstTrial > 0 && o.Combine:
		return errors.New("a run from a first trial other than 0 is part of a larger one: combine when the parts are joined")
	case o.FirstTrial > 0 && o.Recalibration != nil:
		return errors.New("a run from a first trial other than 0 is part of a larger one: recalibrate when the parts are joined (Join)")
	case o.Weeks < 1 || o.Weeks > MaxWeeks:
		return fmt.Errorf("weeks must be in 1..%d (got %d)", MaxWeeks, o.Weeks)
	case o.Workers < 1:
		return fmt.Errorf("workers must be at least 1 (got %d)", o.Workers)
	case o.From < 0 || o.From >= o.Weeks:
		return fmt.Errorf("the first week counted must be in 0..%d (got %d)", o.Weeks-1, o.From)
	case o.By == "rep" && len(m.Reps.Shares) == 0 && !slices.ContainsFunc(m.Pipeline.Deals, func(d OpenDeal) bool { return d.Rep != "" }):
		return errors.New("the model names no reps (reps.shares, or the pipeline's deals' reps): calibrate it from a history with a rep column")
	case o.By != "" && o.By != "rep" && m.segment(o.By) == nil:
		return fmt.Errorf("the model has no segment %q; it has %s", o.By, m.segmentNames())
	case o.Recalibration != nil && o.Recalibration.HorizonWeeks != o.Weeks:
		return fmt.Errorf("the recalibration was learned on %d-week forecasts; this one is %d weeks", o.Recalibration.HorizonWeeks, o.Weeks)
	}
	if b := int64(models) * resultBytes(len(m.Stages), o.Trials, o.Weeks); b > maxRunBytes() {
		return fmt.Errorf("%d trials over %d weeks need about %d MiB of results, more than the %d MiB limit (half the memory here); use fewer trials or weeks, or shard the run (docs/SCALE.md)", o.Trials, o.Weeks, b>>20, maxRunBytes()>>20)
	}
	return nil
}

func resultBytes(stages, trials, weeks int) int64 {
	perTrial := int64(stages+16) + 2*int64(weeks)
	return 8 * perTrial * int64(trials)
}

// runTrials runs every plan's trials: each worker takes a chunk of trials
// and runs each trial for every plan in turn. A plan with an earlier
// plan's posterior (posterior.equal) reuses that plan's draw of the
// trial, and replays its marketing stages where they do the same
// (sharedMarketing).
func runTrials(parent context.Context, plans []*plan, o *Options, res []*Result) error {
	newWorkers := team(plans, o.Weeks)
	chunks := (o.Trials + chunkSize - 1) / chunkSize
	workers := min(o.Workers, chunks)
	// A worker that panics stops the others and its panic is returned as
	// an error naming the trial: a library caller is never killed.
	ctx, stop := context.WithCancel(parent)
	defer stop()
	var crash atomic.Pointer[error]
	var next atomic.Int64
	done := make(chan int, chunks)
	var wg sync.WaitGroup
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			trial := -1
			defer func() {
				if r := recover(); r != nil {
					err := fmt.Errorf("model: trial %d: %v", trial, r)
					crash.CompareAndSwap(nil, &err)
					stop()
				}
			}()
			ws, leader := newWorkers()
			for {
				k := int(next.Add(1) - 1)
				if k >= chunks {
					return
				}
				lo, hi := k*chunkSize, min((k+1)*chunkSize, o.Trials)
				for i := lo; i < hi; i++ {
					trial = o.FirstTrial + i
					if ctx.Err() != nil {
						return
					}
					for j, w := range ws {
						w.trial(o.Seed, uint64(o.FirstTrial+i), o.Weeks, o.FixedParams, leader[j])
						res[j].store(plans[j], w, i)
					}
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
	if err := crash.Load(); err != nil {
		return *err
	}
	if err := parent.Err(); err != nil && finished < o.Trials {
		return fmt.Errorf("run cancelled after %d of %d trials: %w", finished, o.Trials, context.Cause(parent))
	}
	if finished < o.Trials {
		return errors.New("model: workers stopped early")
	}
	return nil
}

// team works out once which plans share what and returns a function that
// makes a goroutine's workers, one per plan, with each one's lead: the
// worker of the first plan with the same posterior (posterior.equal), nil
// for that first one. A lead keeps a log of its marketing stages when another
// shares any of them (sharedMarketing).
func team(plans []*plan, weeks int) func() (ws, lead []*worker) {
	leader := make([]int, len(plans))
	for j := range plans {
		leader[j] = j
		for i := range j {
			if leader[i] == i && plans[i].posterior.equal(&plans[j].posterior) {
				leader[j] = i
				break
			}
		}
	}
	share, deals := make([][]bool, len(plans)), make([][]bool, len(plans))
	logs := make([]bool, len(plans))
	for j, l := range leader {
		if l != j {
			share[j] = plans[l].sharedMarketing(plans[j], weeks)
			deals[j] = plans[l].sharedDeals(plans[j], weeks)
			logs[l] = logs[l] || share[j] != nil
		}
	}
	return func() (ws, lead []*worker) {
		ws, lead = make([]*worker, len(plans)), make([]*worker, len(plans))
		for j, p := range plans {
			ws[j] = newWorker(p)
			ws[j].setShares(share[j], deals[j])
			if logs[j] {
				ws[j].log = new(marketingLog)
			}
			if l := leader[j]; l != j {
				lead[j] = ws[l]
			}
		}
		return ws, lead
	}
}
