package main

import (
	"bytes"
	"testing"
)

// TestSafeText: control characters from data are written escaped; text,
// newlines, tabs and non-ASCII letters pass as they are.
func TestSafeText(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"plain\ttext\n", "plain\ttext\n"},
		{"évian, 東京\n", "évian, 東京\n"},
		{"evil\x1b[2J\x1b]0;pwned\x07!", `evil\x1b[2J\x1b]0;pwned\x07!`},
		{"del\x7f c1\u009b", `del\x7f c1\u009b`},
		{"cr\rback", `cr\x0dback`},
	} {
		var b bytes.Buffer
		n, err := safeText{&b}.Write([]byte(c.in))
		if err != nil || n != len(c.in) || b.String() != c.want {
			t.Errorf("%q: wrote %q (%d, %v), want %q", c.in, b.String(), n, err, c.want)
		}
	}
}
