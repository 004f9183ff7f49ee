package model

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/funnelsim/funnelsim/internal/atomicfile"
	"github.com/funnelsim/funnelsim/internal/yamlfile"
	"github.com/funnelsim/funnelsim/model/rng"
)

// MaxYAMLBytes bounds the YAML files read whole and decoded into memory:
// models, planners', scenario, rule, truth and recalibration files. They
// are written by hand or by calibrate (a calibrated model of a million
// leads is well under a megabyte), and a decoded YAML document takes
// many times its size: a 200 MB model file ran out of memory.
const MaxYAMLBytes = 32 << 20

// ReadYAML reads the YAML file at path whole, refusing one larger than
// MaxYAMLBytes before reading it.
func ReadYAML(path string) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	if st, err := f.Stat(); err == nil && st.Mode().IsRegular() && st.Size() > MaxYAMLBytes {
		return nil, fmt.Errorf("%s: %.1f MB, past the %d MB a model, plan, scenario or rule file may have", path, float64(st.Size())/(1<<20), MaxYAMLBytes>>20)
	}
	b, err := io.ReadAll(io.LimitReader(f, MaxYAMLBytes+1))
	if err != nil {
		return nil, err
	}
	if len(b) > MaxYAMLBytes {
		return nil, fmt.Errorf("%s: more than the %d MB a model, plan, scenario or rule file may have", path, MaxYAMLBytes>>20)
	}
	return b, nil
}

// ReadFile reads and validates a model file.
func ReadFile(path string) (*Model, error) {
	b, err := ReadYAML(path)
	if err != nil {
		return nil, err
	}
	m, err := Decode(b)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return m, nil
}

// Decode parses a model file, or a planner's file (Plan, told by its top
// key plan), strictly: an unknown key, a value of the wrong type or an
// impossible value is an error naming its key path and line.
func Decode(b []byte) (*Model, error) {
	var doc yaml.Node
	if err := yaml.Unmarshal(b, &doc); err != nil {
		return nil, yamlfile.Error(err)
	}
	if err := otherKind(&doc, b); err != nil {
		return nil, err
	}
	m := &Model{}
	if isPlan(&doc) {
		var p Plan
		if err := yamlfile.DecodeNode(&doc, b, &p); err != nil {
			return nil, err
		}
		pm, err := p.Model()
		if err != nil {
			return nil, withLines(&doc, err)
		}
		m = pm
	} else if err := yamlfile.DecodeNode(&doc, b, m); err != nil {
		return nil, err
	}
	if _, err := compile(m); err != nil {
		return nil, withLines(&doc, err)
	}
	return m, nil
}

// otherKinds are the top keys of the project's other YAML files, and
// where each goes.
var otherKinds = []struct{ key, what string }{
	{"scenarios", "a scenarios file: give it to --scenarios"},
	{"baseline", "a scenarios file: give it to --scenarios"},
	{"rules", "a rules file: give it to qualify --rules"},
	{"targets", "a recalibration file: give it to --recalibration"},
}

// otherKind recognises a file of another kind given as a model: a CSV
// table (a history or spend file), or another YAML file of the project,
// whose decoding errors would not say what went wrong.
func otherKind(doc *yaml.Node, b []byte) error {
	if len(doc.Content) == 0 {
		return nil
	}
	root := doc.Content[0]
	if root.Kind == yaml.ScalarNode {
		first, _, _ := bytes.Cut(b, []byte("\n"))
		if bytes.Count(first, []byte(",")) >= 1 || bytes.Count(first, []byte(";")) >= 1 {
			if len(first) > 80 {
				first = append(first[:77:77], "..."...)
			}
			return fmt.Errorf("a CSV table (its first line is %q), not a model file: a history goes to calibrate --history, which writes the model, and a spend file to --spend", strings.TrimSpace(string(first)))
		}
		return fmt.Errorf("one value (%q), not a model file's keys", root.Value)
	}
	if root.Kind != yaml.MappingNode {
		return nil
	}
	keys := map[string]bool{}
	for i := 0; i+1 < len(root.Content); i += 2 {
		keys[root.Content[i].Value] = true
	}
	if keys["score_noise"] || keys["deal_log_sd"] {
		return errors.New("not a model file but a generator's truth: give it to generate --truth (--model takes a model from calibrate or a planner's file from init)")
	}
	if keys["stages"] || keys["channels"] || keys["plan"] || keys["format"] {
		return nil
	}
	for _, k := range otherKinds {
		if keys[k.key] {
			return fmt.Errorf("not a model file but %s (--model takes a model from calibrate or a planner's file from init)", k.what)
		}
	}
	return nil
}

