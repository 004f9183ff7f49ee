package trials_test

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"os"
	"reflect"
	"strings"
	"testing"

	"github.com/parquet-go/parquet-go"

	"github.com/funnelsim/funnelsim/model"
	"github.com/funnelsim/funnelsim/sample"
	"github.com/funnelsim/funnelsim/trials"
)

var modelYAML = []byte("stand-in for the model file\n")

// shard runs shard i of n of a run of total trials and returns its file,
// written and read back.
func shard(t *testing.T, models []*model.Model, i, n, total int, seed uint64) *trials.File {
	t.Helper()
	first, count := trials.Shard(i, n, total)
	b := written(t, "compare", models, model.Options{Trials: count, FirstTrial: first, Weeks: 6, Seed: seed, Workers: 1 + i%2}, total)
	f, err := trials.Read(fmt.Sprintf("shard-%d.parquet", i), bytes.NewReader(b), int64(len(b)))
	if err != nil {
		t.Fatal(err)
	}
	return f
}

// written runs models with o, as a shard of total trials of a run of
// command, and returns its trials file.
func written(tb testing.TB, command string, models []*model.Model, o model.Options, total int) []byte {
	tb.Helper()
	rs, err := model.RunAll(context.Background(), models, o)
	if err != nil {
		tb.Fatal(err)
	}
	run, err := trials.NewRun(command, "test", modelYAML, nil, rs, total)
	if err != nil {
		tb.Fatal(err)
	}
	var buf bytes.Buffer
	if err := trials.Write(&buf, run, rs); err != nil {
		tb.Fatal(err)
	}
	return buf.Bytes()
}

func twoModels() []*model.Model {
	base, more := sample.Model(), sample.Model()
	more.Name = "more leads"
	for i := range more.Channels {
		more.Channels[i].WeeklyLeads *= 1.2
	}
	return []*model.Model{base, more}
}

// TestMergeEqualsOneRun writes the shards of a two-model run to Parquet,
// reads them back and merges them: the results are those of one run over
// every trial, for 1, 2, 3 and 7 shards and two seeds.
func TestMergeEqualsOneRun(t *testing.T) {
	models := twoModels()
	const total = 600
	seeds, counts := []uint64{3, 8}, []int{1, 2, 3, 7}
	if testing.Short() { // under the race detector: the merge's concurrent reads, once
		seeds, counts = seeds[:1], []int{3}
	}
	for _, seed := range seeds {
		whole, err := model.RunAll(context.Background(), models, model.Options{Trials: total, Weeks: 6, Seed: seed})
		if err != nil {
			t.Fatal(err)
		}
		for _, n := range counts {
			var files []*trials.File
			for i := range n {
				files = append(files, shard(t, models, i, n, total, seed))
			}
			m, err := trials.Merge(context.Background(), files, t.TempDir())
			if err != nil {
				t.Fatalf("seed %d, %d shards: %v", seed, n, err)
			}
			if m.Run.FirstTrial != 0 || m.Run.Count != total {
				t.Errorf("seed %d, %d shards: merged run holds %d from %d", seed, n, m.Run.Count, m.Run.FirstTrial)
			}
			for j, r := range m.Results {
				got, err := r.Load()
				if err != nil {
					t.Fatal(err)
				}
				if !reflect.DeepEqual(got, whole[j]) {
					t.Errorf("seed %d, %d shards: merged result %q differs from one run's", seed, n, r.Model)
				}
				// The summaries read the stored columns on several goroutines.
				if fmt.Sprint(r.Summaries(), r.WeeklySummaries()) != fmt.Sprint(whole[j].Summaries(), whole[j].WeeklySummaries()) {
					t.Errorf("seed %d, %d shards: merged result %q summarises differently", seed, n, r.Model)
				}
			}
			if err := m.Close(); err != nil {
				t.Error(err)
			}
		}
	}
}

// with returns f with its run edited by edit.
func with(f *trials.File, edit func(*trials.Run)) *trials.File {
	edit(f.Run)
	return f
}

