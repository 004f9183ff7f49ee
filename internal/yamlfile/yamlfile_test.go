package yamlfile_test

import (
	"errors"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"

	"github.com/funnelsim/funnelsim/internal/yamlfile"
)

type pair struct{ lo, hi float64 }

// CheckYAML accepts a list of two numbers.
func (*pair) CheckYAML(n *yaml.Node, path string) error {
	if n.Kind != yaml.SequenceNode || len(n.Content) != 2 || !yamlfile.IsNumber(n.Content[0]) || !yamlfile.IsNumber(n.Content[1]) {
		return errors.New(path + ": want two numbers")
	}
	return nil
}

func (p *pair) UnmarshalYAML(n *yaml.Node) error {
	var v []float64
	if err := n.Decode(&v); err != nil {
		return err
	}
	p.lo, p.hi = v[0], v[1]
	return nil
}

type file struct {
	Name   string  `yaml:"name"`
	Count  int     `yaml:"count"`
	Share  float64 `yaml:"share"`
	Range  pair    `yaml:"range"`
	Things []struct {
		Weeks int `yaml:"weeks"`
	} `yaml:"things"`
}

// TestDecode: what decodes, and the errors, each naming its key path and
// line.
func TestDecode(t *testing.T) {
	for _, c := range []struct{ in, err string }{
		{"name: a\ncount: 3\nshare: 0.5\nrange: [1, 2]\nthings: [{weeks: 4}]\n", ""},
		{"name: a\ncuont: 3\n", `line 2: cuont: unknown key (did you mean "count"?)`},
		{"count: 1.9\n", "line 1: count: 1.9 is not a whole number"},
		{"share: lots\n", `line 1: share: "lots" is not a number`},
		{"range: 3\n", "range: want two numbers"},
		{"things: [{weeks: 4, days: 2}]\n", "things[0].days: unknown key"},
		{"things: 4\n", "cannot unmarshal"},
		{"name: {a: 1}\n", "line 1: name: expected a string"},
		{"", "empty file"},
		{"name: [\n", "line 1"},
	} {
		var f file
		err := yamlfile.Decode([]byte(c.in), &f)
		switch {
		case c.err == "" && err != nil:
			t.Errorf("%q: %v", c.in, err)
		case c.err != "" && (err == nil || !strings.Contains(err.Error(), c.err)):
			t.Errorf("%q: error %v, want one containing %q", c.in, err, c.err)
		}
	}
}
