package trials

import (
	"context"
	"fmt"
	"reflect"
	"slices"

	"github.com/funnelsim/funnelsim/model"
)

// Merged is a run merged from its shards: its results hold their trials
// in a temporary file (model.Stored), removed by Close.
type Merged struct {
	Run     *Run
	Results []*model.Result
	sp      *spill
}

// Close removes the merge's temporary file; the results can no longer be
// read.
func (m *Merged) Close() error { return m.sp.close() }

// Merge checks that files are the shards of one run, whose trial ranges
// tile 0..N with no gap or overlap, and joins them into the run (from
// trial 0, N trials) and its results, recalibrated where the run asked for
// it: what one run over every trial returns. The trials are copied, a
// column at a time, into a temporary file in dir (os.TempDir() if dir is
// ""), about 8 bytes per value, so that memory holds only the few columns
// a summary needs at once.
// Cancelling ctx stops it between row groups, with ctx's error.
func Merge(ctx context.Context, files []*File, dir string) (m *Merged, err error) {
	if len(files) == 0 {
		return nil, fmt.Errorf("trials: no files to merge")
	}
	files = slices.Clone(files)
	slices.SortStableFunc(files, func(a, b *File) int { return a.Run.FirstTrial - b.Run.FirstTrial })
	if err := tiles(files); err != nil {
		return nil, err
	}
	run := *files[0].Run
	run.FirstTrial, run.Count = 0, run.Trials
	perResult := len(run.Results[0].Metrics) + 2*run.Weeks
	sp, err := newSpill(dir, len(run.Results), perResult, run.Trials)
	if err != nil {
		return nil, err
	}
	defer func() {
		if err != nil {
			sp.close()
		}
	}()
	for _, f := range files {
		if err := f.copyTo(ctx, sp); err != nil {
			return nil, fmt.Errorf("%s: %w", f.Name, err)
		}
	}
	m = &Merged{Run: &run, sp: sp}
	rc := run.Recalibration
	if run.Parts != nil {
		rc = nil // a portfolio's is the total's
	}
	for j, h := range run.Results {
		head := &model.Result{Model: h.Name, Currency: h.Currency, Start: h.Start, Trials: run.Trials, Weeks: run.Weeks,
			Seed: h.Seed, FixedParams: run.FixedParams, Metrics: h.Metrics, TrackRecord: h.TrackRecord}
		r, err := model.Stored(head, spillColumns{sp, j}, rc)
		if err != nil {
			return nil, err
		}
		m.Results = append(m.Results, r)
	}
	return m, nil
}

// tiles checks that files, in order of their first trial, are shards of
// one run that hold each of its trials once.
func tiles(files []*File) error {
	first := files[0]
	next := 0
	for i, f := range files {
		if err := sameRun(first, f); err != nil {
			return err
		}
		r := f.Run
		switch {
		case r.FirstTrial > next:
			return fmt.Errorf("trials %d to %d of %d are in no file: a shard is missing (the files hold %s)", next, r.FirstTrial-1, r.Trials, ranges(files))
		case r.FirstTrial < next:
			return fmt.Errorf("%s and %s both hold trials %d to %d: a shard is given twice or the shards overlap", files[i-1].Name, f.Name, r.FirstTrial, min(next, r.FirstTrial+r.Count)-1)
		}
		next += r.Count
	}
	if next < first.Run.Trials {
		return fmt.Errorf("trials %d to %d of %d are in no file: a shard is missing (the files hold %s)", next, first.Run.Trials-1, first.Run.Trials, ranges(files))
	}
	return nil
}

// sameRun returns an error naming both files unless b is a shard of a's
// run.
func sameRun(a, b *File) error {
	x, y := a.Run, b.Run
	differ := func(what string, u, v any) error {
		return fmt.Errorf("%s and %s are not shards of one run: %s %v and %v", a.Name, b.Name, what, u, v)
	}
	switch {
	case x.Command != y.Command:
		return differ("command", x.Command, y.Command)
	case x.ModelSHA256 != y.ModelSHA256:
		return differ("model (sha256)", x.ModelSHA256[:12], y.ModelSHA256[:12])
	case x.Seed != y.Seed:
		return differ("seed", x.Seed, y.Seed)
	case x.Weeks != y.Weeks:
		return differ("weeks", x.Weeks, y.Weeks)
	case x.Trials != y.Trials:
		return differ("trials", x.Trials, y.Trials)
	case x.FixedParams != y.FixedParams:
		return differ("fixed parameters", x.FixedParams, y.FixedParams)
	case x.Version != y.Version:
		return differ("software version", x.Version, y.Version)
	case x.Build != y.Build:
		return fmt.Errorf("%s and %s are not shards of one run: they were written by different builds of the program (%s and %s), which may draw different numbers; run every shard with the same executable", a.Name, b.Name, orNone(x.Build), orNone(y.Build))
	case x.Inputs != y.Inputs:
		return fmt.Errorf("%s and %s are not shards of one run: they read different input files (--history or its reading flags; sha256 %s and %s)", a.Name, b.Name, short(x.Inputs), short(y.Inputs))
	case x.Lever != y.Lever || !slices.Equal(x.Values, y.Values) || x.Lever2 != y.Lever2 || !slices.Equal(x.Values2, y.Values2) || !slices.Equal(x.Range, y.Range):
		return fmt.Errorf("%s and %s are not shards of one run: their levers differ", a.Name, b.Name)
	case !slices.Equal(x.Parts, y.Parts):
		return fmt.Errorf("%s and %s are not shards of one run: their models differ", a.Name, b.Name)
	case x.Scenarios != y.Scenarios:
		return fmt.Errorf("%s and %s are not shards of one run: their scenario files differ", a.Name, b.Name)
	case !reflect.DeepEqual(x.Results, y.Results) || !reflect.DeepEqual(x.Notes, y.Notes):
		return fmt.Errorf("%s and %s are not shards of one run: their results differ", a.Name, b.Name)
	case !reflect.DeepEqual(x.Recalibration, y.Recalibration):
		return fmt.Errorf("%s and %s are not shards of one run: their recalibrations differ", a.Name, b.Name)
	case x.Combine != y.Combine:
		return fmt.Errorf("%s and %s are not shards of one run: one combines its totals with the track record's baselines and the other does not (--raw)", a.Name, b.Name)
	}
	return nil
}

// orNone is s, or "none recorded" for an empty one.
func orNone(s string) string {
	if s == "" {
		return "none recorded"
	}
	return s
}

// short is the first 12 characters of a hash, or "none".
func short(h string) string {
	if h == "" {
		return "none"
	}
	return h[:min(12, len(h))]
}

// ranges lists the files' trial ranges, for an error.
func ranges(files []*File) string {
	s := ""
	for i, f := range files {
		if i > 0 {
			s += ", "
		}
		s += fmt.Sprintf("%s: %d to %d", f.Name, f.Run.FirstTrial, f.Run.FirstTrial+f.Run.Count-1)
	}
	return s
}
