// Package generate simulates lead-level CRM histories from a known truth,
// for testing calibration and forecasts where the answer is known.
//
// It is independent of the cohort engine: each lead is simulated on its
// own in continuous time, with exact piecewise-exponential times in stage
// from the truth's hazards, and then observed as a CRM export would show
// it: cut off at the as-of date with open leads, some losses never
// recorded, and a few dirty rows.
package generate
