// Package calibrate turns CRM history into a funnel model.
//
// Read parses history files (one row per lead, or one row per stage
// change), checks every row and accounts for each one as used, repaired
// or rejected, with the reason and the first examples as file:line: field:
// problem. Estimate reconstructs the history as it was known on the as-of
// date and estimates the model: per stage, channel and age band the
// censoring-aware exposure and exit counts (open leads are censored, never
// counted as lost), arrivals per channel, deal sizes and the open pipeline.
package calibrate
