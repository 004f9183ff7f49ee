package scenarios

import (
	"cmp"
	"context"
	"fmt"
	"maps"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/expr-lang/expr/ast"

	"github.com/expr-lang/expr"
	"github.com/expr-lang/expr/vm"

	"github.com/funnelsim/funnelsim/calibrate"
	"github.com/funnelsim/funnelsim/model"
)

// Rule is a predicate on a lead's attributes, written in the expr language
// (github.com/expr-lang/expr: a safe expression language, no code is run):
// for example `job_level in ["manager", "director"] && company_size != "1-50"`
// or `lead_score >= 60`. Attributes whose every value in the history is a
// number compare as numbers; the others as strings. A Rule evaluates on
// one goroutine at a time.
//
// Strings compare without case: `consent == "yes"` matches Yes and YES,
// as do in, contains, startsWith and endsWith with a written-out string.
type Rule struct {
	text     string
	warnings []string
	prog     *vm.Program
	vm       vm.VM // reused lead after lead, with its cost budget
	names    []string
	numeric  []bool
	env      map[string]any
}

// CompileRule compiles text against the attributes of history h.
func CompileRule(text string, h *calibrate.History) (*Rule, error) {
	if len(h.Attributes) == 0 {
		return nil, fmt.Errorf("rule %q: the history has no attribute columns", text)
	}
	r := &Rule{text: text, names: h.Attributes, numeric: make([]bool, len(h.Attributes)), env: map[string]any{}}
	for k := range r.names {
		r.numeric[k] = len(h.Leads) > 0
		for i := range h.Leads {
			if v := h.Leads[i].Attrs[k]; v != "" {
				if _, err := strconv.ParseFloat(v, 64); err != nil {
					r.numeric[k] = false
					break
				}
			}
		}
	}
	for k, name := range r.names {
		if r.numeric[k] {
			r.env[name] = 0.0
		} else {
			r.env[name] = ""
		}
	}
	known, textual := map[string]bool{}, map[string]bool{}
	for k, n := range r.names {
		known[n], textual[n] = true, !r.numeric[k]
	}
	cl := &caseless{text: textual}
	opts := []expr.Option{expr.Env(r.env), expr.AsBool(), expr.Patch(lowerNames(known)), expr.Patch(cl), expr.DisableAllBuiltins()}
	for _, b := range ruleBuiltins {
		opts = append(opts, expr.EnableBuiltin(b))
	}
	prog, err := expr.Compile(text, opts...)
	if err != nil {
		if strings.Contains(err.Error(), "unknown name") {
			return nil, fmt.Errorf("rule %q: %w; the attributes are %s", text, err, strings.Join(r.names, ", "))
		}
		return nil, fmt.Errorf("rule %q: %w", text, err)
	}
	node := prog.Node()
	var g growth
	ast.Walk(&node, &g)
	if g.at != nil {
		return nil, fmt.Errorf("rule %q: %s at character %d joins values that are not numbers: a rule may add numbers and join written-out strings only, since joining others (with let or reduce) can build a string of any size; compare attributes with ==, in, contains or startsWith instead", text, g.what, g.at.Location().From+1)
	}
	r.prog = prog
	r.vm.MemoryBudget = RuleBudget
	r.warnings = absentValues(text, h, cl.equals)
	return r, nil
}

// Warnings are what compiling the rule found odd: a value it compares an
// attribute with that no lead has, with the values that leads do have.
func (r *Rule) Warnings() []string { return r.warnings }

// caseless makes a rule's comparisons of a string attribute with written-
// out strings ignore case: the attribute is compared lower-cased, with the
// strings lower-cased. It keeps the values compared for equality
// (==, != and in), attribute by attribute, for absentValues.
type caseless struct {
	text   map[string]bool // the string attributes
	equals [][2]string     // attribute, value
}

