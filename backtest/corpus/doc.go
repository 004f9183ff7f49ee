// Package corpus backtests the forecaster with the command line's defaults
// on a corpus of worlds: histories generated from the sample company at
// several lengths and seeds, with truths that grow, decline and drift and
// exports that lose or thin their records, and the public CRM exports
// beside the repository where they are present. A world is scored per
// target against the strongest baseline, by the 80% intervals' coverage
// against the band a calibrated forecast would fall in, and by the mean
// PIT; the scoreboard sums the worlds up. It is what docs/ACCURACY.md
// shows and what make validate guards.
package corpus
