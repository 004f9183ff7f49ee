package main

import (
	"bytes"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/spf13/pflag"

	"github.com/funnelsim/funnelsim/internal/atomicfile"
	"github.com/funnelsim/funnelsim/model"
	"github.com/funnelsim/funnelsim/sample"
	"github.com/funnelsim/funnelsim/trials"
)

// shardFlags are --shard and --trials-out: a run split by trial range
// over several machines, and its trials written to Parquet.
type shardFlags struct {
	shard     string
	trialsOut string
	i, n      int // --shard's, set by check; n 0 without it
}

func (s *shardFlags) declare(fs *pflag.FlagSet) {
	fs.StringVar(&s.shard, "shard", "", "run shard I of N (I from 0 to N-1) of the trials and write them with --trials-out, for simulate merge")
	fs.StringVar(&s.trialsOut, "trials-out", "", "write every trial's metrics and weekly cumulative revenue and wins to FILE.parquet")
}

// check reads --shard and refuses a shard with no trials of the run's
// total, or with an output other than --trials-out: each of those needs
// every trial, so merge writes them.
func (s *shardFlags) check(fs *pflag.FlagSet, total int, outputs ...string) error {
	if s.trialsOut != "" && !strings.HasSuffix(s.trialsOut, ".parquet") {
		return usagef("--trials-out must name a .parquet file (got %q)", s.trialsOut)
	}
	if s.shard == "" {
		return nil
	}
	is, ns, ok := strings.Cut(s.shard, "/")
	i, err1 := strconv.Atoi(is)
	n, err2 := strconv.Atoi(ns)
	if !ok || err1 != nil || err2 != nil || n < 1 || i < 0 || i >= n {
		return usagef("--shard must be I/N with 0 <= I < N, such as 0/8 (got %q)", s.shard)
	}
	s.i, s.n = i, n
	if n > total {
		return usagef("--shard %s: %d shards of %d trials would leave some empty; use at most %d shards", s.shard, n, total, total)
	}
	if s.trialsOut == "" {
		return usagef("--shard needs --trials-out FILE.parquet: a shard's trials are merged with simulate merge")
	}
	for _, name := range outputs {
		if fs.Changed(name) {
			return usagef("--%s goes to simulate merge, which writes the outputs from every shard: a shard writes only --trials-out", name)
		}
	}
	return nil
}

// limit sets o to run the shard's trials, and returns the whole run's
// number. Where the trials are written, the recalibration is left to the
// merge (or to join), since it depends on every trial.
func (s *shardFlags) limit(o *model.Options) (total int) {
	total = o.Trials
	if total == 0 {
		total = model.DefaultTrials
	}
	if s.n > 0 {
		o.FirstTrial, o.Trials = trials.Shard(s.i, s.n, total)
	}
	if s.trialsOut != "" {
		o.Recalibration, o.Combine = nil, false
	}
	return total
}

// write writes rs, the trials of run, to --trials-out, and says so.
func (s *shardFlags) write(e *env, run *trials.Run, rs []*model.Result) error {
	err := atomicfile.Write(s.trialsOut, func(w io.Writer) error { return trials.Write(w, run, rs) })
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stderr, "wrote %s: trials %d to %d of %d\n", s.trialsOut, run.FirstTrial, run.FirstTrial+run.Count-1, run.Trials)
	return nil
}

// modelFile returns the bytes of the model --model names, or the embedded
// sample company's as a model file.
func (r *runFlags) modelFile() ([]byte, error) {
	if r.modelYAML != nil {
		return r.modelYAML, nil
	}
	var buf bytes.Buffer
	if err := sample.Model().Encode(&buf); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// saveTrials writes rs, the results of a run of r's model (or of run's
// Parts, a portfolio's) over total trials or a shard of them, to
// --trials-out, where it is given, with run's command and notes. It returns the results to write the command's
// outputs from, recalibrated as --recalibration asks, or nil for a shard:
// a shard writes only its trials.
func saveTrials(e *env, r *runFlags, s *shardFlags, run *trials.Run, rs []*model.Result, total int) ([]*model.Result, error) {
	if s.trialsOut == "" {
		return rs, nil
	}
	var yaml []byte
	var parts [][]byte
	for _, p := range run.Parts {
		parts = append(parts, []byte(p))
	}
	if parts == nil {
		var err error
		if yaml, err = r.modelFile(); err != nil {
			return nil, err
		}
	}
	full, err := trials.NewRun(run.Command, version(), yaml, parts, rs, total)
	if err != nil {
		return nil, err
	}
	full.Scenarios, full.Notes, full.Recalibration = run.Scenarios, run.Notes, r.rc
	full.Combine = r.combine && !r.raw && r.rc == nil && run.Parts == nil
	full.Build, full.Inputs = buildID(), run.Inputs
	full.Lever, full.Values, full.Lever2, full.Values2, full.Range = run.Lever, run.Values, run.Lever2, run.Values2, run.Range
	if err := s.write(e, full, rs); err != nil {
		return nil, err
	}
	if s.n > 0 {
		return nil, nil
	}
	if full.Combine {
		r.m.TrackRecord.Combine(rs) // the trials written are the model's own
		return rs, nil
	}
	if r.rc == nil || run.Parts != nil { // a portfolio's applies to its total
		return rs, nil
	}
	out := make([]*model.Result, len(rs))
	for i, x := range rs {
		if out[i], err = model.Join([]*model.Result{x}, r.rc); err != nil {
			return nil, err
		}
	}
	return out, nil
}
