// Package cell makes text safe to write in a CSV cell that a spreadsheet
// will open.
package cell

import (
	"strconv"
	"strings"
)

// Safe returns s as a spreadsheet will show and not run: with a leading '
// where s begins with =, +, -, @, a tab or a carriage return and is not a
// number (the OWASP rule for CSV injection).
func Safe(s string) string {
	if s == "" || !strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return s
	}
	if _, err := strconv.ParseFloat(s, 64); err == nil {
		return s
	}
	return "'" + s
}
