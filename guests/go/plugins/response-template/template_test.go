package main

import (
	"errors"
	"testing"
)

func testValues(name string) (string, bool, error) {
	switch name {
	case "quote":
		return `a "b" \c`, true, nil
	case "ctl":
		return "x\n\x01y", true, nil
	case "n":
		return "42", true, nil
	case "missing":
		return "", false, nil
	}
	return "", false, errors.New("unknown " + name)
}

func TestRenderEscapesInsideStringsOnly(t *testing.T) {
	for template, want := range map[string]string{
		`{"q": "{{quote}}", "n": {{ n }}, "c": "{{ctl}}"}`: `{"q": "a \"b\" \\c", "n": 42, "c": "x\n\u0001y"}`,
		`{"a \"{{n}}\"": {{n}}}`:                           `{"a \"42\"": 42}`,
		`["{{missing}}", {{missing}}]`:                     `["", null]`,
		`{"é": "{{n}}"}`:                                   `{"é": "42"}`,
	} {
		got, err := render(template, testValues)
		if err != nil || got != want {
			t.Errorf("%s: %s %v, want %s", template, got, err, want)
		}
	}
	for _, bad := range []string{"{{n", "{{nope}}"} {
		if _, err := render(bad, testValues); err == nil {
			t.Errorf("%q rendered", bad)
		}
	}
}

func TestPlaceholders(t *testing.T) {
	for name, want := range map[string]placeholder{
		"path":                   {kind: placeholderPath},
		"now_unix":               {kind: placeholderNowUnix},
		"path.id":                {kind: placeholderPathParam, arg: "id"},
		"query.a.b":              {kind: placeholderQuery, arg: "a.b"},
		"header.x-y":             {kind: placeholderHeader, arg: "x-y"},
		"identity.username":      {kind: placeholderUsername},
		"identity.claims.a.b":    {kind: placeholderClaim, arg: "a.b"},
		"identity.claims.tenant": {kind: placeholderClaim, arg: "tenant"},
	} {
		if got, err := parsePlaceholder(name); err != nil || got != want {
			t.Errorf("%s: %+v %v", name, got, err)
		}
	}
	for _, bad := range []string{"nope", "cookie.x", "identity", "identity.email", "identity.claims", "Path", ""} {
		if _, err := parsePlaceholder(bad); err == nil {
			t.Errorf("%q accepted", bad)
		}
	}
}

func TestClockAndUUID(t *testing.T) {
	for secs, want := range map[uint64]string{
		0: "1970-01-01T00:00:00Z", 951_782_400: "2000-02-29T00:00:00Z",
		1_709_251_199: "2024-02-29T23:59:59Z", 4_102_444_800: "2100-01-01T00:00:00Z",
	} {
		if got := rfc3339(secs); got != want {
			t.Errorf("%d: %s", secs, got)
		}
	}
	var ones [16]byte
	for i := range ones {
		ones[i] = 0xff
	}
	if got := formatUUIDv4(ones); got != "ffffffff-ffff-4fff-bfff-ffffffffffff" {
		t.Errorf("%s", got)
	}
	if got := formatUUIDv4([16]byte{}); got != "00000000-0000-4000-8000-000000000000" {
		t.Errorf("%s", got)
	}
}
