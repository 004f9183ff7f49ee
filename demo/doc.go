// Package demo runs the main job on the embedded sample company: it reads
// and calibrates the sample's two-year CRM history with its weekly spend,
// self-checks the model on that history, forecasts the next quarter, and
// compares the sample what-if scenarios with it on common random numbers;
// on request, it also makes the tornado and the one-page meeting report.
// `simulate demo` prints and writes what Run returns.
package demo
