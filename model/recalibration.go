package model

import (
	"bytes"
	"errors"
	"fmt"
	"math"
	"slices"

	"go.yaml.in/yaml/v3"

	"github.com/funnelsim/funnelsim/internal/atomicfile"
)

// Recalibration maps a forecast's totals to calibrated ones, target by
// target, as a backtest of the model's own past forecasts learned it
// (backtest.Learn): where the past outcomes fell outside the intervals
// more often than stated, the map widens them; where the forecasts ran
// high, it moves them down.
//
// Each target's map works on the log scale, log(1 + x), around the
// forecast's own median m: a trial's z becomes m + Scale·(z − m) + Shift.
// It is monotone, so every trial keeps its rank and paired comparisons
// between scenarios stay paired. Ratios (win rate) and costs are left as
// simulated.
type Recalibration struct {
	// HorizonWeeks is the horizon of the forecasts it was learned from;
	// it applies to forecasts over the same horizon only.
	HorizonWeeks int                  `yaml:"horizon_weeks"`
	Source       string               `yaml:"source,omitempty"` // what it was learned from
	Targets      []RecalibratedTarget `yaml:"targets"`
}

// RecalibratedTarget is one target's map (see Recalibration).
type RecalibratedTarget struct {
	Target string  `yaml:"target"`
	Scale  float64 `yaml:"scale"`
	Shift  float64 `yaml:"shift"`
	// Origins is the number of past forecasts it was learned from, and
	// Quarters how many non-overlapping horizons they span: the map is
	// shrunk toward doing nothing by Quarters/(Quarters + 8).
	Origins  int     `yaml:"origins"`
	Quarters float64 `yaml:"quarters"`
}

// Identity reports whether the map leaves a forecast as it is.
func (t RecalibratedTarget) Identity() bool { return t.Scale == 1 && t.Shift == 0 }

// Transform applies the map to the forecast's samples xs, in place.
func (t RecalibratedTarget) Transform(xs []float64) {
	if t.Identity() || len(xs) == 0 {
		return
	}
	z := make([]float64, 0, len(xs))
	for _, x := range xs {
		if !math.IsNaN(x) {
			z = append(z, math.Log1p(math.Max(x, 0)))
		}
	}
	if len(z) == 0 {
		return
	}
	slices.Sort(z)
	m := QuantileOf(z, 0.5)
	for i, x := range xs {
		if math.IsNaN(x) {
			continue
		}
		v := m + t.Scale*(math.Log1p(math.Max(x, 0))-m) + t.Shift
		xs[i] = math.Max(math.Expm1(v), 0)
	}
}

// Validate checks that every map is finite with a positive scale.
// MaxRecalibrationScale and MaxRecalibrationShift bound a target's map:
// a backtest learns a scale of 1 to 10 (backtest's learnTarget), and a
// shift past a factor of a thousand on the totals is no forecast's
// correction. Past them, a hand-edited file (shift 800, scale 1e300)
// blanked or zeroed the forecast.
const (
	MaxRecalibrationScale = 10.0
	MaxRecalibrationShift = 6.907755278982137 // log(1000)
)

// Validate checks that every target's map is named, finite and within
// what a backtest can learn.
func (rc *Recalibration) Validate() error {
	if rc.HorizonWeeks < 1 {
		return fmt.Errorf("recalibration: horizon_weeks %d: must be >= 1", rc.HorizonWeeks)
	}
	for _, t := range rc.Targets {
		if t.Target == "" {
			return errors.New("recalibration: a target without a name")
		}
		if !(t.Scale >= 1/MaxRecalibrationScale && t.Scale <= MaxRecalibrationScale) || !(math.Abs(t.Shift) <= MaxRecalibrationShift) {
			return fmt.Errorf("recalibration: target %s: scale %v and shift %v: the scale must be in [%g, %g] and the shift in [%.2f, %.2f] (a factor of %g), what a backtest can learn", t.Target, t.Scale, t.Shift, 1/MaxRecalibrationScale, MaxRecalibrationScale, -MaxRecalibrationShift, MaxRecalibrationShift, math.Round(math.Exp(MaxRecalibrationShift)))
		}
	}
	return nil
}

// Describe says in a line what the recalibration does, for a forecast's
// output.
func (rc *Recalibration) Describe() string {
	n := 0
	for _, t := range rc.Targets {
		if !t.Identity() {
			n++
		}
	}
	s := fmt.Sprintf("intervals recalibrated on the model's backtest: %d of %d targets changed", n, len(rc.Targets))
	if rc.Source != "" {
		s += " (" + rc.Source + ")"
	}
	return s
}

// apply recalibrates r's totals, and scales each trial's weekly
// cumulative revenue and wins to their recalibrated totals.
func (rc *Recalibration) apply(r *Result) error {
	if r.Weeks != rc.HorizonWeeks {
		return fmt.Errorf("the recalibration was learned on %d-week forecasts; this one is %d weeks", rc.HorizonWeeks, r.Weeks)
	}
	for _, t := range rc.Targets {
		k := slices.IndexFunc(r.Metrics, func(m MetricInfo) bool { return m.Name == t.Target })
		if k < 0 {
			continue
		}
		xs := r.Column(k)
		before := slices.Clone(xs)
		t.Transform(xs)
		r.setColumn(k, xs)
		if t.Target != "revenue" && t.Target != "wins" {
			continue
		}
		r.scalePath(t.Target == "wins", func(i, w int, x float64) float64 {
			if before[i] > 0 {
				return x * (xs[i] / before[i])
			}
			return xs[i] * float64(w+1) / float64(r.Weeks)
		})
	}
	r.Recalibrated = rc.Describe()
	return nil
}

// ReadRecalibration reads a recalibration file (YAML) and checks it.
func ReadRecalibration(path string) (*Recalibration, error) {
	b, err := ReadYAML(path)
	if err != nil {
		return nil, err
	}
	rc, err := DecodeRecalibration(b)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return rc, nil
}

// DecodeRecalibration parses a recalibration file strictly (an unknown
// key is an error) and checks it.
func DecodeRecalibration(b []byte) (*Recalibration, error) {
	var rc Recalibration
	dec := yaml.NewDecoder(bytes.NewReader(b))
	dec.KnownFields(true)
	if err := dec.Decode(&rc); err != nil {
		return nil, err
	}
	if err := rc.Validate(); err != nil {
		return nil, err
	}
	return &rc, nil
}

// WriteFile writes the recalibration to path atomically.
func (rc *Recalibration) WriteFile(path string) error {
	var buf bytes.Buffer
	enc := yaml.NewEncoder(&buf)
	enc.SetIndent(2)
	if err := enc.Encode(rc); err != nil {
		return err
	}
	return atomicfile.WriteFile(path, buf.Bytes())
}
