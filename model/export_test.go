package model

// GeometricSums exposes geometricSums to the external tests.
var GeometricSums = geometricSums
