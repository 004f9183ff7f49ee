package scenarios_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/funnelsim/funnelsim/calibrate"
	"github.com/funnelsim/funnelsim/internal/fixture"
	"github.com/funnelsim/funnelsim/sample"
	"github.com/funnelsim/funnelsim/scenarios"
)

// FuzzScenarioFile feeds arbitrary bytes to the scenario file decoder,
// applies what it accepts to the sample company and runs a short forecast
// of each scenario: none may panic, and a forecast's totals are finite.
func FuzzScenarioFile(f *testing.F) {
	if b, err := os.ReadFile(filepath.Join("..", "examples", "sample-scenarios.yaml")); err == nil {
		f.Add(b)
	}
	for _, s := range []string{"", "scenarios: []\n", "scenarios:\n  - name: a\n    interventions:\n      - reps: {week: 1, hires: -99}\n",
		"scenarios:\n  - name: a\n    interventions:\n      - budget: {spend: {paid_search: 1e308}}\n"} {
		f.Add([]byte(s))
	}
	m := sample.Model()
	f.Fuzz(func(t *testing.T, b []byte) {
		file, err := scenarios.Decode(b)
		if err != nil {
			return
		}
		for _, s := range file.Scenarios {
			sm, _, err := scenarios.Apply(m, s, nil)
			if err != nil {
				continue
			}
			// An applied scenario runs: an error or finite totals, no
			// panic.
			fixture.RunShort(t, sm, fmt.Sprintf("scenario %q: ", s.Name))
		}
	})
}

// FuzzRule compiles arbitrary rules against a small history and evaluates
// those that compile: no panic, and every evaluation gives a bool or an
// error.
func FuzzRule(f *testing.F) {
	h, err := calibrate.Read(context.Background(), []calibrate.File{{Name: "h.csv", R: strings.NewReader("lead_id,created_at,job_level,lead_score\na,2025-01-01,manager,70\nb,2025-01-02,,\n")}}, calibrate.ReadOptions{})
	if err != nil {
		f.Fatal(err)
	}
	for _, s := range []string{`job_level == "manager"`, `lead_score >= 60`, `job_level in ["a", "b"] && lead_score < 1e9`, `lead_score / 0 > 1`, `len(job_level) > 2`, `x`, `1 +`} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, rule string) {
		r, err := scenarios.CompileRule(rule, h)
		if err != nil {
			return
		}
		for i := range h.Leads {
			r.Match(&h.Leads[i])
		}
	})
}
