package mockforge

import "testing"

func TestConfigUintReadsAsRust(t *testing.T) {
	if _, ok, err := ConfigOf(nil).Uint("k"); ok || err != nil {
		t.Errorf("an absent key: %v %v", ok, err)
	}
	for text, want := range map[string]uint64{
		"0": 0, "42": 42, " +4102444800 ": 4102444800, "\u00a07\u3000": 7,
		"18446744073709551615": 18446744073709551615,
	} {
		if n, ok, err := ConfigOf(map[string]string{"k": text}).Uint("k"); n != want || !ok || err != nil {
			t.Errorf("%q: %d %v %v", text, n, ok, err)
		}
	}
	for _, text := range []string{"", " ", "-1", "-0", "+", "++1", "soon", "1.0", "1_000", "0x10", "18446744073709551616"} {
		_, _, err := ConfigOf(map[string]string{"k": text}).Uint("k")
		if err == nil || asPluginError(err).Kind != KindInvalidConfig {
			t.Errorf("%q: %v, want an invalid-config error", text, err)
		}
	}
}

func TestConfigRequire(t *testing.T) {
	config := ConfigOf(map[string]string{"a": ""})
	if v, err := config.Require("a"); v != "" || err != nil {
		t.Errorf("a set, empty key: %q %v", v, err)
	}
	if _, err := config.Require("b"); err == nil || asPluginError(err).Kind != KindInvalidConfig {
		t.Errorf("a missing key: %v", err)
	}
}
