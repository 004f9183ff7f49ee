package calibrate

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// columnWords are words that, in a header name, suggest a canonical
// column, strongest first.
var columnWords = map[string][]string{
	"lead_id":    {"id", "key", "record", "number", "no", "deal", "opportunity", "lead"},
	"created_at": {"created", "create", "creation", "engage", "engaged", "first", "start", "opened", "date"},
	"outcome":    {"outcome", "stage", "status", "result"},
	"closed_at":  {"closed", "close", "end", "decision"},
	"won_at":     {"won", "win"},
	"lost_at":    {"lost", "loss"},
	"amount":     {"amount", "value", "revenue", "price", "size"},
	"channel":    {"channel", "source", "origin", "campaign", "medium"},
	"rep":        {"owner", "rep", "agent", "salesperson", "seller"},
}

// maxShownColumns is how many of a header's names an error lists.
const maxShownColumns = 30

// suggestMap proposes, for a header that lacks columns the reader needs,
// the header itself and a --map from the closest names: for each
// canonical column not found, the unused header name whose words best
// suggest it. It also names a preset whose header names the file has.
func (rd *reader) suggestMap(header []string, cols columns) string {
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
	used := map[int]bool{}
	for _, i := range cols {
		used[i] = true
	}
	var pairs []string
	for _, c := range []string{"lead_id", "created_at", "outcome", "closed_at", "won_at", "lost_at", "amount", "channel", "rep"} {
		if _, ok := cols[c]; ok {
			continue
		}
		// The best-scoring name; of equal ones, the one of fewest words.
		best, score, words := -1, 0, 0
		for i, h := range header {
			s, n := wordScore(h, columnWords[c]), len(strings.Fields(h))
			if !used[i] && s > 0 && (s > score || s == score && n < words) {
				best, score, words = i, s, n
			}
		}
		if best >= 0 {
			used[best] = true
			pairs = append(pairs, csvQuote(c+"="+header[best]))
		}
	}
	if len(pairs) > 0 {
		arg := strings.Join(pairs, ",")
		if strings.ContainsAny(arg, " '\"$`\\;&|<>()*?!#") {
			arg = "'" + strings.ReplaceAll(arg, "'", `'\''`) + "'"
		}
		fmt.Fprintf(&b, "; perhaps %s %s", rd.o.Names.of(SetMap), arg)
	}
	return b.String()
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
