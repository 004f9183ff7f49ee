package calibrate

import (
	"context"
	"fmt"
	"math"
	"os"
	"strconv"
	"strings"
	"time"
)

// Spend is a channel's weekly spend: one amount per week, the week named by
// the day it starts.
type Spend struct {
	Rows []SpendRow
}

// SpendRow is one week's spend on one channel.
type SpendRow struct {
	Week    time.Time
	Channel string
	Amount  float64
}

// ReadSpendFile opens and reads a spend file; see ReadSpend.
func ReadSpendFile(path string, o ReadOptions, rep *Report) (*Spend, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return ReadSpend(File{Name: path, R: f}, o, rep)
}

// ReadSpend reads a spend file: a CSV with columns week (the date the week
// starts), channel and spend. Rows with an unparsable date, an empty
// channel, a spend that is not a number or is negative, or a second row for
// the same week and channel are rejected and counted in rep, as history
// rows are. Of o, only the date format and the settings' names count.
func ReadSpend(f File, o ReadOptions, rep *Report) (*Spend, error) {
	c, err := openCSV(context.Background(), f, rep)
	if err != nil {
		return nil, err
	}
	defer c.close()
	col := map[string]int{}
	for i, h := range c.header {
		col[strings.ToLower(strings.TrimSpace(h))] = i
	}
	for _, want := range []string{"week", "channel", "spend"} {
		if _, ok := col[want]; !ok {
			return nil, fmt.Errorf("%s: header: no %s column (a spend file has week, channel, spend)", f.Name, want)
		}
	}
	src := &c.src
	s := &Spend{}
	type key struct {
		week    time.Time
		channel string
	}
	seen := map[key]int{}
	for {
		rec, line, ok, err := c.next()
		if err != nil {
			return nil, err
		}
		if !ok {
			break
		}
		get := func(name string) string { return strings.TrimSpace(rec[col[name]]) }
		week, err := ParseTime(get("week"), o.DateFormat)
		if err != nil {
			err.(*DateError).Names = o.Names
			rep.reject(src, line, "week", "unparsable date", err.Error())
			continue
		}
		ch := get("channel")
		if ch == "" {
			rep.reject(src, line, "channel", "missing channel", "empty")
			continue
		}
		v, err := strconv.ParseFloat(get("spend"), 64)
		switch {
		case err != nil || math.IsNaN(v) || math.IsInf(v, 0):
			rep.reject(src, line, "spend", "unparsable amount", fmt.Sprintf("%q is not a number", get("spend")))
			continue
		case v < 0:
			rep.reject(src, line, "spend", "negative amount", get("spend"))
			continue
		}
		k := key{week, ch}
		if l, ok := seen[k]; ok {
			rep.reject(src, line, "week", "duplicate week and channel", fmt.Sprintf("%s %s first on line %d", week.Format(time.DateOnly), ch, l))
			continue
		}
		seen[k] = line
		s.Rows = append(s.Rows, SpendRow{Week: week, Channel: ch, Amount: v})
	}
	c.done()
	return s, nil
}
