package report

import (
	"slices"
	"strings"
	"testing"

	"github.com/funnelsim/funnelsim/model"
)

// TestTrust checks the track record's sentence on page one and its table
// in the appendix, with a record, with one that combines, and without.
func TestTrust(t *testing.T) {
	tr := &model.TrackRecord{HorizonWeeks: 13, Targets: []model.TargetTrackRecord{
		{Target: "wins", Scored: 6, Covered80: 5, Skill: map[string]float64{"naive": 0.3}, Strongest: "naive"},
		{Target: "revenue", Scored: 6, Covered80: 4, Skill: map[string]float64{"naive": 0.1, "pipeline": -0.25}, Strongest: "pipeline",
			Combination: &model.Combination{Baseline: "pipeline", Weight: 0.4, Quantiles: []float64{1, 2}}},
	}}
	combined := &model.Result{Weeks: 13, Combined: "combined with …"}
	for _, c := range []struct {
		tr   *model.TrackRecord
		r    *model.Result
		want string
	}{
		{tr, combined, "Track record: on this history, the model's 13-week forecasts of revenue covered 4 of 6 past quarters (80% intervals); pipeline was 20% better. The totals here are combined with the baselines that forecast best on it."},
		{tr, &model.Result{Weeks: 26}, "Track record: on this history, the model's 13-week forecasts of revenue covered 4 of 6 past quarters (80% intervals); pipeline was 20% better (this forecast is 26 weeks)."},
		{nil, combined, "Track record: the model was not calibrated from a history with its self-check (a planner's file, or --no-check), so how far to trust this forecast is not known."},
		{&model.TrackRecord{Skipped: "the history is too short"}, combined, "Track record: the history is too short, so how far to trust this forecast is not known."},
	} {
		if got := trust(c.tr, c.r); got != c.want {
			t.Errorf("got  %q\nwant %q", got, c.want)
		}
	}
	tab, ok := trackTable(tr)
	if !ok || len(tab.Rows) != 2 || !slices.Equal(tab.Rows[1], []string{"revenue", "4 of 6 quarters", "-0.25 (pipeline)", "pipeline, 40%"}) || tab.Rows[0][3] != "the model alone" {
		t.Errorf("table %+v", tab)
	}
	if _, ok := trackTable(nil); ok {
		t.Error("a table without a record")
	}
	if !strings.HasPrefix(tab.Title, "Track record: the model's 13-week forecasts") {
		t.Errorf("title %q", tab.Title)
	}
}
