package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/funnelsim/funnelsim/sample"
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

// TestSweepAndGoal runs both commands on the embedded sample and checks
// their output and flag errors.
func TestSweepAndGoal(t *testing.T) {
	out, errOut, code := simulateCmd("sweep", "--lever", "reps", "--range", "2:6:2", "--trials", "300", "--target", "800000")
	if code != 0 {
		t.Fatalf("sweep: exit %d: %s", code, errOut)
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if len(lines) != 6 || !strings.Contains(out, "P(revenue >= 800,000)") {
		t.Errorf("sweep table:\n%s", out)
	}
	// Ten steps from 4 to 10 round to the seven whole teams, each once.
	out, errOut, code = simulateCmd("sweep", "--lever", "reps", "--range", "4:10", "--trials", "300")
	var values []string
	for _, line := range strings.Split(strings.TrimSpace(out), "\n")[3:] {
		values = append(values, strings.Fields(line)[0])
	}
	if code != 0 || strings.Join(values, " ") != "4 5 6 7 8 9 10" {
		t.Errorf("sweep of reps over 4:10: exit %d, values %v, %s", code, values, errOut)
	}
	out, _, code = simulateCmd("goal", "--lever", "reps", "--target", "1e9", "--trials", "300")
	if code != 0 || !strings.HasPrefix(out, "reps cannot reach P(revenue >= 1,000,000,000) >= 0.80: at 12 it is 0.000 ± 0.000 (now 6)\nraising reps further stops helping: at 48 it is 0.000") || !strings.Contains(out, "no trial reaches the target at any value tried\n") {
		t.Errorf("goal out of reach: exit %d, %q", code, out)
	}
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"sweep"}, "simulate sweep: --lever is required"},
		{[]string{"sweep", "--lever", "tv"}, `simulate sweep: unknown lever "tv"`},
		{[]string{"sweep", "--lever", "reps", "--range", "5:1"}, `simulate sweep: --range "5:1": want A <= B and STEP > 0`},
		{[]string{"goal", "--lever", "reps"}, "simulate goal: --target is required"},
		{[]string{"goal", "--lever", "cold_rate", "--target", "1"}, "simulate goal: goal needs a lever where more never lowers revenue"},
		{[]string{"goal", "--lever", "reps", "--target", "1", "--confidence", "1.5"}, "simulate goal: --confidence must be in (0, 1)"},
	} {
		_, errOut, code := simulateCmd(c.args...)
		if code != 2 || !strings.HasPrefix(errOut, c.want) {
			t.Errorf("simulate %v: exit %d, %q; want 2 and %q", c.args, code, errOut, c.want)
		}
	}
}

// TestPlotsFlag writes the forecast's charts and refuses an unknown format.
func TestPlotsFlag(t *testing.T) {
	dir := t.TempDir()
	if _, errOut, code := simulateCmd("forecast", "--trials", "300", "--target", "800000", "--plots", dir, "--plot-format", "svg"); code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	for _, name := range []string{"fan.svg", "histogram.svg", "funnel.svg"} {
		b, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil || !strings.Contains(string(b), "<svg") {
			t.Errorf("%s: %v", name, err)
		}
	}
	_, errOut, code := simulateCmd("forecast", "--plots", dir, "--plot-format", "gif")
	if code != 2 || !strings.HasPrefix(errOut, `simulate forecast: --plot-format must be png, svg or pdf (got "gif")`) {
		t.Errorf("gif: exit %d, %q", code, errOut)
	}
	// A --csv named as a chart in the --plots folder would be replaced by
	// the chart (or replace it): refused before the run.
	_, errOut, code = simulateCmd("forecast", "--trials", "200", "--plots", dir, "--csv", filepath.Join(dir, "fan.png"))
	if code != 2 || !strings.Contains(errOut, "fan.png lies in the --plots folder with the charts' extension .png: a chart could replace it") {
		t.Errorf("--csv in the charts: exit %d, %q", code, errOut)
	}
	// Inside both ranges, but 392 million pixels: refused before the run,
	// where it ran out of memory drawing the first chart.
	_, errOut, code = simulateCmd("forecast", "--plots", dir, "--plot-size", "33x33", "--plot-dpi", "600")
	if code != 2 || !strings.HasPrefix(errOut, `simulate forecast: --plot-size 33x33 at --plot-dpi 600 is a PNG of 392 million pixels, past the 50 million`) {
		t.Errorf("33x33 at 600 dpi: exit %d, %q", code, errOut)
	}
}

