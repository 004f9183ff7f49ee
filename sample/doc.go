// Package sample defines funnelsim's sample company, a B2B SaaS firm, in one
// place: as a Truth (the true hazards, arrivals, deal sizes and team) that
// the synthetic history generator draws from, and as the Model that Truth
// implies, which is embedded as the default model of `simulate forecast`.
package sample
