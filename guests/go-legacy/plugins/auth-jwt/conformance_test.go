package main

import (
	"testing"

	"mockforge.dev/guest/internal/conformance"
)

func TestConformanceVectors(t *testing.T) {
	conformance.Run(t, "auth-jwt", "plugin.toml")
}
