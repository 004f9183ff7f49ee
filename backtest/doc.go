// Package backtest asks whether funnelsim's forecasts are any good: at
// rolling origins over a history it rebuilds the history as known then,
// calibrates, forecasts the next quarter and scores the forecast against
// what happened (CRPS, interval coverage, randomized PIT), beside simple
// probabilistic baselines scored the same way.
package backtest