func (c *caseless) Visit(node *ast.Node) {
	b, ok := (*node).(*ast.BinaryNode)
	if !ok {
		return
	}
	switch b.Operator {
	case "==", "!=":
		if c.attribute(b.Right) && literal(b.Left) {
			b.Left, b.Right = b.Right, b.Left
		}
	case "in", "contains", "startsWith", "endsWith":
	default:
		return
	}
	if !c.attribute(b.Left) || !literal(b.Right) {
		return
	}
	id := b.Left.(*ast.IdentifierNode)
	lower := func(s *ast.StringNode) {
		s.Value = strings.ToLower(s.Value)
		if b.Operator != "contains" && b.Operator != "startsWith" && b.Operator != "endsWith" {
			c.equals = append(c.equals, [2]string{id.Value, s.Value})
		}
	}
	if a, ok := b.Right.(*ast.ArrayNode); ok {
		for _, n := range a.Nodes {
			lower(n.(*ast.StringNode))
		}
	} else {
		lower(b.Right.(*ast.StringNode))
	}
	ast.Patch(&b.Left, &ast.BuiltinNode{Name: "lower", Arguments: []ast.Node{id}})
}

// attribute says whether n names a string attribute.
func (c *caseless) attribute(n ast.Node) bool {
	id, ok := n.(*ast.IdentifierNode)
	return ok && c.text[id.Value]
}

// literal says whether n is a written-out string or array of them.
func literal(n ast.Node) bool {
	switch n := n.(type) {
	case *ast.StringNode:
		return true
	case *ast.ArrayNode:
		for _, e := range n.Nodes {
			if _, ok := e.(*ast.StringNode); !ok {
				return false
			}
		}
		return len(n.Nodes) > 0
	}
	return false
}

// absentValues warns of each value a rule compares an attribute with for
// equality that no lead of h has, in any case, naming the values leads do
// have (the most frequent first, at most 8): `== "yes"` on a column of
// Y and N passes no lead, which is more often a slip than a rule.
func absentValues(text string, h *calibrate.History, equals [][2]string) []string {
	var out []string
	seen := map[[2]string]bool{}
	for _, e := range equals {
		if seen[e] {
			continue
		}
		seen[e] = true
		k := slices.Index(h.Attributes, e[0])
		if k < 0 {
			continue
		}
		counts := map[string]int{}
		for i := range h.Leads {
			counts[strings.ToLower(h.Leads[i].Attrs[k])]++
		}
		if counts[e[1]] > 0 {
			continue
		}
		values := slices.Collect(maps.Keys(counts))
		slices.SortFunc(values, func(a, b string) int { return cmp.Or(counts[b]-counts[a], strings.Compare(a, b)) })
		for i, v := range values {
			if v == "" {
				values[i] = "(empty)"
			}
		}
		more := ""
		if len(values) > 8 {
			values, more = values[:8], fmt.Sprintf(" and %d more", len(values)-8)
		}
		out = append(out, fmt.Sprintf("rule %q: no row has %s %q, in any case; its values are %s%s", text, e[0], e[1], strings.Join(values, ", "), more))
	}
	return out
}

// ruleBuiltins are the expression language's functions a rule may call:
// those whose result is no larger than their arguments. The others
// (repeat, replace, join, toJSON and the like) could build a string or
// an array of any size from a short rule, which the VM's memory budget
// does not count, and a rule on a lead's attributes has no use for them.
var ruleBuiltins = []string{"len", "abs", "ceil", "floor", "round", "int", "float", "trim", "trimPrefix", "trimSuffix",
	"upper", "lower", "indexOf", "lastIndexOf", "hasPrefix", "hasSuffix", "max", "min", "mean", "median", "first", "last", "get"}

// growth finds the first + in a rule that is not between numbers or
// between literals: with let or reduce, a + of strings (or arrays)
// doubles its value at each step, and a rule of a few hundred characters
// would exhaust the memory.
type growth struct {
	at   ast.Node
	what string
}

func (g *growth) Visit(node *ast.Node) {
	b, ok := (*node).(*ast.BinaryNode)
	if !ok || g.at != nil || b.Operator != "+" || numeric(b.Left) && numeric(b.Right) {
		return
	}
	_, l := b.Left.(*ast.StringNode)
	_, r := b.Right.(*ast.StringNode)
	if !l || !r {
		g.at, g.what = b, "+"
	}
}

