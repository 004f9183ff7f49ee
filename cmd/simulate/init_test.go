package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/funnelsim/funnelsim/examples"
)

// TestInitPlan writes a planner's file, which forecast and goal --lever
// leads take in place of a model; init keeps an existing file.
func TestInitPlan(t *testing.T) {
	if testing.Short() {
		t.Skip("runs a goal seek; make test runs it without the race detector")
	}
	dir := t.TempDir()
	plan := filepath.Join(dir, "plan.yaml")
	if _, stderr, code := simulateCmd("init", "-o", plan, "--start", "2027-03-01"); code != 0 {
		t.Fatalf("init: exit %d: %s", code, stderr)
	}
	text, err := os.ReadFile(plan)
	if err != nil || !strings.Contains(string(text), "start: 2027-03-01 ") {
		t.Fatalf("plan file: %v\n%s", err, text)
	}
	out, stderr, code := simulateCmd("forecast", "--model", plan, "--trials", "2000", "--target", "150k")
	if code != 0 || !strings.HasPrefix(out, "New product launch: 13 weeks from 2027-03-01") || !strings.Contains(out, "P(revenue >= 150,000)") {
		t.Fatalf("forecast from the plan: exit %d\n%s%s", code, out, stderr)
	}
	out, stderr, code = simulateCmd("goal", "--model", plan, "--lever", "leads", "--target", "200k", "--weeks", "26", "--trials", "2000")
	if code != 0 || !strings.HasPrefix(out, "leads = ") {
		t.Fatalf("goal --lever leads: exit %d\n%s%s", code, out, stderr)
	}
	if _, stderr, code := simulateCmd("init", "-o", plan); code != 1 || !strings.Contains(stderr, "exists; --force replaces it") {
		t.Fatalf("init over a file: exit %d: %s", code, stderr)
	}
	os.WriteFile(plan, []byte(strings.Replace(string(text), "conversion: 0.5\n", "conversion: half\n", 1)), 0o666)
	if _, stderr, code := simulateCmd("forecast", "--model", plan, "--trials", "100"); code != 1 || !strings.Contains(stderr, "line 43: stages[2].conversion: want a number or a range [low, high]") {
		t.Fatalf("a broken plan: exit %d: %s", code, stderr)
	}
}

// TestCompareFindsHistory: a model calibrated from a file carries how the
// file was read, and compare reads it again for attribute rules without
// --history, giving what --history gives; once the file changes it says
// so and asks for --history.
func TestCompareFindsHistory(t *testing.T) {
	if testing.Short() {
		t.Skip("calibrates two years of history; make test runs it without the race detector")
	}
	dir := t.TempDir()
	hist := filepath.Join(dir, "history.csv.gz")
	if err := os.WriteFile(hist, examples.HistoryGz(), 0o666); err != nil {
		t.Fatal(err)
	}
	spend := filepath.Join(dir, "spend.csv")
	if err := os.WriteFile(spend, examples.SpendCSV(), 0o666); err != nil {
		t.Fatal(err)
	}
	m := filepath.Join(dir, "model.yaml")
	if _, stderr, code := simulateCmd("calibrate", "--no-check", "--history", hist, "--spend", spend, "--stale-after", "26", "-o", m); code != 0 {
		t.Fatalf("calibrate: exit %d: %s", code, stderr)
	}
	scen := filepath.Join("..", "..", "examples", "sample-scenarios.yaml")
	args := []string{"compare", "--model", m, "--scenarios", scen, "--trials", "500", "--json"}
	found, stderr, code := simulateCmd(args...)
	if code != 0 || !strings.Contains(stderr, "evidence for attribute rules: "+hist) {
		t.Fatalf("compare without --history: exit %d: %s", code, stderr)
	}
	given, stderr, code := simulateCmd(append(args, "--history", hist, "--stale-after", "26")...)
	if code != 0 || given != found {
		t.Fatalf("compare with --history: exit %d, same output %v: %s", code, given == found, stderr)
	}
	f, err := os.OpenFile(hist, os.O_APPEND|os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	f.Write([]byte{0})
	f.Close()
	_, stderr, code = simulateCmd(args...)
	if code != 1 || !strings.Contains(stderr, hist+" has changed since the model was calibrated") || !strings.Contains(stderr, "(give it with --history)") {
		t.Fatalf("compare after the history changed: exit %d: %s", code, stderr)
	}
}
