package trials

import (
	"fmt"
	"reflect"
	"slices"

	"github.com/funnelsim/funnelsim/model"
)

// Merge checks that files are the shards of one run, whose trial ranges
// tile 0..N with no gap or overlap, and joins them: it returns the run
// (from trial 0, N trials) and its results as one run over every trial
// returns them, recalibrated where the run asked for it.
func Merge(files []*File) (*Run, []*model.Result, error) {
	if len(files) == 0 {
		return nil, nil, fmt.Errorf("trials: no files to merge")
	}
	files = slices.Clone(files)
	slices.SortStableFunc(files, func(a, b *File) int { return a.Run.FirstTrial - b.Run.FirstTrial })
	first := files[0]
	next := 0
	for i, f := range files {
		if err := sameRun(first, f); err != nil {
			return nil, nil, err
		}
		r := f.Run
		switch {
		case r.FirstTrial > next:
			return nil, nil, fmt.Errorf("trials %d to %d of %d are in no file: a shard is missing (the files hold %s)", next, r.FirstTrial-1, r.Trials, ranges(files))
		case r.FirstTrial < next:
			return nil, nil, fmt.Errorf("%s and %s both hold trials %d to %d: a shard is given twice or the shards overlap", files[i-1].Name, f.Name, r.FirstTrial, min(next, r.FirstTrial+r.Count)-1)
		}
		next += r.Count
	}
	if next < first.Run.Trials {
		return nil, nil, fmt.Errorf("trials %d to %d of %d are in no file: a shard is missing (the files hold %s)", next, first.Run.Trials-1, first.Run.Trials, ranges(files))
	}
	run := *first.Run
	run.FirstTrial, run.Count = 0, run.Trials
	results := make([]*model.Result, len(run.Results))
	for j := range results {
		parts := make([]*model.Result, len(files))
		for i, f := range files {
			parts[i] = f.Results[j]
		}
		r, err := model.Join(parts, run.Recalibration)
		if err != nil {
			return nil, nil, err
		}
		results[j] = r
		for _, f := range files { // let the parts go as soon as they are joined
			f.Results[j] = nil
		}
	}
	return &run, results, nil
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
	case x.Scenarios != y.Scenarios:
		return fmt.Errorf("%s and %s are not shards of one run: their scenario files differ", a.Name, b.Name)
	case !reflect.DeepEqual(x.Results, y.Results) || !reflect.DeepEqual(x.Notes, y.Notes):
		return fmt.Errorf("%s and %s are not shards of one run: their results differ", a.Name, b.Name)
	case !reflect.DeepEqual(x.Recalibration, y.Recalibration):
		return fmt.Errorf("%s and %s are not shards of one run: their recalibrations differ", a.Name, b.Name)
	}
	return nil
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
