package trials

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"

	"github.com/funnelsim/funnelsim/model"
)

// Run describes the run a file holds a shard of.
type Run struct {
	// Command is the command that ran: "forecast", "compare", "sweep",
	// "goal" or "portfolio".
	Command string `json:"command"`
	// Version is the software's version.
	Version string `json:"version"`
	// ModelSHA256 is the SHA-256 of Model.
	ModelSHA256 string `json:"model_sha256"`
	Seed        uint64 `json:"seed"`
	Weeks       int    `json:"weeks"`
	FixedParams bool   `json:"fixed_params"`
	// Trials is the whole run's number of trials; this shard holds Count
	// of them from FirstTrial.
	Trials     int `json:"trials"`
	FirstTrial int `json:"first_trial"`
	Count      int `json:"count"`
	// Results describe the run's results, in order: the rows of each
	// come in this order.
	Results []Header `json:"results"`
	// Model is the model file the run read (YAML); a portfolio's are
	// Parts, one per result, and Model is empty.
	Model string   `json:"model_yaml"`
	Parts []string `json:"part_models_yaml,omitempty"`
	// Scenarios is the scenario file a comparison read (YAML), and
	// Notes each scenario's warnings.
	Scenarios string     `json:"scenarios_yaml,omitempty"`
	Notes     [][]string `json:"scenario_notes,omitempty"`
	// Lever and Values are a sweep's lever and its value at each result;
	// a grid's results are at every pair of Values and Values2 (of
	// Lever2), in scenarios.Grid's order.
	Lever   string    `json:"lever,omitempty"`
	Values  []float64 `json:"values,omitempty"`
	Lever2  string    `json:"lever2,omitempty"`
	Values2 []float64 `json:"values2,omitempty"`
	// Range is a goal seek's range, lo, hi and step; its Values are
	// every value the seek could ask for.
	Range []float64 `json:"range,omitempty"`
	// Build identifies the program that ran the shard (its version and
	// the SHA-256 of its executable): shards of different builds may
	// draw different numbers, and merge refuses to join them.
	Build string `json:"build,omitempty"`
	// Inputs is the SHA-256 of the other files the run read, those the
	// model file does not pin (a comparison's --history and its reading
	// flags); empty where there are none.
	Inputs string `json:"inputs_sha256,omitempty"`
	// Recalibration, if set, is applied once the shards are merged: to
	// each result, or to a portfolio's total.
	Recalibration *model.Recalibration `json:"recalibration,omitempty"`
	// Combine says a forecast's or comparison's totals are combined, once
	// merged, with the baselines of the model's track record
	// (model.TrackRecord.Combine); false for the model alone (--raw).
	Combine bool `json:"combine,omitempty"`
}

// Header is what a result holds besides its trials.
type Header struct {
	Name     string             `json:"name"`
	Seed     uint64             `json:"seed"`
	Currency string             `json:"currency"`
	Start    model.Date         `json:"start"`
	Metrics  []model.MetricInfo `json:"metrics"`
	// TrackRecord is the run's model's track record, a line per target
	// (model.Result.TrackRecord).
	TrackRecord []string `json:"track_record,omitempty"`
}

// Hash returns the SHA-256 of the run's model file, or of its parts' in
// turn (each after a zero byte), as ModelSHA256 holds it.
func (r *Run) Hash() string {
	h := sha256.New()
	h.Write([]byte(r.Model))
	for _, p := range r.Parts {
		h.Write([]byte{0})
		h.Write([]byte(p))
	}
	return hex.EncodeToString(h.Sum(nil))
}

// NewRun describes the shard of a run that results hold, results of one
// Run, RunAll or RunPortfolio over the same trials. parts are a
// portfolio's model files, in the order of its results; modelYAML is
// the model file of any other run.
func NewRun(command, version string, modelYAML []byte, parts [][]byte, results []*model.Result, total int) (*Run, error) {
	if len(results) == 0 {
		return nil, fmt.Errorf("trials: no results")
	}
	r0 := results[0]
	run := &Run{Command: command, Version: version, Seed: r0.Seed, Weeks: r0.Weeks,
		FixedParams: r0.FixedParams, Trials: total, FirstTrial: r0.FirstTrial, Count: r0.Trials, Model: string(modelYAML)}
	if parts != nil {
		if len(parts) != len(results) {
			return nil, fmt.Errorf("trials: %d model files for %d results", len(parts), len(results))
		}
		run.Model = ""
		for _, p := range parts {
			run.Parts = append(run.Parts, string(p))
		}
	}
	run.ModelSHA256 = run.Hash()
	for _, r := range results {
		if r.Trials != r0.Trials || r.FirstTrial != r0.FirstTrial || r.Weeks != r0.Weeks {
			return nil, fmt.Errorf("trials: result %q is not over the same trials as %q", r.Model, r0.Model)
		}
		if r.Recalibrated != "" {
			return nil, fmt.Errorf("trials: result %q is recalibrated; a shard holds the trials as simulated", r.Model)
		}
		run.Results = append(run.Results, Header{Name: r.Model, Seed: r.Seed, Currency: r.Currency, Start: r.Start, Metrics: r.Metrics, TrackRecord: r.TrackRecord})
	}
	if run.FirstTrial < 0 || run.FirstTrial+run.Count > total {
		return nil, fmt.Errorf("trials: trials %d to %d are not within the run's %d", run.FirstTrial, run.FirstTrial+run.Count-1, total)
	}
	return run, nil
}

// Shard returns the range of trials shard i of n runs: the i-th of n
// ranges, as equal as can be, that tile 0..total.
func Shard(i, n, total int) (first, count int) {
	lo := int(int64(i) * int64(total) / int64(n))
	hi := int(int64(i+1) * int64(total) / int64(n))
	return lo, hi - lo
}
