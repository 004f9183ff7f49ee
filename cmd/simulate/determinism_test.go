package main

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestDeterminism runs every command twice, the second time with a
// different number of workers where it has the flag, and checks that
// standard output and every file written are byte-identical.
func TestDeterminism(t *testing.T) {
	hist := history(t, "40", "")
	calibrated := filepath.Join(t.TempDir(), "m.yaml")
	if _, e, code := simulateCmd("calibrate", "--history", hist, "-o", calibrated); code != 0 {
		t.Fatal(e)
	}
	scen := filepath.Join("..", "..", "examples", "sample-scenarios.yaml")
	model := filepath.Join("..", "..", "examples", "sample-model.yaml")
	for _, c := range []struct {
		name    string
		args    []string
		workers bool
		files   []string // written into the run's directory, named here
	}{
		{"forecast", []string{"forecast", "--trials", "3000", "--json", "--target", "800000"}, true, nil},
		{"compare", []string{"compare", "--scenarios", scen, "--trials", "1000", "--json"}, true, nil},
		{"sweep", []string{"sweep", "--lever", "reps", "--range", "4:8:2", "--trials", "500", "--json"}, true, nil},
		{"grid", []string{"sweep", "--lever", "reps", "--range", "4:8:2", "--lever2", "budget", "--range2", "30000:60000:15000", "--trials", "300", "--json"}, true, nil},
		{"portfolio", []string{"portfolio", "--model", model, "--model", model, "--trials", "500", "--json", "--target", "1.5M"}, true, nil},
		{"goal", []string{"goal", "--lever", "reps", "--target", "700000", "--confidence", "0.5", "--trials", "500", "--json"}, true, nil},
		{"generate", []string{"generate", "--weeks", "30", "-o", "OUT/h.csv", "--spend-out", "OUT/s.csv"}, false, []string{"h.csv", "s.csv"}},
		{"calibrate", []string{"calibrate", "--history", hist, "-o", "OUT/m.yaml"}, false, []string{"m.yaml"}},
		{"backtest", []string{"backtest", "--history", hist, "--origins", "2", "--trials", "300", "--json"}, true, nil},
		{"quarter", []string{"forecast", "--model", calibrated, "--quarter", "current", "--trials", "2000", "--json", "--by", "rep", "--deals", "OUT/d.csv"}, true, []string{"d.csv"}},
		{"report", []string{"report", "--trials", "500", "-o", "OUT/r.html"}, true, []string{"r.html"}},
		{"demo", []string{"demo", "--trials", "500", "--out", "OUT"}, true, []string{"model.yaml", "forecast.json", "compare.json", "report.html", "charts/fan.png"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			if c.name == "demo" && testing.Short() {
				t.Skip("runs every step of the demo twice (45 s under the race detector)")
			}
			if c.name != "forecast" && c.name != "quarter" && testing.Short() {
				t.Skip("runs a command twice; make test runs it without the race detector")
			}
			var sums [2][]byte
			for i, workers := range []string{"1", "2"} {
				dir := t.TempDir()
				var args []string
				for _, a := range c.args {
					args = append(args, string(bytes.ReplaceAll([]byte(a), []byte("OUT"), []byte(dir))))
				}
				if c.workers {
					args = append(args, "--workers", workers)
				}
				stdout, stderr, code := simulateCmd(args...)
				if code != 0 {
					t.Fatalf("exit %d: %s", code, stderr)
				}
				h := sha256.New()
				h.Write(bytes.ReplaceAll([]byte(stdout), []byte(dir), []byte("OUT")))
				for _, f := range c.files {
					b, err := os.ReadFile(filepath.Join(dir, f))
					if err != nil {
						t.Fatal(err)
					}
					h.Write(b)
				}
				sums[i] = h.Sum(nil)
			}
			if !bytes.Equal(sums[0], sums[1]) {
				t.Errorf("%s: the two runs differ", c.name)
			}
		})
	}
}