// CheckYAML checks that a Guess's node is a number or a list of two, for
// yamlfile's strict decoding.
func (*Guess) CheckYAML(n *yaml.Node, path string) error {
	switch {
	case n.Kind == yaml.ScalarNode && yamlfile.IsNumber(n):
		return nil
	case n.Kind == yaml.SequenceNode && len(n.Content) == 2 && yamlfile.IsNumber(n.Content[0]) && yamlfile.IsNumber(n.Content[1]):
		return nil
	}
	return fmt.Errorf("line %d: %s: want a number or a range [low, high]", n.Line, path)
}

// Encode writes m as a model file. Beside the counts it writes, as
// comments, what a planner reads: each channel's eventual conversion and
// median weeks in stage, weekly exit probabilities per band, costs per lead
// and deal-size medians and means, all at the posterior means. Comments
// are never read back; Decode(Encode(m)) equals m.
func (m *Model) Encode(w io.Writer) error {
	p, err := compile(m)
	if err != nil {
		return err
	}
	var doc yaml.Node
	if err := doc.Encode(m); err != nil {
		return err
	}
	annotate(&doc, p)
	enc := yaml.NewEncoder(w)
	enc.SetIndent(2)
	if err := enc.Encode(&doc); err != nil {
		return err
	}
	return enc.Close()
}

// WriteFile writes m to path atomically: a temporary file in the same
// directory, renamed over path once complete.
func (m *Model) WriteFile(path string) error {
	var buf bytes.Buffer
	if err := m.Encode(&buf); err != nil {
		return err
	}
	return atomicfile.WriteFile(path, buf.Bytes())
}

// mapValue returns the value node of key in a mapping node, or nil.
func mapValue(n *yaml.Node, key string) *yaml.Node {
	for i := 0; i+1 < len(n.Content); i += 2 {
		if n.Content[i].Value == key {
			return n.Content[i+1]
		}
	}
	return nil
}

func annotate(doc *yaml.Node, p *plan) {
	root := doc
	if root.Kind == yaml.DocumentNode {
		root = root.Content[0]
	}
	q := newParams(p)
	q.draw(p, rng.NewStream(), 0, 0, true)
	mapValue(root, "bands").Style = yaml.FlowStyle
	for s, sn := range mapValue(root, "stages").Content {
		for _, en := range mapValue(sn, "exits").Content {
			c := p.m.ChannelIndex(mapValue(en, "channel").Value)
			conv, _ := q.advance(p, s, c)
			mapValue(en, "channel").LineComment = fmt.Sprintf("converts %.1f%%, median %s in stage", 100*conv, weeksText(p.medianWeeks(s, c)))
			for b, bn := range mapValue(en, "bands").Content {
				bn.Style = yaml.FlowStyle
				i := p.hz(s, c, b)
				bn.LineComment = fmt.Sprintf("per week: advance %.3f, lost %.3f", q.pLeave[i]*q.qAdv[i], q.pLeave[i]*(1-q.qAdv[i]))
			}
		}
	}
	for c, cn := range mapValue(root, "channels").Content {
		ch := p.m.Channels[c]
		cpl := "no spend"
		if ch.WeeklyLeads > 0 && ch.WeeklySpend > 0 {
			cpl = fmt.Sprintf("cost per lead %.0f", ch.WeeklySpend/ch.WeeklyLeads)
		}
		mapValue(cn, "name").LineComment = cpl
	}
	ds := mapValue(root, "deal_size")
	mapValue(ds, "deals").LineComment = dealComment(p.m.DealSize.LogNormal)
	if chs := mapValue(ds, "channels"); chs != nil {
		for i, cn := range chs.Content {
			mapValue(cn, "channel").LineComment = dealComment(p.m.DealSize.Channels[i].LogNormal)
		}
	}
	if pipe := mapValue(root, "pipeline"); pipe != nil {
		for _, key := range []string{"open", "deals", "queue"} {
			if l := mapValue(pipe, key); l != nil {
				for _, e := range l.Content {
					e.Style = yaml.FlowStyle
				}
			}
		}
	}
}

func dealComment(d LogNormal) string {
	return fmt.Sprintf("median %.0f, mean %.0f", math.Exp(d.LogMean), math.Exp(d.LogMean+d.LogSD*d.LogSD/2))
}

func weeksText(w float64) string {
	if w > 104 {
		return FormatWeeks(w)
	}
	return FormatWeeks(w) + " weeks"
}

// medianWeeks is the continuous-time median time in stage s for channel c
// at the posterior mean hazards: where the cumulative hazard reaches ln 2.
func (p *plan) medianWeeks(s, c int) float64 {
	h := 0.0
	for b, lo := range p.m.Bands {
		i := p.hz(s, c, b)
		rate := (p.advShape[i] + p.lostShape[i]) / p.rate[i]
		width := math.Inf(1)
		if b+1 < p.nB {
			width = float64(p.m.Bands[b+1] - lo)
		}
		if rate > 0 && h+rate*width >= math.Ln2 {
			return float64(lo) + (math.Ln2-h)/rate
		}
		h += rate * width
	}
	return math.Inf(1)
}
