package calibrate

import "strings"

// ReadOutcome reads v, in any case and with spaces around it, as a deal's
// outcome: won or lost in words (won, win, closed won, lost, loss, closed
// lost and their spellings: worded) or as yes/no, true/false, 1/0. ok is
// false for anything else.
func ReadOutcome(v string) (won, ok, worded bool) {
	switch strings.ToLower(strings.TrimSpace(v)) {
	case "won", "win", "closed won", "closed-won", "closedwon":
		return true, true, true
	case "lost", "loss", "closed lost", "closed-lost", "closedlost":
		return false, true, true
	case "yes", "true", "1":
		return true, true, false
	case "no", "false", "0":
		return false, true, false
	}
	return false, false, false
}
