package document_test

import (
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
}
