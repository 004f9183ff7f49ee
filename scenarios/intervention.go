package scenarios

import (
	"fmt"
	"reflect"
	"strings"

	"github.com/funnelsim/funnelsim/model"
)

// Intervention is one change to the plan; exactly one of its fields is set.
// Each field is a kind of intervention: a pointer to a type, in a file of
// its own, whose apply method makes the change. A new kind is that file,
// its test and a field here.
type Intervention struct {
	Budget      *Budget      `yaml:"budget,omitempty"`
	Campaign    *Campaign    `yaml:"campaign,omitempty"`
	SQLCriteria *SQLCriteria `yaml:"sql_criteria,omitempty"`
	Reps        *Reps        `yaml:"reps,omitempty"`
	SLA         *SLA         `yaml:"sla,omitempty"`
	DealSize    *DealSize    `yaml:"deal_size,omitempty"`
	Conversion  *Conversion  `yaml:"conversion,omitempty"`
}

// change is a kind of intervention: it makes its change to out, the
// scenario's model so far, m being the model before the scenario; ev is
// the history behind m, for the kinds that re-estimate on it. It returns
// warnings and notes.
type change interface {
	apply(out, m *model.Model, ev *Evidence) ([]string, error)
}

// set are the kinds iv sets.
func (iv *Intervention) set() []change {
	var out []change
	v := reflect.ValueOf(iv).Elem()
	for i := range v.NumField() {
		if f := v.Field(i); !f.IsNil() {
			out = append(out, f.Interface().(change))
		}
	}
	return out
}

// apply makes iv's change.
func (iv *Intervention) apply(out, m *model.Model, ev *Evidence) ([]string, error) {
	set := iv.set()
	if len(set) != 1 {
		return nil, fmt.Errorf("has %d kinds, want exactly one of %s", len(set), strings.Join(Kinds(), ", "))
	}
	return set[0].apply(out, m, ev)
}

// Kinds are the kinds of intervention, as a scenario file names them.
func Kinds() []string {
	var out []string
	t := reflect.TypeFor[Intervention]()
	for i := range t.NumField() {
		out = append(out, strings.Split(t.Field(i).Tag.Get("yaml"), ",")[0])
	}
	return out
}
