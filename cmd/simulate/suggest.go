package main

import "github.com/funnelsim/funnelsim/internal/nearest"

// didYouMean is nearest.DidYouMean.
func didYouMean(name string, candidates []string) string { return nearest.DidYouMean(name, candidates) }
