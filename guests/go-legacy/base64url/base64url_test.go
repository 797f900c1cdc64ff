package base64url

import "testing"

func TestDecodesAsTheRustDecoder(t *testing.T) {
	for in, want := range map[string]string{
		"": "", "QQ": "A", "QQ=": "A", "QQ==": "A", "QUI": "AB", "QUI=": "AB", "QUJD": "ABC",
		"QUJDRA": "ABCD", "QUJDRA==": "ABCD", "-_8": "\xfb\xff",
	} {
		if got, ok := Decode(in); !ok || string(got) != want {
			t.Errorf("%q: %q %v, want %q", in, got, ok, want)
		}
	}
	for _, in := range []string{
		"Q", "Q=", "Q===", "QQ===", "QUJD=", "QUJD====", "QR", "QUJ", "Q=Q=", "QQ==QQ==",
		"QU+D", "QU/D", "QU D", "QUJDR", "é",
	} {
		if got, ok := Decode(in); ok {
			t.Errorf("%q accepted as %q", in, got)
		}
	}
}
