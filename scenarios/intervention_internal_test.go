package scenarios

import (
	"reflect"
	"slices"
	"testing"
)

// TestInterventionKinds: every field of Intervention is a kind, a pointer
// to a type that makes its change, named in YAML; Kinds lists them all,
// so that the error for a wrong count names every kind.
func TestInterventionKinds(t *testing.T) {
	ct := reflect.TypeFor[change]()
	it := reflect.TypeFor[Intervention]()
	for i := range it.NumField() {
		f := it.Field(i)
		if f.Type.Kind() != reflect.Pointer || !f.Type.Implements(ct) {
			t.Errorf("Intervention.%s (%v) is not a pointer to a kind of intervention", f.Name, f.Type)
		}
		if f.Tag.Get("yaml") == "" {
			t.Errorf("Intervention.%s has no YAML name", f.Name)
		}
	}
	want := []string{"budget", "campaign", "sql_criteria", "reps", "sla", "deal_size", "conversion"}
	if got := Kinds(); !slices.Equal(got, want) {
		t.Errorf("Kinds() = %v, want %v", got, want)
	}
	if _, err := (&Intervention{}).apply(nil, nil, nil); err == nil {
		t.Error("an intervention of no kind was applied")
	}
}
