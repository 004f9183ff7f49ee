// Package model holds funnelsim's funnel model and its Monte Carlo engine.
//
// A Model is the calibrated, human-editable description of a combined
// marketing and sales funnel: ordered stages with a hand-off stage
// (SalesStart) between marketing and sales, lead channels, the sufficient
// statistics of each stage's exits by channel and weeks in stage, deal sizes,
// rep capacity and the open pipeline at the as-of date. ReadFile and
// (*Model).Encode read and write it as YAML.
//
// Run simulates the funnel forward week by week. Each trial first draws every
// parameter from its posterior (Gamma hazards from exposure and event counts,
// a Normal-Inverse-Gamma deal size, Gamma arrival means), then simulates
// counts by channel, stage and weeks in stage (an age-structured cohort
// model, so the cost grows with the cells occupied, not with the leads). Every trial's random
// numbers come from streams keyed by (seed, trial, purpose), so results are
// identical for any number of workers and scenarios can share them.
// RunAll runs several models (a baseline and its scenarios, say) on the
// same trials, with the results of separate Runs, sharing the parameter
// draws and the marketing stages they have in common.
//
// Expect computes the same model's expected values deterministically; it is
// the oracle the simulation is tested against.
package model
