package strictjson

import (
	"strings"
	"testing"
)

func TestAcceptsWhatSerdeJSONAccepts(t *testing.T) {
	for _, doc := range []string{
		`{}`,
		" \t\r\n{\"a\" : [ 1 , 2 ] }\n",
		`{"a":null,"b":true,"c":false,"d":"","e":[],"f":{}}`,
		`{"n":[0,-0,1.5,-2.5E-3,1e3,1E+3,1e-400,0e999999999999,1.7976931348623157e308,5e-324]}`,
		`{"n":[18446744073709551615,18446744073709551616,-9223372036854775809,123456789012345678901234567890]}`,
		`{"s":"\ud83d\ude00 \u00e9 \"\\\/\b\f\n\r\t \u0000"}`,
		"{\"s\":\"raw \u00e9 \U0001F600 \x7f\"}",
		`{"dup":1,"dup":2}`,
		`"a bare string"`,
		`[1]`,
	} {
		if _, err := Parse([]byte(doc)); err != nil {
			t.Errorf("%q refused: %v", doc, err)
		}
	}
}

func TestRefusesWhatSerdeJSONRefuses(t *testing.T) {
	for _, doc := range []string{
		``,
		` `,
		"\ufeff{}",
		"\v{}",
		`{"a":1,}`,
		`[1,]`,
		`{,}`,
		`{"a" 1}`,
		`{"a":1 "b":2}`,
		`{'a':1}`,
		`{a:1}`,
		`{"a":1}x`,
		`{"a":1}{}`,
		`1 2`,
		`{"a":01}`,
		`{"a":-01}`,
		`{"a":1.}`,
		`{"a":.5}`,
		`{"a":-}`,
		`{"a":+1}`,
		`{"a":1e}`,
		`{"a":1e+}`,
		`{"a":0x1}`,
		`{"a":1e400}`,
		`{"a":-1e400}`,
		`{"a":1e999999999999}`,
		`{"a":NaN}`,
		`{"a":Infinity}`,
		`{"a":tru}`,
		`{"a":nul}`,
		`{"a":True}`,
		`{"s":"\ud800"}`,
		`{"s":"\udc00x"}`,
		`{"s":"\ud83d\u0041"}`,
		`{"s":"\ud83dx"}`,
		`{"s":"\ud83d\n"}`,
		`{"s":"\q"}`,
		`{"s":"\u00g0"}`,
		`{"s":"\u00e"}`,
		"{\"s\":\"a\nb\"}",
		"{\"s\":\"a\x00b\"}",
		"{\"s\":\"\xff\"}",
		"{\"s\":\"\xed\xa0\x80\"}", // a surrogate in UTF-8
		"{\"s\":\"\xc0\xaf\"}",     // overlong
		`{"s":"unterminated}`,
		`{"a":[1,2}`,
		`[`,
	} {
		if _, err := Parse([]byte(doc)); err == nil {
			t.Errorf("%q accepted", doc)
		}
	}
}

func TestRefusesTheHundredAndTwentyEighthLevel(t *testing.T) {
	nested := func(levels int) []byte {
		return []byte(`{"a":` + strings.Repeat("[", levels-1) + strings.Repeat("]", levels-1) + `}`)
	}
	if _, err := ParseObject(nested(MaxDepth)); err != nil {
		t.Errorf("%d levels refused: %v", MaxDepth, err)
	}
	if _, err := ParseObject(nested(MaxDepth + 1)); err == nil {
		t.Errorf("%d levels accepted", MaxDepth+1)
	}
}

func TestObjectKeepsFirstPlaceAndLastValue(t *testing.T) {
	obj, err := ParseObject([]byte(`{"sub":"first","x":1,"s\u0075b":"second","x":{"y":2}}`))
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, m := range obj.Members() {
		got = append(got, m.Name+"="+string(m.Value.Raw()))
	}
	if want := `sub="second" x={"y":2}`; strings.Join(got, " ") != want {
		t.Errorf("got %v, want %s", got, want)
	}
	if sub, _ := obj.Text("sub"); sub != "second" {
		t.Errorf("Get: sub = %q, want the last value", sub)
	}
}

func TestObjectOfManyMembers(t *testing.T) {
	var b strings.Builder
	b.WriteString("{")
	for i := range 40 {
		b.WriteString(`"k` + string(rune('a'+i%20)) + `":` + string(rune('0'+i%10)) + ",")
	}
	b.WriteString(`"last":true}`)
	obj, err := ParseObject([]byte(b.String()))
	if err != nil {
		t.Fatal(err)
	}
	if n := len(obj.Members()); n != 21 {
		t.Errorf("%d members, want 21", n)
	}
	if v, _ := obj.Get("ka"); string(v.Raw()) != "0" {
		t.Errorf("ka = %s, want the last value 0", v.Raw())
	}
}

func TestParseObjectRefusesOtherValues(t *testing.T) {
	for _, doc := range []string{`[]`, `"{}"`, `1`, `null`} {
		if _, err := ParseObject([]byte(doc)); err == nil {
			t.Errorf("%s accepted as an object", doc)
		}
	}
}

func TestPlainEndFindsEverySpecialByte(t *testing.T) {
	base := []byte(strings.Repeat("abcdefghijklmnopqrstuvwxyz0123456789+/=-_ ~", 4))
	for at := range base {
		for _, c := range []byte{'"', '\\', 0x00, 0x1f, 0x80, 0xc3, 0xff} {
			d := append([]byte(nil), base...)
			d[at] = c
			for from := 0; from <= at; from += 3 {
				if got := plainEnd(d, from); got != at {
					t.Fatalf("byte %#x at %d, from %d: plainEnd %d", c, at, from, got)
				}
			}
		}
	}
	if got := plainEnd(base, 0); got != len(base) {
		t.Errorf("all plain: %d, want %d", got, len(base))
	}
}
