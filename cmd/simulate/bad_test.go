package main

import (
	"compress/gzip"
	"flag"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
)

// TestBadInputCatalogue runs the command on every input of the bad-input
// catalogue (testdata/bad): each must end with its exit code and exactly
// the messages of its golden file (testdata/bad/NAME.golden, rewritten
// with -update), naming file, line and field, and none may panic.
func TestBadInputCatalogue(t *testing.T) {
	if testing.Short() {
		t.Skip("runs every command on every bad input (75 s under the race detector); make test runs it without")
	}
	bad := filepath.Join("testdata", "bad")
	out := t.TempDir()
	// A 2 MB field and a header of 2,000 columns, made here rather than
	// kept in the repository.
	huge := filepath.Join(out, "huge-field.csv")
	if err := os.WriteFile(huge, []byte("lead_id,created_at,channel\na,2025-01-01,"+strings.Repeat("x", 2_000_000)+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	cols := make([]string, 2000)
	for i := range cols {
		cols[i] = "c" + strconv.Itoa(i)
	}
	wide := filepath.Join(out, "wide-header.csv")
	if err := os.WriteFile(wide, []byte("lead_id,created_at,"+strings.Join(cols, ",")+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	// Decompression bombs: 96 MiB of one repeated row, and of one field,
	// in a few hundred kilobytes of gzip.
	bomb := filepath.Join(out, "bomb.csv.gz")
	gzipFile(t, bomb, "lead_id,created_at\n", "a,2025-01-01\n", 96<<20)
	fieldBomb := filepath.Join(out, "field-bomb.csv.gz")
	gzipFile(t, fieldBomb, "lead_id,created_at,channel\na,2025-01-01,", "x", 96<<20)
	// Outputs that must be refused: an input, a symbolic link, a named
	// pipe.
	input := filepath.Join(out, "input.csv")
	if err := os.WriteFile(input, []byte("lead_id,created_at\na,2025-01-01\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	link := filepath.Join(out, "link.csv")
	if err := os.Symlink(input, link); err != nil {
		t.Fatal(err)
	}
	fifo := filepath.Join(out, "fifo.csv")
	if err := syscall.Mkfifo(fifo, 0o644); err != nil {
		t.Fatal(err)
	}
	model := filepath.Join(out, "m.yaml")
	cal := func(file string, extra ...string) []string {
		return append([]string{"calibrate", "--history", filepath.Join(bad, file), "-o", model}, extra...)
	}
	for _, c := range []struct {
		name string
		args []string
		code int
	}{
		{"empty", cal("empty.csv"), 1},
		{"header-only", cal("header-only.csv"), 1},
		{"unknown-shape", cal("unknown-shape.csv"), 1},
		{"bom", cal("bom.csv"), 1},
		{"mixed-separators", cal("mixed-separators.csv", "--max-rejected", "1"), 1},
		{"ragged", cal("ragged.csv", "--max-rejected", "1"), 1},
		{"duplicate-ids", cal("duplicate-ids.csv", "--max-rejected", "1"), 1},
		{"bad-dates", cal("bad-dates.csv", "--max-rejected", "1"), 1},
		{"out-of-order", cal("out-of-order.csv"), 1},
		{"amounts", cal("amounts.csv", "--max-rejected", "1"), 1},
		{"too-many-rejected", cal("duplicate-ids.csv", "--map", "lead_id=channel"), 1},
		{"binary", cal("binary.csv"), 1},
		{"huge-field", []string{"calibrate", "--history", huge, "-o", model}, 1},
		{"wide-header", []string{"calibrate", "--history", wide, "-o", model}, 1},
		{"gzip-bomb", []string{"calibrate", "--history", bomb, "-o", model}, 1},
		{"gzip-field-bomb", []string{"calibrate", "--history", fieldBomb, "-o", model}, 1},
		{"missing-file", cal("no-such-file.csv"), 1},
		{"model-bad-values", []string{"forecast", "--model", filepath.Join(bad, "model-bad-values.yaml")}, 1},
		{"model-shock-tiny", []string{"forecast", "--model", filepath.Join(bad, "model-shock-tiny.yaml")}, 1},
		{"model-history-weeks-huge", []string{"forecast", "--model", filepath.Join(bad, "model-history-weeks-huge.yaml")}, 1},
		{"model-weekly-leads-huge", []string{"forecast", "--model", filepath.Join(bad, "model-weekly-leads-huge.yaml")}, 1},
		{"scenario-volume-huge", []string{"compare", "--scenarios", filepath.Join(bad, "scenario-volume-huge.yaml"), "--trials", "200"}, 1},
		{"scenario-hires-huge", []string{"compare", "--scenarios", filepath.Join(bad, "scenario-hires-huge.yaml"), "--trials", "200"}, 1},
		{"output-is-input", []string{"calibrate", "--history", input, "-o", input}, 2},
		{"outputs-same", []string{"generate", "--weeks", "8", "-o", filepath.Join(out, "g.csv"), "--spend-out", filepath.Join(out, "g.csv")}, 2},
		{"output-symlink", []string{"generate", "--weeks", "8", "-o", link}, 1},
		{"output-fifo", []string{"generate", "--weeks", "8", "-o", fifo}, 1},
		{"model-unknown-key", []string{"forecast", "--model", filepath.Join(bad, "model-unknown-key.yaml")}, 1},
		{"scenario-unknown-key", []string{"compare", "--scenarios", filepath.Join(bad, "scenario-unknown-key.yaml")}, 1},
		{"scenario-unknown-channel", []string{"compare", "--scenarios", filepath.Join(bad, "scenario-unknown-channel.yaml")}, 1},
		{"scenario-unknown-stage", []string{"compare", "--scenarios", filepath.Join(bad, "scenario-unknown-stage.yaml")}, 1},
		{"goal-unreachable", []string{"goal", "--lever", "reps", "--target", "1e10", "--trials", "200"}, 0},
		{"absurd-trials", []string{"forecast", "--trials", "1000000000000"}, 2},
		{"absurd-weeks", []string{"forecast", "--weeks", "10000"}, 2},
		{"bad-flag", []string{"forecast", "--trials", "many"}, 2},
		{"target-inf", []string{"forecast", "--target", "Inf"}, 2},
		{"trials-zero", []string{"forecast", "--trials", "0"}, 2},
		{"weeks-zero", []string{"forecast", "--weeks", "0"}, 2},
		{"sweep-range-huge", []string{"sweep", "--lever", "reps", "--range", "0:1e9:1"}, 2},
		{"sweep-step-tiny", []string{"sweep", "--lever", "reps", "--range", "0:10:1e-300"}, 2},
		{"goal-step-tiny", []string{"goal", "--lever", "spend:webinar", "--range", "0:10:1e-300", "--target", "100000"}, 1},
		{"demo-target-inf", []string{"demo", "--target", "+Inf"}, 2},
		{"optimize-min-over-budget", []string{"optimize", "--budget", "10000", "--min", "webinar=6000", "--min", "paid_search=6000", "--trials", "100"}, 1},
		{"optimize-min-format", []string{"optimize", "--min", "webinar:6000"}, 2},
		{"optimize-no-target", []string{"optimize", "--objective", "p-target"}, 2},
		{"optimize-bounds-unknown-channel", []string{"optimize", "--bounds", filepath.Join(bad, "optimize-bounds-unknown-channel.yaml")}, 1},
		{"optimize-bounds-unknown-key", []string{"optimize", "--bounds", filepath.Join(bad, "optimize-bounds-unknown-key.yaml")}, 1},
		{"optimize-no-spend", []string{"optimize", "--model", filepath.Join(bad, "..", "..", "..", "..", "examples", "sample-plan.yaml")}, 1},
	} {
		t.Run(c.name, func(t *testing.T) {
			stdout, stderr, code := simulateCmd(c.args...)
			got := strings.ReplaceAll(stdout+stderr, out, "TMP") + "exit " + strconv.Itoa(code) + "\n"
			path := filepath.Join(bad, c.name+".golden")
			if *update {
				if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatalf("%v (run go test ./cmd/simulate -run BadInput -update)", err)
			}
			if code != c.code || got != string(want) {
				t.Errorf("simulate %v: exit %d\n%s\nwant exit %d\n%s", c.args, code, got, c.code, want)
			}
			if strings.Contains(got, "panic") || strings.Contains(got, "goroutine ") {
				t.Errorf("a panic:\n%s", got)
			}
			if _, err := os.Stat(model); err == nil {
				t.Errorf("a failed run left %s", model)
				os.Remove(model)
			}
		})
	}
}

var update = flag.Bool("update", false, "rewrite the golden messages in testdata/bad")

// gzipFile writes head, then body repeated to n bytes, gzipped, to path.
func gzipFile(t *testing.T, path, head, body string, n int) {
	t.Helper()
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	zw, _ := gzip.NewWriterLevel(f, gzip.BestCompression)
	zw.Write([]byte(head))
	chunk := []byte(strings.Repeat(body, (1<<20)/len(body)))
	for w := 0; w < n; w += len(chunk) {
		if _, err := zw.Write(chunk); err != nil {
			t.Fatal(err)
		}
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
}
