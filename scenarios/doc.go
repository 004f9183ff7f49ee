// Package scenarios reads what-if scenario files and applies them to a
// model: each scenario is a list of interventions (a budget move, a
// campaign's shifted target, stricter SQL criteria, reps hired or leaving,
// a hand-off SLA, deal-size and conversion multipliers), each from a given
// forecast week. Applying is a pure function from model to model; the
// baseline is never touched. Compare runs the baseline and every scenario
// on common random numbers and reports the paired differences.
package scenarios
