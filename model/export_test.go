package model

// GeometricSums exposes geometricSums to the external tests.
var GeometricSums = geometricSums

// EntryWeek and CascadeWeek expose the within-week exit chances.
var EntryWeek, CascadeWeek = entryWeek, cascadeWeek
