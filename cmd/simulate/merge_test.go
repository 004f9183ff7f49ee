package main

import (
	"bytes"
	"compress/gzip"
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/funnelsim/funnelsim/examples"
	"github.com/funnelsim/funnelsim/model"
	"github.com/funnelsim/funnelsim/sample"
	"github.com/funnelsim/funnelsim/trials"
)

// outputs runs simulate with args and returns its standard output and
// every file it wrote under dir, by name relative to dir.
func outputs(t *testing.T, dir string, args ...string) map[string]string {
	t.Helper()
	stdout, stderr, code := simulateCmd(args...)
	if code != 0 {
		t.Fatalf("simulate %s: exit %d: %s", strings.Join(args, " "), code, stderr)
	}
	out := map[string]string{"stdout": stdout}
	filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() && !strings.HasSuffix(p, ".parquet") {
			b, _ := os.ReadFile(p)
			rel, _ := filepath.Rel(dir, p)
			out[rel] = string(b)
		}
		return nil
	})
	return out
}

// TestMergeMatchesOneMachine runs forecasts, comparisons, sweeps, grids and
// portfolios in 1, 2, 3 and 7 shards, merges them, and checks every output (table, JSON, CSV and
// SVG charts) is byte-identical to the run on one machine, for two seeds
// and with a recalibration. It runs one case of each kind in 3 shards but
// with -merge-all (make validate), and none with -short (make test runs
// it without the race detector).
func TestMergeMatchesOneMachine(t *testing.T) {
	if testing.Short() {
		t.Skip("runs every kind of sharded run and its merge; make test runs it without the race detector")
	}
	rc := filepath.Join(t.TempDir(), "recalibration.yaml")
	if err := os.WriteFile(rc, []byte("horizon_weeks: 13\ntargets:\n  - {target: revenue, scale: 1.4, shift: -0.05, origins: 9, quarters: 4}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	scen := filepath.Join("..", "..", "examples", "sample-scenarios.yaml")
	sampleModel := filepath.Join("..", "..", "examples", "sample-model.yaml")
	// A second region: the sample company with half its leads.
	b, err := os.ReadFile(sampleModel)
	if err != nil {
		t.Fatal(err)
	}
	west := filepath.Join(t.TempDir(), "west.yaml")
	b = regexp.MustCompile(`(?m)^name: .*$`).ReplaceAll(b, []byte("name: West"))
	b = regexp.MustCompile(`(?m)^(\s+weekly_leads: )([0-9.]+)`).ReplaceAllFunc(b, func(s []byte) []byte {
		m := regexp.MustCompile(`^(\s+weekly_leads: )([0-9.]+)`).FindSubmatch(s)
		x, _ := strconv.ParseFloat(string(m[2]), 64)
		return []byte(string(m[1]) + strconv.FormatFloat(x/2, 'g', -1, 64))
	})
	if err := os.WriteFile(west, b, 0o644); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name  string
		args  []string
		forms [][]string // the output flags, each run with the shards' merge; default below
	}{
		{"forecast", []string{"forecast", "--trials", "1500", "--seed", "2"}, nil},
		{"forecast seed 5", []string{"forecast", "--trials", "1300", "--seed", "5", "--model", filepath.Join("..", "..", "examples", "sample-plan.yaml")}, nil},
		{"forecast recalibrated", []string{"forecast", "--trials", "1100", "--seed", "3", "--recalibration", rc}, nil},
		{"compare", []string{"compare", "--scenarios", scen, "--trials", "700", "--seed", "2"}, nil},
		{"compare seed 9", []string{"compare", "--scenarios", scen, "--trials", "600", "--seed", "9"}, nil},
		{"sweep", []string{"sweep", "--lever", "reps", "--range", "4:8:2", "--trials", "900", "--seed", "4"}, nil},
		{"grid", []string{"sweep", "--lever", "reps", "--range", "4:8:2", "--lever2", "spend:paid_search", "--range2", "0:12000:6000", "--trials", "400", "--seed", "8"}, nil},
		{"portfolio", []string{"portfolio", "--model", sampleModel, "--model", west, "--trials", "700", "--seed", "12"}, nil},
		{"portfolio recalibrated", []string{"portfolio", "--model", sampleModel, "--model", sampleModel, "--trials", "500", "--seed", "2", "--recalibration", rc}, nil},
		{"goal", []string{"goal", "--lever", "reps", "--range", "1:12", "--trials", "640", "--seed", "3"},
			[][]string{{"--target", "700k", "--confidence", "0.4", "--csv", "OUT/out.csv"}, {"--json", "--target", "700k", "--confidence", "0.4"}, {"--target", "5M"}}},
		{"goal leads", []string{"goal", "--lever", "leads", "--range", "60:300:20", "--trials", "400", "--seed", "1", "--recalibration", rc},
			[][]string{{"--json", "--target", "800k", "--confidence", "0.4"}}},
		{"sweep recalibrated", []string{"sweep", "--lever", "spend:paid_search", "--range", "0:12000:6000", "--trials", "500", "--seed", "6", "--recalibration", rc}, nil},
	} {
		shards := []int{1, 2, 3, 7}
		if !*mergeAll {
			if c.name != "forecast seed 5" && c.name != "compare seed 9" && c.name != "sweep" && c.name != "grid" && c.name != "portfolio" && c.name != "goal" {
				continue
			}
			shards = []int{3}
		}
		t.Run(c.name, func(t *testing.T) {
			forms := c.forms
			if forms == nil {
				forms = [][]string{{"--target", "700k", "--csv", "OUT/out.csv", "--plots", "OUT/charts", "--plot-format", "svg"}, {"--json", "--target", "700k"}}
			}
			for _, form := range forms {
				dir := t.TempDir()
				with := func(args []string) []string {
					var out []string
					for _, a := range args {
						out = append(out, strings.ReplaceAll(a, "OUT", dir))
					}
					return out
				}
				want := outputs(t, dir, with(append(append([]string{}, c.args...), form...))...)
				for _, n := range shards {
					mdir := t.TempDir()
					var shards []string
					for i := range n {
						p := filepath.Join(mdir, fmt.Sprintf("shard-%d.parquet", i))
						args := append(append([]string{}, c.args...), "--shard", fmt.Sprintf("%d/%d", i, n), "--trials-out", p)
						if _, stderr, code := simulateCmd(args...); code != 0 {
							t.Fatalf("shard %d/%d: exit %d: %s", i, n, code, stderr)
						}
						shards = append(shards, p)
					}
					for k := range want {
						if k != "stdout" {
							os.Remove(filepath.Join(dir, k))
						}
					}
					got := outputs(t, dir, append(with(append([]string{"merge"}, form...)), shards...)...)
					for k, w := range want {
						if got[k] != w {
							t.Errorf("%d shards, %s: %s differs from the run on one machine", n, strings.Join(form, " "), k)
						}
					}
					if len(got) != len(want) {
						t.Errorf("%d shards: %d outputs, want %d", n, len(got), len(want))
					}
				}
			}
		})
	}
}

var mergeAll = flag.Bool("merge-all", false, "TestMergeMatchesOneMachine: every case in 1, 2, 3 and 7 shards")

// TestMergeRefusesCLI checks merge's errors for shards that do not make
// one run, and that a shard refuses the outputs only merge can write.
func TestMergeRefusesCLI(t *testing.T) {
	dir := t.TempDir()
	shard := func(name string, args ...string) string {
		p := filepath.Join(dir, name)
		if _, stderr, code := simulateCmd(append(append([]string{"forecast", "--trials", "300"}, args...), "--trials-out", p)...); code != 0 {
			t.Fatalf("%s: exit %d: %s", name, code, stderr)
		}
		return p
	}
	a0 := shard("a0.parquet", "--shard", "0/3")
	a1 := shard("a1.parquet", "--shard", "1/3")
	a2 := shard("a2.parquet", "--shard", "2/3")
	b1 := shard("b1.parquet", "--shard", "1/3", "--seed", "4")
	c1 := shard("c1.parquet", "--shard", "1/2")
	notParquet := filepath.Join(dir, "notes.parquet")
	os.WriteFile(notParquet, []byte("not a table"), 0o644)
	// A whole run in one file whose metadata lost a metric, as an edit
	// would leave it: its columns are all there, its model is the one it
	// names, and only the merge's answer would find the metric missing.
	edited := filepath.Join(dir, "edited.parquet")
	{
		f, err := trials.Open(a0)
		if err != nil {
			t.Fatal(err)
		}
		run := *f.Run
		f.Close()
		run.FirstTrial, run.Count = 0, run.Trials
		run.Results = []trials.Header{run.Results[0]}
		run.Results[0].Metrics = run.Results[0].Metrics[1:]
		r, err := model.Run(context.Background(), sample.Model(), model.Options{Trials: run.Trials, Weeks: run.Weeks, Seed: run.Seed})
		if err != nil {
			t.Fatal(err)
		}
		var buf bytes.Buffer
		if err := trials.Write(&buf, &run, []*model.Result{r}); err != nil {
			t.Fatal(err)
		}
		os.WriteFile(edited, buf.Bytes(), 0o644)
	}
	for _, c := range []struct {
		args []string
		code int
		want string
	}{
		{[]string{"merge", a0, a2}, exitError, "trials 100 to 199 of 300 are in no file"},
		{[]string{"merge", a0, a1, a1, a2}, exitError, "a1.parquet and " + a1 + " both hold trials 100 to 199"},
		{[]string{"merge", a0, a1, c1}, exitError, "both hold trials 150 to 199"},
		{[]string{"merge", a0, b1, a2}, exitError, "seed 1 and 4"},
		{[]string{"merge", a0, notParquet}, exitError, "notes.parquet: not a Parquet file"},
		{[]string{"merge", edited}, exitError, "edited.parquet: the metrics in the metadata are not those of its model's runs (18 where it has 19)"},
		{[]string{"merge"}, exitUsage, "give the shards' trials files"},
		{[]string{"forecast", "--shard", "3/3", "--trials-out", a0}, exitUsage, "--shard must be I/N with 0 <= I < N"},
		{[]string{"forecast", "--shard", "0/3"}, exitUsage, "--shard needs --trials-out"},
		{[]string{"forecast", "--trials", "2", "--shard", "0/3", "--trials-out", a0}, exitUsage, "3 shards of 2 trials would leave some empty"},
		{[]string{"forecast", "--shard", "0/3", "--trials-out", a0, "--json"}, exitUsage, "--json goes to simulate merge"},
		{[]string{"forecast", "--trials-out", filepath.Join(dir, "x.csv")}, exitUsage, "--trials-out must name a .parquet file"},
	} {
		_, stderr, code := simulateCmd(c.args...)
		if code != c.code || !strings.Contains(stderr, c.want) {
			t.Errorf("simulate %s: exit %d, %q; want exit %d saying %q", strings.Join(c.args[1:], " "), code, stderr, c.code, c.want)
		}
	}
}

// TestMergeRefusesOtherInputs checks that merge refuses shards of one
// comparison whose --history files differ (by one lead), and shards
// written by two builds of the program that differ by one constant (the
// link-time build note), though both carry the same version stamp.
func TestMergeRefusesOtherInputs(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the program twice; make test runs it without -short")
	}
	dir := t.TempDir()
	h1, h2 := filepath.Join(dir, "h1.csv.gz"), filepath.Join(dir, "h2.csv")
	if err := os.WriteFile(h1, examples.HistoryGz(), 0o644); err != nil {
		t.Fatal(err)
	}
	zr, err := gzip.NewReader(bytes.NewReader(examples.HistoryGz()))
	if err != nil {
		t.Fatal(err)
	}
	text, err := io.ReadAll(zr)
	if err != nil {
		t.Fatal(err)
	}
	lines := bytes.SplitAfter(text, []byte("\n"))
	if err := os.WriteFile(h2, bytes.Join(append(lines[:5:5], lines[6:]...), nil), 0o644); err != nil {
		t.Fatal(err)
	}
	var shards []string
	for i, h := range []string{h1, h2} {
		p := filepath.Join(dir, fmt.Sprintf("c%d.parquet", i))
		args := []string{"compare", "--scenarios", "../../examples/sample-scenarios.yaml", "--history", h, "--trials", "200", "--shard", fmt.Sprintf("%d/2", i), "--trials-out", p}
		if _, stderr, code := simulateCmd(args...); code != 0 {
			t.Fatalf("shard %d: exit %d: %s", i, code, stderr)
		}
		shards = append(shards, p)
	}
	if _, stderr, code := simulateCmd(append([]string{"merge"}, shards...)...); code != exitError || !strings.Contains(stderr, "they read different input files (--history or its reading flags") {
		t.Errorf("shards of other histories: exit %d, %q", code, stderr)
	}

	// Three builds: two that differ by one constant (the link-time build
	// note, which --version shows), and one that differs from the first
	// only by its symbol table (-s), whose version stamp is the same.
	build := func(name string, flags ...string) string {
		exe := filepath.Join(dir, name)
		cmd := exec.Command("go", append(append([]string{"build", "-o", exe}, flags...), ".")...)
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("go build: %v\n%s", err, out)
		}
		return exe
	}
	exes := []string{build("simulate-a", "-ldflags", "-X main.buildNote=a"), build("simulate-b", "-ldflags", "-X main.buildNote=b"), build("simulate-a-s", "-ldflags", "-s -X main.buildNote=a")}
	shard := func(exe, name, which string) string {
		p := filepath.Join(dir, name)
		if out, err := exec.Command(exe, "forecast", "--trials", "200", "--shard", which, "--trials-out", p).CombinedOutput(); err != nil {
			t.Fatalf("%s: %v\n%s", exe, err, out)
		}
		return p
	}
	a0, b1, t1 := shard(exes[0], "a0.parquet", "0/2"), shard(exes[1], "b1.parquet", "1/2"), shard(exes[2], "t1.parquet", "1/2")
	for _, c := range []struct{ second, want string }{
		{b1, "software version simulate [a]"},
		{t1, "they were written by different builds of the program"},
	} {
		out, err := exec.Command(exes[0], "merge", a0, c.second).CombinedOutput()
		if err == nil || !strings.Contains(string(out), "are not shards of one run: ") || !strings.Contains(string(out), c.want) {
			t.Errorf("shards of two builds (%s): %v, %s", filepath.Base(c.second), err, out)
		}
	}
	shards = []string{a0}
	// The same build's shards merge.
	p := filepath.Join(dir, "f1b.parquet")
	if out, err := exec.Command(exes[0], "forecast", "--trials", "200", "--shard", "1/2", "--trials-out", p).CombinedOutput(); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	if out, err := exec.Command(exes[0], "merge", shards[0], p).CombinedOutput(); err != nil {
		t.Errorf("shards of one build: %v, %s", err, out)
	}
}
