package demo_test

import (
	"context"
	"testing"

	"github.com/funnelsim/funnelsim/demo"
)

// TestDemoRun runs the demo with few trials and its report: a calibrated
// model with its track record, a forecast of those trials, the five
// sample scenarios compared with it, and the report's page, each as the
// command prints and writes them.
func TestDemoRun(t *testing.T) {
	if testing.Short() {
		t.Skip("calibrates and self-checks the sample history; make test runs it without the race detector")
	}
	d, err := demo.Run(context.Background(), demo.Options{Target: 800e3, Trials: 400, Seed: 1, Workers: 2, Report: true})
	if err != nil {
		t.Fatal(err)
	}
	if d.Model.TrackRecord == nil || len(d.Model.TrackRecord.Targets) == 0 {
		t.Error("no track record")
	}
	if r := d.Model.Provenance.Reading; r == nil || len(r.History) != 1 || r.History[0] != demo.HistoryName {
		t.Errorf("provenance %+v, want the embedded history's name", r)
	}
	if d.Forecast.Trials != 400 {
		t.Errorf("forecast of %d trials, want 400", d.Forecast.Trials)
	}
	if n := len(d.Comparison.Scenarios); n != 5 {
		t.Errorf("%d scenarios compared, want the sample's 5", n)
	}
	if d.Tornado == nil || d.Page == nil {
		t.Error("no tornado or report page")
	}
	if _, err := demo.Run(context.Background(), demo.Options{Trials: 0}); err == nil {
		t.Error("no trials: no error")
	}
}
