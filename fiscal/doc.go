// Package fiscal names a company's fiscal quarters and finds their dates.
//
// A fiscal year starts on the first day of a month (January by default)
// and is named by the calendar year in which it ends: with a year that
// starts in February, FY2027 runs from 2026-02-01 to 2027-01-31, and its
// first quarter, 2027Q1, from 2026-02-01 to 2026-04-30. With a January
// start the fiscal year is the calendar year.
package fiscal
