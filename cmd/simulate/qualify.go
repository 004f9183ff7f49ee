package main

import (
	"context"
	"fmt"
	"strings"

	"github.com/spf13/pflag"

	"github.com/funnelsim/funnelsim/calibrate"
	"github.com/funnelsim/funnelsim/document"
	"github.com/funnelsim/funnelsim/internal/yamlfile"
	"github.com/funnelsim/funnelsim/model"
	"github.com/funnelsim/funnelsim/qualify"
)

func qualifyCommand() *command {
	return &command{
		Name:      "qualify",
		UsageLine: "simulate qualify --deals FILE --rule EXPR... [--rules FILE] [--map outcome=COL,amount=COL] [--outcomes VALUE=won|lost,...] [--seed N] [--json] [--csv FILE]",
		Short:     "compare SQL definitions on closed deals without dates",
		Long: `
Qualify compares definitions of a qualified lead on closed deals that
carry attributes but no dates (a CRM's closed opportunities with their
qualification fields, say): for each rule, the share of deals that pass
it, their win rate and revenue per deal with 90% credible intervals
(Jeffreys prior; Bayesian bootstrap), the win rate of the deals that fail
it, the share of wins kept, and P(better): the chance that a deal that
passes wins more often than one that fails.

The deals file is a CSV with an outcome column (won or lost; also
win/loss, closed won/closed lost, yes/no, true/false, 1/0 in any case, or
what --outcomes maps) and, optionally, an amount; every other column is an
attribute. Without a column named outcome (or --map outcome=COLUMN), the
outcome column is the one whose values read as won and lost, and the
command says which it took. Rules are written as in scenario files
(docs/SCENARIOS.md): budget_known == "yes" && region != "south". Attribute
names are lower case with other characters as underscores, and a rule may
write them in any case; values compare without case, and a value no deal
has is a warning naming those there are. A rule may call only functions that make nothing larger (len,
lower, upper, trim and the like), and + adds numbers or joins strings
written in the rule; at most 1,000 rules are compared. --rule takes a
rule (repeat it); --rules FILE a YAML list of named rules:

	rules:
	  - name: budget known
	    rule: budget_known == "yes"

Where a dated history exists, the same rules run as a scenario's
sql_criteria in compare, which re-estimates the whole funnel.

--csv FILE also writes the results as a CSV table for spreadsheets (plain
numbers, snake_case columns; docs/OUTPUT.md); --csv - writes it to
standard output instead of the text table.

Examples:

	simulate qualify --deals closed.csv --map outcome=stage,amount=value --rule 'budget_known == "yes"'
	simulate qualify --deals closed.csv --rules sql-definitions.yaml --csv rules.csv

Exit status is 0 on success, 1 on an error, 2 on a usage error.
`,
		Run:   runQualify,
		Flags: func(fs *pflag.FlagSet) { new(qualifyFlags).declare(fs) },
	}
}

type qualifyFlags struct {
	deals    string
	rules    []string
	file     string
	maps     map[string]string
	outcomes map[string]string
	seed     uint64
	maxRej   float64
	docFlags
}

func (f *qualifyFlags) declare(fs *pflag.FlagSet) {
	fs.StringVar(&f.deals, "deals", "", "closed deals (CSV): an outcome column, an optional amount, attribute columns")
	fs.StringArrayVar(&f.rules, "rule", nil, "a rule on the attributes (repeat for more)")
	fs.StringVar(&f.file, "rules", "", "a YAML file of named rules (rules: [{name, rule}])")
	fs.StringToStringVar(&f.maps, "map", nil, "the outcome and amount columns: outcome=COLUMN,amount=COLUMN")
	fs.StringToStringVar(&f.outcomes, "outcomes", nil, "outcome values: VALUE=won or VALUE=lost,...")
	fs.Uint64Var(&f.seed, "seed", 1, "random seed of the intervals' and P(better)'s draws")
	fs.Float64Var(&f.maxRej, "max-rejected", calibrate.DefaultMaxRejected, "the largest share of rows that may be rejected before the file is refused as read wrongly (1 for no limit)")
	f.docFlags.declare(fs)
}

func runQualify(ctx context.Context, e *env, args []string) error {
	var f qualifyFlags
	fs := pflag.NewFlagSet("qualify", pflag.ContinueOnError)
	f.declare(fs)
	if err := parse(fs, args); err != nil {
		return err
	}
	switch {
	case f.deals == "":
		return usagef("--deals is required")
	case len(f.rules) == 0 && f.file == "":
		return usagef("give a --rule or --rules FILE")
	}
	if !(f.maxRej >= 0 && f.maxRej <= 1) {
		return usagef("--max-rejected must be a share in [0, 1] (got %v)", f.maxRej)
	}
	for k := range f.maps {
		if k != "outcome" && k != "amount" {
			return usagef("--map %s: qualify reads only the outcome and amount columns", k)
		}
	}
	for k, v := range f.outcomes {
		if v != "won" && v != "lost" {
			return usagef("--outcomes %s=%s: map a value to won or lost", k, v)
		}
	}
	if err := distinctFiles([]file{{"--deals", f.deals}, {"--rules", f.file}}, []file{f.csvFlag.output()}); err != nil {
		return err
	}
	var defs []qualify.Definition
	for _, r := range f.rules {
		defs = append(defs, qualify.Definition{Name: r, Rule: r})
	}
	if f.file != "" {
		more, err := readRules(f.file)
		if err != nil {
			return err
		}
		defs = append(defs, more...)
	}
	d, found, err := qualify.ReadFile(ctx, f.deals, qualify.ReadOptions{Map: f.maps, Outcomes: f.outcomes, MaxRejected: calibrate.MaxRejectedOf(f.maxRej), MaxRejectedName: "--max-rejected"})
	if err != nil {
		return err
	}
	if found != "" {
		fmt.Fprintf(e.stderr, "%s: the outcome column is %s, whose values read as won and lost (--map outcome=COLUMN names another)\n", f.deals, found)
	}
	if err := d.History.Report.Write(e.stderr); err != nil {
		return err
	}
	rs, err := qualify.Compare(d, defs, f.seed)
	if err != nil {
		return err
	}
	doc := document.NewQualify(d, rs, f.seed)
	return f.emit(e, doc)
}

// readRules reads a YAML file of named rules strictly.
func readRules(path string) ([]qualify.Definition, error) {
	b, err := model.ReadYAML(path)
	if err != nil {
		return nil, err
	}
	var file struct {
		Rules []struct {
			Name string `yaml:"name"`
			Rule string `yaml:"rule"`
		} `yaml:"rules"`
	}
	if err := yamlfile.Decode(b, &file); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	if n := len(file.Rules); n > qualify.MaxRules {
		return nil, fmt.Errorf("%s: %d rules, more than the %d one comparison may take; compare them in several runs", path, n, qualify.MaxRules)
	}
	var defs []qualify.Definition
	for i, r := range file.Rules {
		if strings.TrimSpace(r.Rule) == "" {
			return nil, fmt.Errorf("%s: rules[%d].rule: is missing", path, i)
		}
		if r.Name == "" {
			r.Name = r.Rule
		}
		defs = append(defs, qualify.Definition{Name: r.Name, Rule: r.Rule})
	}
	if len(defs) == 0 {
		return nil, fmt.Errorf("%s: rules: none given", path)
	}
	return defs, nil
}