// TestMergeRefuses checks the errors for shards that do not make a run.
func TestMergeRefuses(t *testing.T) {
	models := twoModels()
	s := func(i, n int, seed uint64) *trials.File { return shard(t, models, i, n, 300, seed) }
	for _, c := range []struct {
		name  string
		files []*trials.File
		want  string
	}{
		{"missing", []*trials.File{s(0, 3, 1), s(2, 3, 1)}, "trials 100 to 199 of 300 are in no file"},
		{"missing last", []*trials.File{s(0, 3, 1), s(1, 3, 1)}, "trials 200 to 299 of 300 are in no file"},
		{"twice", []*trials.File{s(0, 2, 1), s(1, 2, 1), s(1, 2, 1)}, "both hold trials 150 to 299"},
		{"overlap", []*trials.File{s(0, 2, 1), s(1, 3, 1), s(2, 3, 1)}, "both hold trials 100 to 149"},
		{"seed", []*trials.File{s(0, 2, 1), s(1, 2, 2)}, "seed 1 and 2"},
		{"build", []*trials.File{s(0, 2, 1), with(s(1, 2, 1), func(r *trials.Run) { r.Build = "simulate v2" })}, "written by different builds of the program (none recorded and simulate v2)"},
		{"inputs", []*trials.File{with(s(0, 2, 1), func(r *trials.Run) { r.Inputs = "0123456789abcdef" }), s(1, 2, 1)}, "they read different input files (--history or its reading flags; sha256 0123456789ab and none)"},
	} {
		_, err := trials.Merge(context.Background(), c.files, t.TempDir())
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: got %v, want an error saying %q", c.name, err, c.want)
		}
	}
}

// TestReadRefuses checks that a file that is not a trials file is named
// in the error.
func TestReadRefuses(t *testing.T) {
	_, err := trials.Read("notes.txt", strings.NewReader("hello"), 5)
	if err == nil || !strings.Contains(err.Error(), "notes.txt: not a Parquet file") {
		t.Errorf("got %v", err)
	}
}

// TestMetadata checks the key-value metadata docs/OUTPUT.md lists, for a
// reader that does not parse funnelsim.run.
func TestMetadata(t *testing.T) {
	rs, err := model.RunAll(context.Background(), []*model.Model{sample.Model()}, model.Options{Trials: 50, FirstTrial: 100, Weeks: 4, Seed: 9})
	if err != nil {
		t.Fatal(err)
	}
	run, err := trials.NewRun("forecast", "v1.2.3", modelYAML, nil, rs, 400)
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := trials.Write(&buf, run, rs); err != nil {
		t.Fatal(err)
	}
	pf, err := parquet.OpenFile(bytes.NewReader(buf.Bytes()), int64(buf.Len()))
	if err != nil {
		t.Fatal(err)
	}
	for k, want := range map[string]string{"funnelsim.command": "forecast", "funnelsim.version": "v1.2.3", "funnelsim.model_sha256": run.ModelSHA256,
		"funnelsim.seed": "9", "funnelsim.weeks": "4", "funnelsim.trials": "100 to 149 of 400"} {
		if got, ok := pf.Lookup(k); got != want {
			t.Errorf("%s = %q (present %v), want %q", k, got, ok, want)
		}
	}
	if _, ok := pf.Lookup(trials.RunKey); !ok {
		t.Errorf("no %s", trials.RunKey)
	}
	for _, c := range []string{"model", "trial", "revenue", "wins", "cum_revenue_w1", "cum_wins_w4"} {
		if _, ok := pf.Schema().Lookup(c); !ok {
			t.Errorf("no column %s", c)
		}
	}
}

// TestDamagedFooter changes the footer of a shard byte by byte (every
// eleventh byte with -short), as a damaged download or a careless edit
// would: reading and merging each such file ends in its results or in an
// error naming it, never in a panic of the Parquet library.
func TestDamagedFooter(t *testing.T) {
	good := forecastFile(t, model.Options{Trials: 40, Weeks: 4, Seed: 3}, 40)
	n := len(good)
	footer := int(binary.LittleEndian.Uint32(good[n-8 : n-4]))
	errs, merged := 0, 0
	dir := t.TempDir()
	step, values := 1, []byte{0, 0xff, 0x41}
	if testing.Short() { // every eleventh byte, one way
		step, values = 11, values[2:]
	}
	for i := n - 8 - footer; i < n-8; i += step {
		for _, v := range values {
			if v == 0x41 {
				v ^= good[i]
			}
			if v == good[i] {
				continue
			}
			bad := bytes.Clone(good)
			bad[i] = v
			f, err := trials.Read("shard.parquet", bytes.NewReader(bad), int64(n))
			if err == nil {
				var m *trials.Merged
				if m, err = trials.Merge(context.Background(), []*trials.File{f}, dir); err == nil {
					merged++
					m.Close()
				}
			}
			if err != nil {
				errs++
				if !strings.Contains(err.Error(), "shard.parquet") {
					t.Fatalf("byte %d set to %#x: %v, which does not name the file", i, v, err)
				}
			}
		}
	}
	t.Logf("%d bytes of footer, every %d changed %d ways: %d errors, %d files read and merged", footer, step, len(values), errs, merged)
}

