// Package amount reads amounts of money as people write them: 800000,
// 800,000, 800k, 1.2M or 2B.
package amount

import (
	"fmt"
	"strconv"
	"strings"
)

// Parse reads an amount: digits with optional thousands commas, and an
// optional k, M or B suffix (either case).
func Parse(s string) (float64, error) {
	t := strings.ReplaceAll(strings.TrimSpace(s), ",", "")
	scale := 1.0
	if n := len(t); n > 1 {
		switch t[n-1] {
		case 'k', 'K':
			scale, t = 1e3, t[:n-1]
		case 'm', 'M':
			scale, t = 1e6, t[:n-1]
		case 'b', 'B':
			scale, t = 1e9, t[:n-1]
		}
	}
	x, err := strconv.ParseFloat(t, 64)
	if err != nil || strings.ContainsAny(t, "xXpP_") {
		return 0, fmt.Errorf("%q is not an amount (write 800000, 800,000, 800k or 1.2M)", s)
	}
	return x * scale, nil
}
