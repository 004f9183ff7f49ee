// Package qualify compares definitions of a qualified lead (an SQL, say)
// on closed deals that carry attributes but no dates: for each rule, the
// share of deals that pass it, their win rate and revenue per deal with
// credible intervals, and the chance that deals passing the rule win more
// often than deals failing it.
//
// Where a dated history exists, the same rules run in a scenario's
// sql_criteria, which re-estimates the whole funnel (package scenarios).
package qualify
