package model

import (
	"errors"
	"fmt"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"
)

// withLines prefixes each of err's messages that starts with a key path
// found in doc (as Validate and Plan.Model write them, such as
// stages[sql].exits[webinar].bands[2].lost or channels[0].weekly_leads)
// with the line of the YAML that holds it. Messages whose path is not in
// the file (a value left out) are kept as they are.
func withLines(doc *yaml.Node, err error) error {
	var errs []error
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		errs = j.Unwrap()
	} else {
		errs = []error{err}
	}
	out := make([]error, len(errs))
	for i, e := range errs {
		out[i] = e
		path, _, ok := strings.Cut(e.Error(), ": ")
		if !ok || strings.HasPrefix(path, "line ") {
			continue
		}
		if n := lookup(doc, path); n != nil {
			out[i] = fmt.Errorf("line %d: %w", n.Line, e)
		}
	}
	if len(out) == 1 {
		return out[0]
	}
	return errors.Join(out...)
}

// lookup finds the node at a key path: keys joined by dots, each
// optionally indexed by a position or by the name (or channel) of a list
// element, as in stages[sql].exits[webinar].bands[2]. It returns the
// deepest node found on the way, or nil when not even the first key is.
func lookup(doc *yaml.Node, path string) *yaml.Node {
	if doc.Kind != yaml.DocumentNode || len(doc.Content) == 0 {
		return nil
	}
	n := doc.Content[0]
	var found *yaml.Node
	for _, seg := range strings.Split(path, ".") {
		key, idx, indexed := strings.Cut(seg, "[")
		idx = strings.TrimSuffix(idx, "]")
		v := child(n, key)
		if v == nil {
			return found
		}
		n, found = v, v
		if !indexed {
			continue
		}
		if v = element(n, idx); v == nil {
			return found
		}
		n, found = v, v
	}
	return found
}

// child returns the value of key in a mapping node, or nil.
func child(n *yaml.Node, key string) *yaml.Node {
	if n.Kind != yaml.MappingNode {
		return nil
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		if n.Content[i].Value == key {
			return n.Content[i+1]
		}
	}
	return nil
}

// element returns a sequence's element at a position, or the one whose
// name or channel is idx.
func element(n *yaml.Node, idx string) *yaml.Node {
	if n.Kind != yaml.SequenceNode {
		return nil
	}
	if i, err := strconv.Atoi(idx); err == nil {
		if i >= 0 && i < len(n.Content) {
			return n.Content[i]
		}
		return nil
	}
	for _, e := range n.Content {
		for _, k := range []string{"name", "channel"} {
			if v := child(e, k); v != nil && v.Value == idx {
				return e
			}
		}
	}
	return nil
}
