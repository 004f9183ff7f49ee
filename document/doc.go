// Package document shapes funnelsim's results into the documents it
// prints: the forecast, the scenario comparison, the sweep, the goal seek
// and the backtest, each as the struct behind its JSON and as a text
// table. The command line only chooses between them; a Go program that
// calls the library gets the same documents.
//
// Numbers that are not defined (a ratio with no denominator in any trial)
// are nil in the structs and null in JSON.
package document
