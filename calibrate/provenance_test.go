package calibrate_test

import (
	"math"
	"reflect"
	"strings"
	"testing"

	"github.com/funnelsim/funnelsim/calibrate"
	"github.com/funnelsim/funnelsim/model"
)

// TestReadingRoundTrip: the record a model keeps of how its history was
// read gives back the options that read it, for every limit on rejected
// rows and with a preset; an unknown preset is an error naming the key.
func TestReadingRoundTrip(t *testing.T) {
	hubspot, err := calibrate.PresetNamed("hubspot")
	if err != nil {
		t.Fatal(err)
	}
	for _, o := range []calibrate.ReadOptions{
		{MaxRejected: calibrate.DefaultMaxRejected},
		{MaxRejected: 0.2, Stages: []string{"mql", "sql"}, Map: map[string]string{"lead_id": "id"}, StageMap: map[string]string{"Won": "won"}, DateFormat: "1/2/2006"},
		{MaxRejected: calibrate.MaxRejectedOf(1)},
		{MaxRejected: calibrate.MaxRejectedOf(0)},
		{MaxRejected: calibrate.DefaultMaxRejected, Preset: hubspot},
	} {
		rd := calibrate.ReadingOf([]string{"h.csv"}, o)
		got, err := calibrate.ReadOptionsFor(rd, nil)
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(got, o) {
			t.Errorf("%+v read back as %+v (recorded %+v)", o, got, *rd)
		}
	}
	if got := calibrate.MaxRejectedOf(0); got != math.SmallestNonzeroFloat64 {
		t.Errorf("no row rejected: %v", got)
	}
	_, err = calibrate.ReadOptionsFor(&model.Reading{History: []string{"h.csv"}, Preset: "zoho"}, nil)
	if err == nil || !strings.Contains(err.Error(), "provenance.reading.preset") {
		t.Errorf("an unknown preset: %v", err)
	}
}
