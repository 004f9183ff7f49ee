package calibrate

import (
	"fmt"
	"math"

	"github.com/funnelsim/funnelsim/model"
)

// ReadingOf is the record a model keeps of how its history was read: the
// files' names (history) and the reading options o, so that a later
// command reads the same history the same way (ReadOptionsFor).
func ReadingOf(history []string, o ReadOptions) *model.Reading {
	rd := &model.Reading{History: history, Stages: o.Stages, Map: o.Map, StageMap: o.StageMap, DateFormat: o.DateFormat}
	share := shareOf(o.MaxRejected)
	rd.MaxRejected = &share
	if o.Preset != nil {
		rd.Preset = o.Preset.Name
	}
	return rd
}

// ReadOptionsFor is the reading options a model's record of its history
// gives (ReadingOf's inverse), with names for the messages; an unknown
// preset is an error.
func ReadOptionsFor(rd *model.Reading, names SettingNames) (ReadOptions, error) {
	o := ReadOptions{Stages: rd.Stages, Map: rd.Map, StageMap: rd.StageMap, DateFormat: rd.DateFormat, MaxRejected: DefaultMaxRejected, Names: names}
	if rd.MaxRejected != nil {
		o.MaxRejected = MaxRejectedOf(*rd.MaxRejected)
	}
	if rd.Preset != "" {
		p, err := PresetNamed(rd.Preset)
		if err != nil {
			return ReadOptions{}, fmt.Errorf("provenance.reading.preset: %w", err)
		}
		o.Preset = p
	}
	return o, nil
}

// MaxRejectedOf is a share of rows that may be rejected, as a user gives
// it (0 for none, 1 for no limit), as ReadOptions.MaxRejected takes it.
func MaxRejectedOf(share float64) float64 {
	switch {
	case share >= 1:
		return 0
	case share == 0:
		return math.SmallestNonzeroFloat64
	}
	return share
}

// shareOf is MaxRejectedOf's inverse.
func shareOf(max float64) float64 {
	switch {
	case max == 0:
		return 1
	case max == math.SmallestNonzeroFloat64:
		return 0
	}
	return max
}
