package model_test

import (
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"testing"

	"go.yaml.in/yaml/v3"

	"github.com/funnelsim/funnelsim/internal/fixture"
	"github.com/funnelsim/funnelsim/model"
	"github.com/funnelsim/funnelsim/sample"
)

// FuzzDecode feeds arbitrary bytes to the model file decoder (a model or
// a planner's file, seeded with the sample of each): it must not
// panic, a model it accepts must encode and decode to the same file, and
// a short forecast of it must end without a panic, with finite totals or
// an error.
func FuzzDecode(f *testing.F) {
	for _, name := range []string{"sample-model.yaml", "sample-plan.yaml"} {
		if b, err := os.ReadFile(filepath.Join("..", "examples", name)); err == nil {
			f.Add(b)
		}
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
		fixture.RunShort(t, m, "")
	})
}

type bytesBuffer struct{ b []byte }

func (w *bytesBuffer) Write(p []byte) (int, error) { w.b = append(w.b, p...); return len(p), nil }

// FuzzModelLeaves sets one numeric leaf of the sample model (chosen by
// index) to any value: the model must be refused with an error or run a
// short forecast to finite totals, never panic or hang.
func FuzzModelLeaves(f *testing.F) {
	b, err := os.ReadFile(filepath.Join("..", "examples", "sample-model.yaml"))
	if err != nil {
		f.Skip("no sample model")
	}
	for k, v := range []float64{0, -1, 5e-324, 1e-155, 1e15, 1e308, math.Inf(1), math.NaN()} {
		for i := range uint(2) { // two leaves a value; make fuzz explores the rest
			f.Add(i*37+uint(k)*11, v)
		}
	}
	f.Fuzz(func(t *testing.T, i uint, v float64) {
		var doc yaml.Node
		if err := yaml.Unmarshal(b, &doc); err != nil {
			t.Fatal(err)
		}
		var leaves []*yaml.Node
		var walk func(n *yaml.Node)
		walk = func(n *yaml.Node) {
			if n.Kind == yaml.ScalarNode && (n.Tag == "!!int" || n.Tag == "!!float") {
				leaves = append(leaves, n)
			}
			for _, c := range n.Content {
				walk(c)
			}
		}
		walk(&doc)
		leaf := leaves[i%uint(len(leaves))]
		leaf.Value, leaf.Tag = strconv.FormatFloat(v, 'g', -1, 64), "!!float"
		if v == math.Trunc(v) && math.Abs(v) < 1e18 {
			leaf.Value, leaf.Tag = strconv.FormatInt(int64(v), 10), "!!int"
		}
		out, err := yaml.Marshal(&doc)
		if err != nil {
			t.Fatal(err)
		}
		m, err := model.Decode(out)
		if err != nil {
			return
		}
		fixture.RunShort(t, m, "")
	})
}

// FuzzRecalibration feeds arbitrary bytes to the recalibration file's
// decoder: it must not panic, and a map it accepts must turn a forecast
// of the sample company into finite, non-negative totals or an error.
func FuzzRecalibration(f *testing.F) {
	for _, s := range []string{
		"horizon_weeks: 4\ntargets:\n  - {target: revenue, scale: 1.4, shift: -0.2, origins: 9, quarters: 3}\n  - {target: wins, scale: 0.8, shift: 0.1}\n",
		"horizon_weeks: 4\ntargets: [{target: leads, scale: 10, shift: 6.9}]\n",
		"horizon_weeks: 0\n", "targets: [{target: '', scale: 1}]\n", "{",
	} {
		f.Add([]byte(s))
	}
	m := sample.Model()
	f.Fuzz(func(t *testing.T, b []byte) {
		rc, err := model.DecodeRecalibration(b)
		if err != nil || rc.HorizonWeeks > 8 {
			return
		}
		fixture.RunWith(t, m, model.Options{Trials: 40, Weeks: rc.HorizonWeeks, Seed: 1, Workers: 1, Recalibration: rc}, fmt.Sprintf("recalibrated by %+v: ", rc))
	})
}
