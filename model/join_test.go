package model_test

import (
	"context"
	"reflect"
	"strings"
	"testing"

	"github.com/funnelsim/funnelsim/model"
	"github.com/funnelsim/funnelsim/sample"
)

// TestJoinEqualsOneRun runs the sample company's trials in parts of
// several sizes, in any order, and checks the joined result is the one run
// over every trial: the same values, weekly paths and warnings.
func TestJoinEqualsOneRun(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the sample in 1, 2, 3 and 7 parts; make test runs it without the race detector")
	}
	m := sample.Model()
	const trials = 700
	whole := run(t, m, model.Options{Trials: trials, Weeks: 8, Seed: 11, Workers: 2})
	for _, n := range []int{1, 2, 3, 7} {
		var parts []*model.Result
		for i := n - 1; i >= 0; i-- { // last part first: order must not matter
			lo, hi := i*trials/n, (i+1)*trials/n
			parts = append(parts, run(t, m, model.Options{Trials: hi - lo, FirstTrial: lo, Weeks: 8, Seed: 11, Workers: 1 + i%2}))
		}
		got, err := model.Join(parts, nil)
		if err != nil {
			t.Fatalf("%d parts: %v", n, err)
		}
		if !reflect.DeepEqual(got, whole) {
			t.Errorf("%d parts: the joined result differs from one run's", n)
		}
	}
}

// TestJoinRefuses checks that parts with a gap, an overlap or of another
// run are not joined, and that the error says which.
func TestJoinRefuses(t *testing.T) {
	m := sample.Model()
	part := func(first, n int, seed uint64) *model.Result {
		return run(t, m, model.Options{Trials: n, FirstTrial: first, Weeks: 4, Seed: seed})
	}
	for _, c := range []struct {
		name  string
		parts []*model.Result
		want  string
	}{
		{"gap", []*model.Result{part(0, 50, 1), part(60, 40, 1)}, "trials 50 to 59 are missing"},
		{"overlap", []*model.Result{part(0, 50, 1), part(40, 40, 1)}, "trials 40 to 49 are in two parts"},
		{"no start", []*model.Result{part(10, 50, 1)}, "trials 0 to 9 are missing"},
		{"seeds", []*model.Result{part(0, 50, 1), part(50, 50, 2)}, "seed 1 and 2"},
	} {
		_, err := model.Join(c.parts, nil)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: got %v, want an error saying %q", c.name, err, c.want)
		}
	}
}

func TestFirstTrialRefusesRecalibration(t *testing.T) {
	rc := &model.Recalibration{HorizonWeeks: 4}
	_, err := model.Run(context.Background(), sample.Model(), model.Options{Trials: 10, FirstTrial: 10, Weeks: 4, Recalibration: rc})
	if err == nil || !strings.Contains(err.Error(), "Join") {
		t.Errorf("got %v, want a run from trial 10 with a recalibration refused", err)
	}
}
