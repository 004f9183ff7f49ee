// Package quarter forecasts a fiscal quarter as a revenue leader does:
// what the history booked from the quarter's start to the model's as-of
// date, plus what the simulation adds from then to the quarter's end; the
// open deals behind the number, each with its chance of being won within
// the quarter and a forecast category; and the quarter's wins and revenue
// by rep or by channel, trial by trial, against each group's quota.
//
// The simulation runs in whole weeks from the as-of date (model.Run), so a
// quarter's end is taken to the nearest week's end: Window says which
// days the simulated part covers.
package quarter
