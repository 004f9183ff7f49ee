package nearest_test

import (
	"fmt"
	"testing"

	"github.com/funnelsim/funnelsim/internal/nearest"
)

func TestDidYouMean(t *testing.T) {
	names := []string{"organic", "paid_search", "paid_social", "referral", "webinar", "sql"}
	for _, c := range []struct{ in, want string }{
		{"paid_socail", ` (did you mean "paid_social"?)`}, // a swap
		{"webnar", ` (did you mean "webinar"?)`},
		{"SQL", ` (did you mean "sql"?)`}, // case alone
		{"refferal", ` (did you mean "referral"?)`},
		{"tv", ""},
		{"organic", ""},
		{"paid_s", ""}, // as near to two
	} {
		if got := nearest.DidYouMean(c.in, names); got != c.want {
			t.Errorf("DidYouMean(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

func ExampleDidYouMean() {
	fmt.Println("unknown channel paid_socail" + nearest.DidYouMean("paid_socail", []string{"paid_search", "paid_social"}))
	// Output: unknown channel paid_socail (did you mean "paid_social"?)
}
