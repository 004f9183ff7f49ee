package document_test

import (
	"math"
	"strings"
	"testing"

	"github.com/funnelsim/funnelsim/document"
	"github.com/funnelsim/funnelsim/sample"
)

// TestWriteCalibration: the summary names every channel and stage, and
// the same seed gives the same intervals.
func TestWriteCalibration(t *testing.T) {
	m := sample.Model()
	var a, b strings.Builder
	if err := document.WriteCalibration(&a, m, "model.yaml", 3); err != nil {
		t.Fatal(err)
	}
	if err := document.WriteCalibration(&b, m, "model.yaml", 3); err != nil {
		t.Fatal(err)
	}
	if a.String() != b.String() {
		t.Error("the same seed gave two summaries")
	}
	for _, c := range m.Channels {
		if !strings.Contains(a.String(), "\n"+c.Name) && !strings.Contains(a.String(), " "+c.Name+" ") {
			t.Errorf("no row for channel %s", c.Name)
		}
	}
	for _, s := range m.Stages[:len(m.Stages)-1] {
		if !strings.Contains(a.String(), s.Name) {
			t.Errorf("no row for stage %s", s.Name)
		}
	}
	for _, want := range []string{"model.yaml: ", "arrival shock: CV", "open pipeline: "} {
		if !strings.Contains(a.String(), want) {
			t.Errorf("summary lacks %q:\n%s", want, a.String())
		}
	}
	// A channel with no leads, and one whose weeks vary no more than
	// Poisson (an infinite dispersion), read as such, not "+Inf".
	m.Channels[0].WeeklyLeads, m.Channels[0].Dispersion = 0, math.Inf(1)
	m.Channels[1].Dispersion = math.Inf(1)
	var c strings.Builder
	if err := document.WriteCalibration(&c, m, "model.yaml", 3); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(c.String(), "Inf") || !strings.Contains(c.String(), "Poisson") {
		t.Errorf("infinite dispersions:\n%s", c.String())
	}
}