// TestReadRefusesCommand checks that metadata whose parts do not fit its
// command, as an edit of a shard's metadata would leave it, is refused
// when the file is read, before a merge takes its word for them.
func TestReadRefusesCommand(t *testing.T) {
	rs, err := model.RunAll(context.Background(), twoModels(), model.Options{Trials: 20, Weeks: 4, Seed: 3})
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name string
		edit func(*trials.Run)
		want string
	}{
		{"sweep values", func(r *trials.Run) { r.Command, r.Lever, r.Values = "sweep", "reps", []float64{4} }, "2 results for 1 values of reps"},
		{"sweep lever", func(r *trials.Run) { r.Command, r.Values = "sweep", []float64{4, 5} }, "a sweep without its lever"},
		{"grid", func(r *trials.Run) {
			r.Command, r.Lever, r.Values, r.Lever2, r.Values2 = "sweep", "reps", []float64{4, 5}, "budget", []float64{1, 2}
		}, "2 results for a grid of 2 by 2"},
		{"goal range", func(r *trials.Run) { r.Command, r.Lever, r.Values = "goal", "reps", []float64{4, 5} }, "a goal seek without its range"},
		{"notes", func(r *trials.Run) { r.Notes = [][]string{{"a"}, {"b"}, {"c"}} }, "2 results with the notes of 3"},
		{"forecast", func(r *trials.Run) { r.Command = "forecast" }, "a forecast of 2 results"},
		{"command", func(r *trials.Run) { r.Command = "calibrate" }, `a "calibrate" run cannot be merged`},
		{"metrics", func(r *trials.Run) { r.Results[1].Metrics = r.Results[1].Metrics[1:] }, "have different metrics"},
	} {
		run, err := trials.NewRun("compare", "test", modelYAML, nil, rs, 20)
		if err != nil {
			t.Fatal(err)
		}
		c.edit(run)
		var buf bytes.Buffer
		if err := trials.Write(&buf, run, rs); err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		_, err = trials.Read("edited.parquet", bytes.NewReader(buf.Bytes()), int64(buf.Len()))
		if err == nil || !strings.Contains(err.Error(), "edited.parquet: ") || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: got %v, want an error naming the file and saying %q", c.name, err, c.want)
		}
	}
}

// TestMergeLeavesNothing checks that the merge's working file is gone
// from its folder while the merge is still being read, so that an
// interrupted, killed or crashed merge leaves nothing behind, and that a
// cancelled merge stops with the context's error.
func TestMergeLeavesNothing(t *testing.T) {
	models := twoModels()
	files := []*trials.File{shard(t, models, 0, 2, 200, 1), shard(t, models, 1, 2, 200, 1)}
	dir := t.TempDir()
	m, err := trials.Merge(context.Background(), files, dir)
	if err != nil {
		t.Fatal(err)
	}
	left, _ := os.ReadDir(dir)
	if len(left) != 0 {
		t.Errorf("the folder holds %d files while the merge is open", len(left))
	}
	if rev, ok := m.Results[1].Metric("revenue"); !ok || len(rev) != 200 {
		t.Errorf("the merged revenue: %d values, present %v", len(rev), ok)
	}
	m.Close()
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := trials.Merge(ctx, files, dir); !errors.Is(err, context.Canceled) {
		t.Errorf("a cancelled merge: %v", err)
	}
	if left, _ := os.ReadDir(dir); len(left) != 0 {
		t.Errorf("a cancelled merge left %d files", len(left))
	}
}

// forecastFile returns the trials file of a forecast of the sample
// company run with o, a shard of total trials.
func forecastFile(tb testing.TB, o model.Options, total int) []byte {
	tb.Helper()
	return written(tb, "forecast", []*model.Model{sample.Model()}, o, total)
}
