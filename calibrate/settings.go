package calibrate

// Setting is an option of ReadOptions or Options that a message may
// advise setting.
type Setting int

const (
	SetMap         Setting = iota // ReadOptions.Map
	SetStageMap                   // ReadOptions.StageMap
	SetDateFormat                 // ReadOptions.DateFormat
	SetAsOf                       // Options.AsOf
	SetStaleAfter                 // Options.StaleAfter
	SetLeadsUntil                 // Options.LeadsUntil
	SetEventsFrom                 // Options.EventsFrom
	SetDealSize                   // Options.DealSize
	SetMaxRejected                // ReadOptions.MaxRejected
	SetPreset                     // ReadOptions.Preset
	SetStages                     // ReadOptions.Stages
)

// goNames are the settings as the Go fields are named.
var goNames = [...]string{"ReadOptions.Map", "ReadOptions.StageMap", "ReadOptions.DateFormat", "Options.AsOf",
	"Options.StaleAfter", "Options.LeadsUntil", "Options.EventsFrom", "Options.DealSize", "ReadOptions.MaxRejected", "ReadOptions.Preset", "ReadOptions.Stages"}

// SettingNames says how messages name the settings: a command line gives
// its flags. A setting it lacks is named as its Go field is
// (ReadOptions.Map).
type SettingNames map[Setting]string

// of is how messages name s.
func (n SettingNames) of(s Setting) string {
	if name, ok := n[s]; ok {
		return name
	}
	return goNames[s]
}
