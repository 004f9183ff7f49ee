package calibrate

import (
	"bytes"
	"cmp"
	"encoding/csv"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// columnWords are words that, in a header name, suggest a canonical
// column, strongest first.
var columnWords = map[string][]string{
	"lead_id":    {"id", "key", "record", "number", "no", "name", "deal", "opportunity", "lead"},
	"created_at": {"created", "create", "creation", "engage", "engaged", "first", "start", "opened", "date"},
	"outcome":    {"outcome", "stage", "status", "result"},
	"closed_at":  {"closed", "close", "end", "decision"},
	"won_at":     {"won", "win"},
	"lost_at":    {"lost", "loss"},
	"amount":     {"amount", "value", "revenue", "price", "size"},
	"channel":    {"channel", "source", "origin", "campaign", "medium"},
	"rep":        {"owner", "rep", "agent", "salesperson"},
	"at":         {"date", "at", "time", "timestamp", "changed", "updated", "modified"},
	"stage":      {"stage", "status", "step"},
}

// notWords are words that rule a header name out of a canonical column
// whatever else it says: a weighted revenue is not a deal's amount, a
// stage is not an id.
var notWords = map[string][]string{
	"lead_id": {"stage", "status", "outcome", "result", "date", "at"},
	"amount":  {"weighted", "probability", "expected"},
}

// maxShownColumns is how many of a header's names an error lists.
const maxShownColumns = 30

// columnProfile is what a file's first rows say of one column.
type columnProfile struct {
	values, distinct int
	dates            bool // every value reads as a date, and not every one as a plain number
	numbers          bool // every value reads as a number
	outcomes         bool // its values read as won and lost, in words or as yes/no, true/false, 1/0
}

// profiles reads the columns of rows, a file's first rows after its
// header.
func profiles(width int, rows [][]string) []columnProfile {
	out := make([]columnProfile, width)
	for i := range out {
		out[i] = profile(rows, i)
	}
	return out
}

// profile reads column i of rows.
func profile(rows [][]string, i int) columnProfile {
	var p columnProfile
	var vs []string
	seen := map[string]bool{}
	for _, r := range rows {
		if i < len(r) {
			if v := strings.TrimSpace(r[i]); v != "" {
				vs = append(vs, v)
				seen[strings.ToLower(v)] = true
			}
		}
	}
	p.values, p.distinct = len(vs), len(seen)
	if len(vs) == 0 {
		return p
	}
	p.numbers = !slices.ContainsFunc(vs, func(v string) bool {
		_, err := strconv.ParseFloat(strings.ReplaceAll(v, ",", ""), 64)
		return err != nil
	})
	iso := !slices.ContainsFunc(vs, func(v string) bool { _, err := ParseTime(v, ""); return err != nil })
	p.dates = iso || !p.numbers && slices.ContainsFunc(dateLayouts, func(l string) bool {
		return !slices.ContainsFunc(vs, func(v string) bool { _, err := ParseTime(v, l); return err != nil })
	})
	won, lost := false, false
	for v := range seen {
		if w, ok, _ := ReadOutcome(v); ok {
			won, lost = won || w, lost || !w
		}
	}
	p.outcomes = won && lost && p.distinct <= 8
	return p
}

// fits says whether a column of profile p can be canonical column c.
func (p columnProfile) fits(c string) bool {
	if p.values == 0 {
		return true // nothing to go by but the name
	}
	switch c {
	case "created_at", "closed_at", "won_at", "lost_at", "at":
		return p.dates
	case "amount":
		return p.numbers
	case "lead_id":
		return !p.dates && !p.outcomes && !(p.values >= 30 && p.distinct <= 12)
	case "outcome", "stage":
		return !p.dates && !p.numbers && p.distinct <= 30
	case "channel", "rep":
		return !p.dates && !p.numbers
	}
	return true
}

// sampleRows reads the whole rows of a file's first bytes (start, header
// included), after the header (none where one is malformed): what the
// date layout, the date columns' check and suggestMap go by.
func sampleRows(start []byte, comma rune) [][]string {
	if i := bytes.LastIndexByte(start, '\n'); i >= 0 {
		start = start[:i+1] // whole lines only
	}
	cr := csv.NewReader(bytes.NewReader(start))
	cr.FieldsPerRecord, cr.Comma = -1, comma
	recs, _ := cr.ReadAll()
	if len(recs) > 0 {
		recs = recs[1:]
	}
	return recs
}

// suggestMap proposes, for a header that lacks columns the reader needs,
// the header itself and a --map from the closest names: each canonical
// column not found gets the unused header name whose words best suggest
// it and whose values, in rows (the file's first), fit it (dates for a
// date, numbers for an amount, an id that is not a stage). Ids that
// repeat make it an event log (lead_id, stage, at). A file without a
// date column is no history: it says so, and where a column reads as won
// and lost, proposes qualify. It also names a preset whose header names
// the file has.
func (rd *reader) suggestMap(header []string, cols columns, rows [][]string) string {
	for _, h := range header {
		if !utf8.ValidString(h) || strings.ContainsFunc(h, unicode.IsControl) {
			return "; its first line is not a text header (is it a CSV file?)"
		}
	}
	var b strings.Builder
	shown := header
	if len(shown) > maxShownColumns {
		shown = shown[:maxShownColumns]
	}
	fmt.Fprintf(&b, "; the header is %s", strings.Join(quoteAll(shown), ", "))
	if len(header) > len(shown) {
		fmt.Fprintf(&b, " and %d more", len(header)-len(shown))
	}
	if p := presetFor(header); p != nil && rd.o.Preset == nil {
		fmt.Fprintf(&b, "; it looks like %s: try %s %s", p.About, rd.o.Names.of(SetPreset), p.Name)
		return b.String()
	}
	if spendHeader(header) {
		b.WriteString("; it looks like a spend file (week, channel, spend): give it to --spend, beside a history")
		return b.String()
	}
	prof := profiles(len(header), rows)
	if len(rows) > 0 && !slices.ContainsFunc(prof, func(p columnProfile) bool { return p.dates }) {
		b.WriteString("; no column holds dates, which a history needs (at least the date each lead was created)")
		if slices.ContainsFunc(prof, func(p columnProfile) bool { return p.outcomes }) {
			b.WriteString(": for closed deals without dates, simulate qualify --deals FILE compares qualification rules")
		}
		return b.String()
	}
	used := map[int]bool{}
	for _, i := range cols {
		used[i] = true
	}
	wanted := []string{"lead_id", "created_at", "outcome", "closed_at", "won_at", "lost_at", "amount", "channel", "rep"}
	pairs := assign(header, prof, used, wanted)
	if id, ok := pairs["lead_id"]; ok && prof[id].values >= 10 && float64(prof[id].distinct) < 0.8*float64(prof[id].values) {
		// Ids that repeat: a row per stage change.
		pairs = assign(header, prof, used, []string{"lead_id", "at", "stage", "amount", "channel", "rep"})
		wanted = []string{"lead_id", "at", "stage", "amount", "channel", "rep"}
	}
	var out []string
	for _, c := range wanted {
		if i, ok := pairs[c]; ok {
			out = append(out, csvQuote(c+"="+header[i]))
		}
	}
	if len(out) > 0 {
		arg := strings.Join(out, ",")
		if strings.ContainsAny(arg, " '\"$`\\;&|<>()*?!#") {
			arg = "'" + strings.ReplaceAll(arg, "'", `'\''`) + "'"
		}
		fmt.Fprintf(&b, "; perhaps %s %s", rd.o.Names.of(SetMap), arg)
	}
	return b.String()
}

// checkDateColumns notes each date column of cols whose values in rows
// (the file's first) are plain numbers and read as no date, as an amount
// mapped to created_at is.
func (rd *reader) checkDateColumns(header []string, cols columns, rows [][]string) {
	if rd.layout == ExcelSerial {
		return
	}
	for _, c := range slices.Sorted(maps.Keys(cols)) {
		i := cols[c]
		if !dateColumn(c) || i >= len(header) {
			continue
		}
		if p := profile(rows, i); !p.numbers || p.dates {
			continue
		}
		example := ""
		for _, r := range rows {
			if i < len(r) && strings.TrimSpace(r[i]) != "" {
				example = strings.TrimSpace(r[i])
				break
			}
		}
		rd.notDates = append(rd.notDates, fmt.Sprintf("%s is the column %q, whose values are numbers such as %s, not dates: is it the column meant?", c, header[i], example))
	}
}

// spendHeader says whether header is a spend file's (ReadSpend): week,
// channel and spend.
func spendHeader(header []string) bool {
	has := map[string]bool{}
	for _, h := range header {
		has[strings.ToLower(strings.TrimSpace(h))] = true
	}
	return has["week"] && has["channel"] && has["spend"] && len(header) == 3
}

// assign gives each canonical column of wanted the header name that best
// suggests it and fits it, strongest suggestion first over all columns
// (a won_date is won_at before it is any date), of equal ones the name
// of fewest words; names in used are taken.
func assign(header []string, prof []columnProfile, used map[int]bool, wanted []string) map[string]int {
	type pair struct {
		c        string
		i, words int
		strength float64
	}
	var ps []pair
	for _, c := range wanted {
		for i, h := range header {
			s := wordScore(h, columnWords[c])
			if used[i] || s == 0 || wordScore(h, notWords[c]) > 0 || !prof[i].fits(c) {
				continue
			}
			ps = append(ps, pair{c, i, len(strings.Fields(h)), float64(s) / float64(len(columnWords[c]))})
		}
	}
	slices.SortStableFunc(ps, func(a, b pair) int {
		return cmp.Or(cmp.Compare(b.strength, a.strength), cmp.Compare(a.words, b.words))
	})
	out := map[string]int{}
	taken := maps.Clone(used)
	for _, p := range ps {
		if _, done := out[p.c]; !done && !taken[p.i] {
			out[p.c], taken[p.i] = p.i, true
		}
	}
	return out
}

// wordScore scores how well a header name's words match a column's
// words: the earlier the word in the list, the higher.
func wordScore(h string, words []string) int {
	parts := strings.FieldsFunc(strings.ToLower(h), func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) })
	best := 0
	for k, w := range words {
		if slices.Contains(parts, w) {
			best = max(best, len(words)-k)
		}
	}
	return best
}

// presetFor returns the preset with two or more of its header names in
// header, the most matched first, or nil.
func presetFor(header []string) *Preset {
	index := map[string]int{}
	for i, h := range header {
		index[strings.ToLower(strings.TrimSpace(h))] = i
	}
	var best *Preset
	most := 1
	for _, p := range Presets {
		n := 0
		for _, c := range slices.Sorted(mapsKeys(p.Columns)) {
			if _, ok := p.column(c, index); ok {
				n++
			}
		}
		if n > most {
			best, most = p, n
		}
	}
	return best
}

func mapsKeys(m map[string][]string) func(func(string) bool) {
	return func(yield func(string) bool) {
		for k := range m {
			if !yield(k) {
				return
			}
		}
	}
}

func quoteAll(s []string) []string {
	out := make([]string, len(s))
	for i, v := range s {
		out[i] = strconv.Quote(v)
	}
	return out
}

// csvQuote quotes a name=column pair of a --map value as CSV where the
// column holds a comma or a quote.
func csvQuote(s string) string {
	if strings.ContainsAny(s, ",\"") {
		return `"` + strings.ReplaceAll(s, `"`, `""`) + `"`
	}
	return s
}
