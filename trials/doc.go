// Package trials writes a run's trials, one row each, to a Parquet file
// and reads them back, so that a run split into shards by trial range
// (model.Options.FirstTrial) on many machines is merged into the result of
// one run over every trial, exactly.
//
// A file holds one shard of one run: for every result of the run (one
// for a forecast; the baseline and each scenario for a comparison) and
// every trial of the shard, a row with the result's name (column model),
// the trial's index (trial), each metric's value (a column per metric,
// named as in JSON: revenue, wins, ...) and the cumulative revenue and
// wins at the end of each week (cum_revenue_w01, ..., cum_wins_w01, ...).
// The file's key-value metadata describes the run (Run, under the key
// funnelsim.run, and its main facts under keys of their own), so that
// Merge can check the shards belong together and write every output of
// the unsharded run from them alone.
package trials
