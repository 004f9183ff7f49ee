// Package examples embeds the sample files that ship with funnelsim: the
// sample company's truth, and a two-year CRM history and weekly spend
// generated from it, from which `simulate demo` calibrates and forecasts.
package examples

import (
	_ "embed"
)

// The sample history and spend are what
//
//	simulate generate --seed 1 --write-truth examples/sample-truth.yaml --spend-out examples/sample-spend.csv -o examples/sample-history.csv.gz
//
// writes: HistoryWeeks weeks of leads and weekly spend to the truth's as-of
// date, with the default share of unrecorded losses and dirty rows.
const (
	HistorySeed  = 1
	HistoryWeeks = 104
)

var (
	//go:embed sample-history.csv.gz
	historyGz []byte
	//go:embed sample-truth.yaml
	truthYAML []byte
	//go:embed sample-spend.csv
	spendCSV []byte
	//go:embed sample-scenarios.yaml
	scenariosYAML []byte
)

// HistoryGz returns the gzipped sample history (CSV).
func HistoryGz() []byte { return historyGz }

// TruthYAML returns the sample truth file.
func TruthYAML() []byte { return truthYAML }

// SpendCSV returns the sample weekly spend per channel (CSV).
func SpendCSV() []byte { return spendCSV }

// ScenariosYAML returns the sample what-if scenarios.
func ScenariosYAML() []byte { return scenariosYAML }

//go:embed sample-plan.yaml
var planYAML []byte

// PlanYAML returns the sample planner's funnel, what `simulate init`
// writes: a funnel from a planner's own numbers, for a team without CRM
// history.
func PlanYAML() []byte { return planYAML }
