package main

import (
	"fmt"
	"io"
	"unicode/utf8"
)

// safeText writes what the commands print with the control characters
// that data can carry (a CSV's values, a model's names) made visible: an
// escape sequence from a file must not clear the screen or retitle the
// window. Newlines and tabs pass; every other C0 and C1 control and DEL is
// written as \x.. or \u.... JSON is unaffected: its encoder escapes them
// already.
type safeText struct{ w io.Writer }

func (s safeText) Write(p []byte) (int, error) {
	clean := true
	for i := 0; i < len(p); {
		r, n := utf8.DecodeRune(p[i:])
		if control(r) {
			clean = false
			break
		}
		i += n
	}
	if clean {
		return s.w.Write(p)
	}
	out := make([]byte, 0, len(p)+16)
	for i := 0; i < len(p); {
		r, n := utf8.DecodeRune(p[i:])
		switch {
		case r < 0x80 && control(r):
			out = fmt.Appendf(out, `\x%02x`, r)
		case control(r):
			out = fmt.Appendf(out, `\u%04x`, r)
		default:
			out = append(out, p[i:i+n]...)
		}
		i += n
	}
	if _, err := s.w.Write(out); err != nil {
		return 0, err
	}
	return len(p), nil
}

func control(r rune) bool {
	return r < 0x20 && r != '\n' && r != '\t' || r == 0x7f || r >= 0x80 && r <= 0x9f
}