// TestReport writes the meeting report and checks that it is
// self-contained (every chart inline, no script, nothing fetched), that
// its page one holds the answer, the fan chart and the decision, and that
// --appendix adds every other chart and the tables.
func TestReport(t *testing.T) {
	if testing.Short() {
		t.Skip("three reports with their runs; make test runs it without the race detector")
	}
	dir := t.TempDir()
	one, path := filepath.Join(dir, "one.html"), filepath.Join(dir, "report.html")
	scen := filepath.Join("..", "..", "examples", "sample-scenarios.yaml")
	if _, errOut, code := simulateCmd("report", "--trials", "500", "--target", "800000", "--scenarios", scen, "-o", one); code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	first := readFile(t, one)
	if n := strings.Count(first, "<svg"); n != 1 {
		t.Errorf("page one has %d charts, want the fan chart alone", n)
	}
	for _, want := range []string{"Revenue will most likely be about", "The scenarios, the one that adds most revenue first", "SQL definition workshop", "What the forecast leans on most", "--appendix"} {
		if !strings.Contains(first, want) {
			t.Errorf("page one lacks %q", want)
		}
	}
	if strings.Contains(first, "Appendix</h1>") {
		t.Error("page one has an appendix, not asked for")
	}
	if _, errOut, code := simulateCmd("report", "--trials", "500", "--target", "800000", "--scenarios", scen, "--appendix", "-o", path); code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	page := readFile(t, path)
	// page one's fan and the appendix's captioned charts, the response to spend among them
	if n := strings.Count(page, "<svg"); n != 7 {
		t.Errorf("%d charts, want 7", n)
	}
	// SVG's namespace names are not fetched; nothing else may name a URL.
	stripped := strings.NewReplacer(`xmlns="http://www.w3.org/2000/svg"`, "", `xmlns:xlink="http://www.w3.org/1999/xlink"`, "").Replace(page)
	for _, bad := range []string{"<script", "http:", "https:", "<link", "@import", "<?xml", "url("} {
		if strings.Contains(stripped, bad) {
			t.Errorf("the page contains %q", bad)
		}
	}
	for _, want := range []string{"Chance of reaching 800k", "The funnel&#39;s rates", "Scenarios against the baseline", "SQL definition workshop"} {
		if !strings.Contains(page, want) {
			t.Errorf("the page lacks %q", want)
		}
	}
	if _, errOut, code := simulateCmd("report"); code != 2 || !strings.HasPrefix(errOut, "simulate report: -o (the HTML file to write) is required") {
		t.Errorf("no -o: exit %d, %q", code, errOut)
	}
}

// TestCompareSQLStageNamed: the compare table's SQL column reads the
// model's SQL stage whatever it is called.
func TestCompareSQLStageNamed(t *testing.T) {
	m := sample.Model()
	i := m.StageIndex(m.SQLStage)
	old := m.Stages[i].Name
	m.Stages[i].Name, m.Stages[i].Metric, m.SQLStage = "qualified", "qualified", "qualified"
	for k := range m.Pipeline.Open {
		if m.Pipeline.Open[k].Stage == old {
			m.Pipeline.Open[k].Stage = "qualified"
		}
	}
	dir := t.TempDir()
	path := filepath.Join(dir, "m.yaml")
	if err := m.WriteFile(path); err != nil {
		t.Fatal(err)
	}
	scen := filepath.Join(dir, "s.yaml")
	if err := os.WriteFile(scen, []byte("scenarios:\n  - name: more\n    interventions:\n      - reps: {week: 1, hires: 2}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	out, errOut, code := simulateCmd("compare", "--model", path, "--scenarios", scen, "--trials", "300")
	if code != 0 || strings.Contains(out, "- ± -") {
		t.Errorf("exit %d, %s\n%s", code, errOut, out)
	}
}
