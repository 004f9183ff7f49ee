package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

func simulateCmd(args ...string) (stdout, stderr string, code int) {
	var o, e bytes.Buffer
	code = run(context.Background(), commands(), args, &o, &e)
	return o.String(), e.String(), code
}

// TestForecastWorkersIdentical checks that --workers 1 and --workers 2 give
// byte-identical JSON.
func TestForecastWorkersIdentical(t *testing.T) {
	one, _, c1 := simulateCmd("forecast", "--trials", "1000", "--seed", "9", "--workers", "1", "--json", "--target", "800000")
	two, _, c2 := simulateCmd("forecast", "--trials", "1000", "--seed", "9", "--workers", "2", "--json", "--target", "800000")
	if c1 != 0 || c2 != 0 {
		t.Fatalf("exit codes %d and %d", c1, c2)
	}
	if one != two {
		t.Fatal("JSON differs between 1 and 2 workers")
	}
	var doc map[string]any
	if err := json.Unmarshal([]byte(one), &doc); err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"trials", "weeks", "seed", "start", "metrics", "weekly", "target", "p_target", "p_target_mcse"} {
		if _, ok := doc[k]; !ok {
			t.Errorf("JSON lacks %q", k)
		}
	}
	metrics := doc["metrics"].(map[string]any)
	for _, k := range []string{"leads", "mql", "sql", "opportunities", "wins", "win_rate", "revenue", "spend", "cost_per_lead", "cost_per_sql", "cost_per_win", "avg_deal", "cycle_weeks"} {
		m, ok := metrics[k].(map[string]any)
		if !ok {
			t.Errorf("metrics lacks %q", k)
			continue
		}
		for _, q := range []string{"mean", "sd", "p5", "p10", "p25", "p50", "p75", "p90", "p95"} {
			if _, ok := m[q]; !ok {
				t.Errorf("metrics.%s lacks %q", k, q)
			}
		}
	}
	if w := doc["weekly"].([]any); len(w) != 13 {
		t.Errorf("weekly has %d weeks, want 13", len(w))
	}
}

func TestExitCodes(t *testing.T) {
	dir := t.TempDir()
	bad := filepath.Join(dir, "bad.yaml")
	os.WriteFile(bad, []byte("format: 1\nnmae: x\n"), 0o644)
	cases := []struct {
		args []string
		code int
		want string
	}{
		{nil, 2, "Usage"},
		{[]string{"nosuch"}, 2, `unknown command "nosuch"`},
		{[]string{"forecast", "--trials"}, 2, "flag needs an argument"},
		{[]string{"forecast", "--trials", "x"}, 2, "invalid argument"},
		{[]string{"forecast", "extra"}, 2, `unexpected argument "extra"`},
		{[]string{"forecast", "--target", "-5"}, 2, "--target must be"},
		{[]string{"forecast", "--trials", "100", "--weeks", "100000"}, 2, "--weeks must be 1 to 520 (got 100000)"},
		{[]string{"forecast", "--trials", "0"}, 2, "--trials must be 1 to 50000000 (got 0)"},
		{[]string{"forecast", "--trials", "1000000000000"}, 2, "--trials must be 1 to 50000000"},
		{[]string{"forecast", "--model", filepath.Join(dir, "missing.yaml")}, 1, "no such file"},
		{[]string{"forecast", "--model", bad}, 1, "bad.yaml: line 2: nmae: unknown key"},
		{[]string{"help", "forecast"}, 0, "Examples:"},
		{[]string{"forecast", "--help"}, 0, "--target"},
	}
	for _, c := range cases {
		out, errOut, code := simulateCmd(c.args...)
		if code != c.code || !strings.Contains(out+errOut, c.want) {
			t.Errorf("simulate %v: exit %d, output %q; want exit %d and %q", c.args, code, out+errOut, c.code, c.want)
		}
		if code != 0 && !strings.HasPrefix(errOut, "simulate") {
			t.Errorf("simulate %v: message %q does not start with simulate", c.args, errOut)
		}
	}
}

func TestForecastTable(t *testing.T) {
	out, _, code := simulateCmd("forecast", "--trials", "500", "--target", "800000")
	if code != 0 {
		t.Fatalf("exit %d", code)
	}
	for _, want := range []string{"MARKETING", "SALES", "revenue (USD)", "cost per SQL (USD)", "win rate", "%", "P(revenue >= 800,000) = ", "± (P50): the Monte Carlo error"} {
		if !strings.Contains(out, want) {
			t.Errorf("table lacks %q:\n%s", want, out)
		}
	}
}

// TestCommandsComplete: every command has a unique name, runs and declares
// its flags, and its help lists them.
func TestCommandsComplete(t *testing.T) {
	seen := map[string]bool{}
	for _, c := range commands() {
		if c.Name == "" || seen[c.Name] || c.Run == nil || c.Flags == nil || c.Short == "" || c.UsageLine == "" {
			t.Errorf("command %q: a name, Run, Flags, Short and UsageLine are all required, the name once", c.Name)
		}
		seen[c.Name] = true
		var b strings.Builder
		help(&b, c)
		if !strings.Contains(b.String(), "\nFlags:\n") || !strings.Contains(b.String(), "--") {
			t.Errorf("help %s lists no flags:\n%s", c.Name, b.String())
		}
	}
}

// TestInterruptedWritesNothing: a run whose context is cancelled says it
// was interrupted, exits with status 1 and writes no file.
func TestInterruptedWritesNothing(t *testing.T) {
	dir := t.TempDir()
	hist := filepath.Join(dir, "h.csv")
	if _, e, code := simulateCmd("generate", "--weeks", "30", "-o", hist); code != 0 {
		t.Fatal(e)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	for _, args := range [][]string{
		{"calibrate", "--no-check", "--history", hist, "-o", filepath.Join(dir, "m.yaml")},
		{"generate", "--weeks", "30", "-o", filepath.Join(dir, "g.csv")},
		{"report", "--trials", "200", "-o", filepath.Join(dir, "r.html")},
		{"backtest", "--history", hist, "--origins", "2", "--trials", "100", "--save-calibration", filepath.Join(dir, "c.yaml")},
		{"optimize", "--trials", "100", "--csv", filepath.Join(dir, "o.csv"), "--plots", filepath.Join(dir, "charts")},
	} {
		var o, e bytes.Buffer
		code := run(ctx, commands(), args, &o, &e)
		if want := "simulate " + args[0] + ": interrupted; nothing written\n"; code != 1 || e.String() != want && !strings.HasSuffix(e.String(), "\n"+want) {
			t.Errorf("%v: exit %d, stderr %q; want 1 and %q", args, code, e.String(), want)
		}
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 1 {
		t.Errorf("the interrupted runs left %d files beside the history", len(entries)-1)
	}
}

// full is standard output on a full disk.
type full struct{}

func (full) Write([]byte) (int, error) { return 0, syscall.ENOSPC }

// TestPrintedToFullDisk checks that the version and the help, written to
// a full disk, exit 1 saying so: a script that asked for them must not
// be told they are there.
func TestPrintedToFullDisk(t *testing.T) {
	for _, args := range [][]string{{"--version"}, {"help"}, {"help", "forecast"}, {"forecast", "--help"}} {
		var e bytes.Buffer
		code := run(context.Background(), commands(), args, full{}, &e)
		if code != exitError || !strings.Contains(e.String(), "simulate: writing to standard output: no space left on device") {
			t.Errorf("simulate %s: exit %d, %q", strings.Join(args, " "), code, e.String())
		}
	}
}
