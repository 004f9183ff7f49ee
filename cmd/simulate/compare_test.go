package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestCompare runs the sample scenarios through the command: a table with
// every scenario, JSON with paired differences, and errors for bad files.
func TestCompare(t *testing.T) {
	scen := filepath.Join("..", "..", "examples", "sample-scenarios.yaml")
	out, errOut, code := simulateCmd("compare", "--scenarios", scen, "--trials", "500", "--target", "800000")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	for _, want := range []string{"Current plan", "SQL definition workshop", "Case study instead of ebook", "Two more AEs from week 3",
		"Move 30% of paid social budget to webinars", "Monday hand-off SLA", "Δ revenue", "P(target)"} {
		if !strings.Contains(out, want) {
			t.Errorf("table lacks %q:\n%s", want, out)
		}
	}
	out, _, code = simulateCmd("compare", "--scenarios", scen, "--trials", "500", "--json")
	if code != 0 {
		t.Fatal("compare --json failed")
	}
	var doc struct {
		Baseline  map[string]any `json:"baseline"`
		Scenarios []struct {
			Name  string                         `json:"name"`
			Delta map[string]map[string]*float64 `json:"delta"`
		} `json:"scenarios"`
	}
	if err := json.Unmarshal([]byte(out), &doc); err != nil {
		t.Fatal(err)
	}
	if len(doc.Scenarios) != 5 || doc.Baseline["model"] != "Current plan" {
		t.Fatalf("%d scenarios, baseline %v", len(doc.Scenarios), doc.Baseline["model"])
	}
	for _, k := range []string{"mean", "mean_mcse", "p50", "p50_mcse", "p_better", "p_better_mcse", "paired_se", "unpaired_se"} {
		if doc.Scenarios[0].Delta["revenue"][k] == nil {
			t.Errorf("delta.revenue lacks %q", k)
		}
	}
	dir := t.TempDir()
	bad := filepath.Join(dir, "bad.yaml")
	os.WriteFile(bad, []byte("scenarios:\n  - name: x\n    interventions:\n      - budget: {move: {from: tv, to: webinar, share: 0.1}}\n"), 0o644)
	for _, c := range []struct {
		args []string
		code int
		want string
	}{
		{[]string{"compare"}, 2, "simulate compare: --scenarios is required"},
		{[]string{"compare", "--scenarios", bad}, 1, `simulate: scenario "x": interventions[0]: budget.move.from: no channel "tv" in the model`},
		{[]string{"compare", "--scenarios", filepath.Join(dir, "none.yaml")}, 1, "simulate: open " + filepath.Join(dir, "none.yaml") + ": no such file or directory"},
	} {
		_, errOut, code := simulateCmd(c.args...)
		if code != c.code || !strings.HasPrefix(errOut, c.want) {
			t.Errorf("simulate %v: exit %d, %q; want %d and %q", c.args, code, errOut, c.code, c.want)
		}
	}
}