// numeric says whether the checker found n to be a number: an operand
// of unknown type (a reduce's accumulator, say) may be a string.
func numeric(n ast.Node) bool {
	t := n.Type()
	if t == nil {
		return false
	}
	switch t.Kind() {
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64, reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Float32, reflect.Float64:
		return true
	}
	return false
}

// lowerNames matches a rule's names to the attributes whatever their
// case: attribute names are lower case (calibrate.Identifier), and a rule
// may write Budget_Known for budget_known.
type lowerNames map[string]bool

func (k lowerNames) Visit(node *ast.Node) {
	if id, ok := (*node).(*ast.IdentifierNode); ok {
		if l := strings.ToLower(id.Value); l != id.Value && k[l] {
			id.Value = l
		}
	}
}

// RuleBudget bounds what a rule may cost on one lead, in the expression
// VM's units (about one per element it builds or visits): a rule on a
// lead's attributes costs a few, while `all(1..900, {all(1..900, …)})`
// would cost 810,000 on each of a history's leads. Past it, Match is an
// error naming the rule.
const RuleBudget = 10_000

// Match evaluates the rule on lead l.
func (r *Rule) Match(l *calibrate.Lead) (bool, error) {
	for k, name := range r.names {
		v := l.Attrs[k]
		if r.numeric[k] {
			x, _ := strconv.ParseFloat(v, 64)
			r.env[name] = x
		} else {
			r.env[name] = v
		}
	}
	out, err := r.vm.Run(r.prog, r.env)
	if err != nil {
		return false, fmt.Errorf("rule %q on lead %s: %w", r.text, l.ID, err)
	}
	return out.(bool), nil
}

// split evaluates rule on every lead of h: the leads that pass, as a
// history of their own, and which did, lead by lead.
func split(h *calibrate.History, rule *Rule) (*calibrate.History, []bool, error) {
	passes := make([]bool, len(h.Leads))
	for i := range h.Leads {
		ok, err := rule.Match(&h.Leads[i])
		if err != nil {
			return nil, nil, err
		}
		passes[i] = ok
	}
	i := 0
	pass := h.Filter(func(*calibrate.Lead) bool { i++; return passes[i-1] }) // Filter visits the leads in order
	return pass, passes, nil
}

// reestimate calibrates all and the leads that pass afresh (with reports
// of their own) and returns each stage's eventual conversion for both, and
// the as-of date used.
func reestimate(all, pass *calibrate.History, o calibrate.Options, seed uint64, allName, passName string) (cAll, cPass []float64, asOf time.Time, err error) {
	a, p := *all, *pass
	a.Report, p.Report = &calibrate.Report{}, &calibrate.Report{}
	mAll, err := calibrate.Estimate(context.Background(), &a, o)
	if err != nil {
		return nil, nil, asOf, fmt.Errorf("re-estimating %s: %w", allName, err)
	}
	mPass, err := calibrate.Estimate(context.Background(), &p, o)
	if err != nil {
		return nil, nil, asOf, fmt.Errorf("re-estimating the %d of %s: %w", len(pass.Leads), passName, err)
	}
	if cAll, err = overallConversion(mAll, seed); err != nil {
		return nil, nil, asOf, err
	}
	if cPass, err = overallConversion(mPass, seed); err != nil {
		return nil, nil, asOf, err
	}
	return cAll, cPass, mAll.AsOf.Time, nil
}

// overallConversion is each stage's eventual conversion over all channels,
// its posterior mean over 400 draws keyed by seed.
func overallConversion(m *model.Model, seed uint64) ([]float64, error) {
	conv, err := model.Conversions(m, 400, seed)
	if err != nil {
		return nil, err
	}
	out := make([]float64, len(m.Stages))
	for _, k := range conv {
		if k.Channel == "" {
			out[m.StageIndex(k.Stage)] = k.Mean
		}
	}
	return out, nil
}
