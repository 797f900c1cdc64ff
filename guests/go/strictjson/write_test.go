package strictjson

import "testing"

func TestAppendStringEscapesAsSerdeJSON(t *testing.T) {
	for in, want := range map[string]string{
		"plain":              `"plain"`,
		"q\"b\\s/":           `"q\"b\\s/"`,
		"\b\f\n\r\t":         `"\b\f\n\r\t"`,
		"\x00\x01\x1f\x7f":   `"\u0000\u0001\u001f` + "\x7f\"",
		"é 😀":                `"é 😀"`,
		"bad \xff utf8 \xc0": "\"bad \uFFFD utf8 \uFFFD\"",
	} {
		if got := string(AppendString(nil, in)); got != want {
			t.Errorf("%q: got %s, want %s", in, got, want)
		}
	}
}

func TestAppendCompactDropsOnlyInsignificantWhitespace(t *testing.T) {
	v := value(t, "{ \"a b\" :\t[ 1 ,\r\n\"x \\\" y\" ] , \"c\\\\\" : { } }")
	want := `{"a b":[1,"x \" y"],"c\\":{}}`
	if got := string(v.AppendCompact(nil)); got != want {
		t.Errorf("got %s, want %s", got, want)
	}
}
