package model_test

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/funnelsim/funnelsim/model"
)

// FuzzDecode feeds arbitrary bytes to the model file decoder: it must not
// panic, and a model it accepts must encode and decode to the same file.
func FuzzDecode(f *testing.F) {
	if b, err := os.ReadFile(filepath.Join("..", "examples", "sample-model.yaml")); err == nil {
		f.Add(b)
	}
	for _, s := range []string{"", "format: 1\n", "format: 1\nstages: [{name: a}]\n", "{", "format: 1\nhorizon_weeks: .nan\n"} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		m, err := model.Decode(b)
		if err != nil {
			return
		}
		var buf1, buf2 bytesBuffer
		if err := m.Encode(&buf1); err != nil {
			t.Fatalf("encode an accepted model: %v", err)
		}
		m2, err := model.Decode(buf1.b)
		if err != nil {
			t.Fatalf("decode an encoded model: %v", err)
		}
		if err := m2.Encode(&buf2); err != nil || string(buf1.b) != string(buf2.b) {
			t.Fatalf("the model does not round-trip: %v", err)
		}
	})
}

type bytesBuffer struct{ b []byte }

func (w *bytesBuffer) Write(p []byte) (int, error) { w.b = append(w.b, p...); return len(p), nil }