// TestInterrupt starts a long run of the built command, interrupts it once
// the forecast is under way (SIGINT, then SIGTERM on another run) and
// checks that it stops, with exit status 1, and leaves no file, partial or
// temporary. The 20 million trials would take minutes; how soon it stops
// is logged, and a run still going a minute after the signal is killed
// and fails.
func TestInterrupt(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the command")
	}
	bin := filepath.Join(t.TempDir(), "simulate")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("build: %v\n%s", err, out)
	}
	for _, sig := range []syscall.Signal{syscall.SIGINT, syscall.SIGTERM} {
		dir := t.TempDir()
		cmd := exec.Command(bin, "demo", "--trials", "20000000", "--out", dir)
		stdout, err := cmd.StdoutPipe()
		if err != nil {
			t.Fatal(err)
		}
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		// The demo prints its calibration before the long forecast starts:
		// signal once it has.
		sc := bufio.NewScanner(stdout)
		for sc.Scan() && !strings.HasPrefix(sc.Text(), "calibrated as of") {
		}
		sent := time.Now()
		cmd.Process.Signal(sig)
		hung := time.AfterFunc(time.Minute, func() { cmd.Process.Kill() })
		io.Copy(io.Discard, stdout) // to the end of its output, then wait
		err = cmd.Wait()
		took := time.Since(sent)
		if !hung.Stop() {
			t.Fatalf("%v: still running a minute after the signal", sig)
		}
		if ee, ok := err.(*exec.ExitError); !ok || ee.ExitCode() != 1 {
			t.Errorf("%v: exit %v, want status 1", sig, err)
		}
		entries, _ := os.ReadDir(dir)
		if len(entries) != 0 {
			t.Errorf("%v: the interrupted run left %d entries in its output directory", sig, len(entries))
		}
		// Nor its working directory beside it.
		siblings, _ := os.ReadDir(filepath.Dir(dir))
		for _, s := range siblings {
			if strings.HasPrefix(s.Name(), "."+filepath.Base(dir)+".tmp") {
				t.Errorf("%v: the interrupted run left %s", sig, s.Name())
			}
		}
		t.Logf("%v: stopped %v after the signal", sig, took.Round(time.Millisecond))
	}
	// A read blocked on a named pipe whose writer never writes cannot be
	// cancelled: the run is ended a second after the signal.
	fifo := filepath.Join(t.TempDir(), "pipe.csv")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(bin, "calibrate", "--history", fifo, "-o", filepath.Join(t.TempDir(), "m.yaml"))
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	// Opening the pipe to write returns once the command has opened it to
	// read (its signals are set up before): it then waits for bytes that
	// never come.
	w, err := os.OpenFile(fifo, os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	cmd.Process.Signal(syscall.SIGINT)
	hung := time.AfterFunc(time.Minute, func() { cmd.Process.Kill() })
	err = cmd.Wait()
	if !hung.Stop() {
		t.Fatal("a read from a pipe with no writer: still running a minute after the signal")
	}
	if ee, ok := err.(*exec.ExitError); !ok || ee.ExitCode() != 1 || !strings.Contains(stderr.String(), "not stopped within") {
		t.Errorf("a read from a pipe with no writer: %v, %q; want status 1 and the run ended", err, stderr.String())
	}
}

// TestFilesSafe checks that the inputs are never modified and that an
// output path that cannot be written is a clear error.
func TestFilesSafe(t *testing.T) {
	hist := history(t, "30", "")
	before, _ := os.ReadFile(hist)
	if _, stderr, code := simulateCmd("calibrate", "--no-check", "--history", hist, "-o", filepath.Join(t.TempDir(), "m.yaml")); code != 0 {
		t.Fatal(stderr)
	}
	after, _ := os.ReadFile(hist)
	if !bytes.Equal(before, after) {
		t.Error("calibrate changed its input")
	}
	// An output whose directory is not there is refused before the run.
	_, stderr, code := simulateCmd("calibrate", "--no-check", "--history", hist, "-o", "/dev/null/m.yaml")
	if code != 1 || stderr != "simulate: -o /dev/null/m.yaml: no directory /dev/null to write it in\n" {
		t.Errorf("an unwritable path: exit %d, %q", code, stderr)
	}
}
