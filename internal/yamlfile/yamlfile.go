// Package yamlfile decodes the project's human-edited YAML files
// strictly: an unknown key, a value of the wrong type or a count that is
// not a whole number is an error naming its key path and line, and a
// near miss of a key is suggested.
package yamlfile

import (
	"bytes"
	"encoding"
	"errors"
	"fmt"
	"maps"
	"reflect"
	"slices"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/funnelsim/funnelsim/internal/nearest"
)

// Decode decodes a human-edited YAML file into v, a pointer to a struct,
// strictly: an unknown key or a value of the wrong type is an error naming
// its key path and line. It checks no values; that is the caller's part.
func Decode(b []byte, v any) error {
	var doc yaml.Node
	if err := yaml.Unmarshal(b, &doc); err != nil {
		return Error(err)
	}
	return DecodeNode(&doc, b, v)
}

// DecodeNode is Decode of b, already parsed into doc.
func DecodeNode(doc *yaml.Node, b []byte, v any) error {
	if doc.Kind == 0 || len(doc.Content) == 0 {
		return fmt.Errorf("empty file")
	}
	if err := checkKeys(doc.Content[0], reflect.TypeOf(v), ""); err != nil {
		return err
	}
	dec := yaml.NewDecoder(bytes.NewReader(b))
	dec.KnownFields(true)
	return Error(dec.Decode(v))
}

// Error drops the YAML library's "yaml: " prefix from a syntax error,
// which names its line already.
func Error(err error) error {
	if err == nil {
		return nil
	}
	if msg, ok := strings.CutPrefix(err.Error(), "yaml: "); ok {
		return errors.New(msg)
	}
	return err
}

// Checker is a type that checks its own YAML node, where the walk of the
// Go types cannot (a number or a list of two, say).
type Checker interface {
	CheckYAML(n *yaml.Node, path string) error
}

var (
	textUnmarshaler = reflect.TypeFor[encoding.TextUnmarshaler]()
	checker         = reflect.TypeFor[Checker]()
)

// checkKeys walks a YAML node against the Go type it decodes into and
// reports the first key the type does not have, with its path and line.
func checkKeys(n *yaml.Node, t reflect.Type, path string) error {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if reflect.PointerTo(t).Implements(textUnmarshaler) {
		return nil
	}
	if pt := reflect.PointerTo(t); pt.Implements(checker) {
		return reflect.New(t).Interface().(Checker).CheckYAML(n, path)
	}
	switch {
	case n.Kind == yaml.MappingNode && t.Kind() == reflect.Struct:
		fields := yamlFields(t)
		for i := 0; i+1 < len(n.Content); i += 2 {
			k, v := n.Content[i], n.Content[i+1]
			p := join(path, k.Value)
			f, ok := fields[k.Value]
			if !ok {
				return fmt.Errorf("line %d: %s: unknown key%s", k.Line, p, nearest.DidYouMean(k.Value, slices.Sorted(maps.Keys(fields))))
			}
			if err := checkKeys(v, f, p); err != nil {
				return err
			}
		}
	case n.Kind == yaml.MappingNode && t.Kind() == reflect.Map:
		for i := 0; i+1 < len(n.Content); i += 2 {
			if err := checkKeys(n.Content[i+1], t.Elem(), join(path, n.Content[i].Value)); err != nil {
				return err
			}
		}
	case n.Kind == yaml.SequenceNode && (t.Kind() == reflect.Slice || t.Kind() == reflect.Array):
		for i, e := range n.Content {
			if err := checkKeys(e, t.Elem(), fmt.Sprintf("%s[%d]", path, i)); err != nil {
				return err
			}
		}
	case n.Kind == yaml.MappingNode || n.Kind == yaml.SequenceNode:
		return fmt.Errorf("line %d: %s: expected %s", n.Line, path, kindName(t))
	case n.Kind == yaml.ScalarNode && (t.Kind() == reflect.Float64 || t.Kind() == reflect.Float32):
		if n.Tag != "!!null" && !IsNumber(n) {
			return fmt.Errorf("line %d: %s: %q is not a number", n.Line, path, n.Value)
		}
	case n.Kind == yaml.ScalarNode && t.Kind() == reflect.Bool:
		if n.Tag != "!!bool" {
			return fmt.Errorf("line %d: %s: %q is not true or false", n.Line, path, n.Value)
		}
	case n.Kind == yaml.ScalarNode && (t.Kind() == reflect.Int || t.Kind() == reflect.Int64 || t.Kind() == reflect.Uint64):
		// The decoder would truncate 1.9 to 1 and wrap 1e30: a count is
		// a whole number in range, or an error.
		if n.Tag != "!!int" && n.Tag != "!!null" {
			return fmt.Errorf("line %d: %s: %s is not a whole number", n.Line, path, n.Value)
		}
		if n.Tag == "!!int" {
			if _, err := strconv.ParseInt(strings.ReplaceAll(n.Value, "_", ""), 0, 64); err != nil {
				return fmt.Errorf("line %d: %s: %s is not a whole number in range", n.Line, path, n.Value)
			}
		}
	}
	return nil
}

// IsNumber reports whether a scalar node decodes as a float.
func IsNumber(n *yaml.Node) bool {
	var f float64
	return (n.Tag == "!!int" || n.Tag == "!!float") && n.Decode(&f) == nil
}

func kindName(t reflect.Type) string {
	switch t.Kind() {
	case reflect.Struct:
		return "a mapping of keys"
	case reflect.Slice, reflect.Array:
		return "a list"
	}
	return "a " + t.Kind().String()
}

func join(path, key string) string {
	if path == "" {
		return key
	}
	return path + "." + key
}

// yamlFields maps the YAML keys of a struct (with inlined fields) to types.
func yamlFields(t reflect.Type) map[string]reflect.Type {
	out := map[string]reflect.Type{}
	for i := range t.NumField() {
		f := t.Field(i)
		tag := f.Tag.Get("yaml")
		name, opts, _ := strings.Cut(tag, ",")
		if strings.Contains(opts, "inline") {
			for k, v := range yamlFields(f.Type) {
				out[k] = v
			}
			continue
		}
		if name == "-" || !f.IsExported() {
			continue
		}
		if name == "" {
			name = strings.ToLower(f.Name)
		}
		out[name] = f.Type
	}
	return out
}
