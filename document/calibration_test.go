package document_test

import (
	"math"
	"strings"
	"testing"

	"github.com/funnelsim/funnelsim/document"
	"github.com/funnelsim/funnelsim/model"
	"github.com/funnelsim/funnelsim/sample"
)

// write is model m's calibration summary as text, its draws keyed by seed.
func write(t *testing.T, m *model.Model, seed uint64) string {
	t.Helper()
	c, err := document.NewCalibration(m, "model.yaml", seed)
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	if err := c.WriteText(&b); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

// TestCalibration: the summary names every channel and stage, and
// the same seed gives the same intervals.
func TestCalibration(t *testing.T) {
	m := sample.Model()
	a, b := write(t, m, 3), write(t, m, 3)
	if a != b {
		t.Error("the same seed gave two summaries")
	}
	for _, c := range m.Channels {
		if !strings.Contains(a, "\n"+c.Name) && !strings.Contains(a, " "+c.Name+" ") {
			t.Errorf("no row for channel %s", c.Name)
		}
	}
	for _, s := range m.Stages[:len(m.Stages)-1] {
		if !strings.Contains(a, s.Name) {
			t.Errorf("no row for stage %s", s.Name)
		}
	}
	for _, want := range []string{"model.yaml: ", "arrival shock: CV", "open pipeline: "} {
		if !strings.Contains(a, want) {
			t.Errorf("summary lacks %q:\n%s", want, a)
		}
	}
	// A channel with no leads, and one whose weeks vary no more than
	// Poisson (an infinite dispersion), read as such, not "+Inf".
	m.Channels[0].WeeklyLeads, m.Channels[0].Dispersion = 0, math.Inf(1)
	m.Channels[1].Dispersion = math.Inf(1)
	if c := write(t, m, 3); strings.Contains(c, "Inf") || !strings.Contains(c, "Poisson") {
		t.Errorf("infinite dispersions:\n%s", c)
	}
}
