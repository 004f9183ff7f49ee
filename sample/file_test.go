package sample

import (
	"bytes"
	"reflect"
	"strings"
	"testing"
)

func TestTruthRoundTrip(t *testing.T) {
	var buf bytes.Buffer
	if err := Company().Encode(&buf); err != nil {
		t.Fatal(err)
	}
	got, err := DecodeTruth(buf.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, Company()) {
		t.Fatalf("decoded truth differs:\n%+v", got)
	}
}

// TestTruthErrors checks that a bad truth file names its key.
func TestTruthErrors(t *testing.T) {
	var buf bytes.Buffer
	if err := Company().Encode(&buf); err != nil {
		t.Fatal(err)
	}
	good := buf.String()
	for _, c := range []struct{ old, new, want string }{
		{"currency: USD", "currency: USD\ncolour: red", "line 9: colour: unknown key"},
		{"conversion: [0.45, 0.25, 0.55, 0.4, 0.7]", "conversion: [0.45, 0.25]", "stages[lead].conversion: 2 values, want one per channel (5)"},
		{"conversion: [0.45, 0.25, 0.55, 0.4, 0.7]", "conversion: [1.2, 0.25, 0.55, 0.4, 0.7]", "stages[lead].conversion[0]: must be in (0, 1) (got 1.2)"},
		{"shares: [0.45, 0.3, 0.17, 0.08]", "shares: [0.45, 0.3, 0.17, 0.5]", "attributes[job_level].shares: sum to 1.42, want 1"},
		{"weekly_leads: 35", "weekly_leads: -35", "channels[paid_search].weekly_leads: must be > 0 (got -35)"},
		{"sales_start: sal", "sales_start: nope", `the model it implies: sales_start: unknown name "nope"`},
	} {
		text := strings.Replace(good, c.old, c.new, 1)
		if text == good {
			t.Fatalf("%q is not in the truth file", c.old)
		}
		_, err := DecodeTruth([]byte(text))
		if err == nil || err.Error() != c.want {
			t.Errorf("%s: error %v, want %q", c.new, err, c.want)
		}
	}
}
