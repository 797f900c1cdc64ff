package strictjson

import (
	"math"
	"testing"
)

func value(t *testing.T, text string) Value {
	t.Helper()
	v, err := Parse([]byte(text))
	if err != nil {
		t.Fatalf("%s: %v", text, err)
	}
	return v
}

func TestFloatIsSerdeJSONsF64(t *testing.T) {
	for text, want := range map[string]float64{
		"0":                      0,
		"42":                     42,
		"-7":                     -7,
		"4102444800":             4102444800,
		"4102444800.5":           4102444800.5,
		"1e3":                    1000,
		"-2.5E-3":                -0.0025,
		"1.5e-7":                 1.5e-7,
		"18446744073709551615":   18446744073709551615,
		"18446744073709551616":   18446744073709551616,
		"-9223372036854775809":   -9223372036854775809,
		"1.7976931348623157e308": math.MaxFloat64,
		"5e-324":                 5e-324,
		"1e-400":                 0,
		"0.1":                    0.1,
		"0.3333333333333333":     0.3333333333333333,
		"123456789012345.6":      123456789012345.6,
	} {
		got, ok := value(t, text).Float()
		if !ok || got != want {
			t.Errorf("%s: got %v (%v), want %v", text, got, ok, want)
		}
	}
	if f, _ := value(t, "-0").Float(); f != 0 || !math.Signbit(f) {
		t.Errorf("-0: got %v, want negative zero", f)
	}
	for _, text := range []string{`"1"`, `null`, `true`, `[1]`} {
		if _, ok := value(t, text).Float(); ok {
			t.Errorf("%s read as a number", text)
		}
	}
}

func TestTextDecodesEscapes(t *testing.T) {
	got, ok := value(t, `"caf\u00e9 \ud83d\ude00 \"q\" \\ \/ \b\f\n\r\t \u0000 raw é"`).Text()
	want := "café 😀 \"q\" \\ / \b\f\n\r\t \x00 raw é"
	if !ok || got != want {
		t.Errorf("got %q, want %q", got, want)
	}
	if _, ok := value(t, `1`).Text(); ok {
		t.Error("a number read as text")
	}
}

func TestKindsAndElements(t *testing.T) {
	v := value(t, `[ "a" , 1 , null , true , [ "c" ] , { "d" : "e" } ]`)
	items, ok := v.Elements()
	if !ok || len(items) != 6 {
		t.Fatalf("got %d items", len(items))
	}
	wantKinds := []Kind{KindString, KindNumber, KindNull, KindBool, KindArray, KindObject}
	for i, item := range items {
		if item.Kind() != wantKinds[i] {
			t.Errorf("item %d (%s): kind %d, want %d", i, item.Raw(), item.Kind(), wantKinds[i])
		}
	}
	if b, ok := items[3].Bool(); !ok || !b {
		t.Error("true is not true")
	}
	if obj, ok := items[5].Object(); !ok || len(obj.Members()) != 1 {
		t.Error("the object item is not an object of one member")
	}
	if empty, ok := value(t, `[]`).Elements(); !ok || len(empty) != 0 {
		t.Error("[] is not an empty array")
	}
	if _, ok := value(t, `{}`).Elements(); ok {
		t.Error("an object read as an array")
	}
}

func TestNestedValuesAreFoundInTheirText(t *testing.T) {
	outer, err := ParseObject([]byte(`{"o": { "a\"b" : 1 , "c\\\\" : [ " ] } \" " , { "x" : [ ] } ] , "s\u0075b" : "y" } }`))
	if err != nil {
		t.Fatal(err)
	}
	o, _ := outer.Get("o")
	obj, ok := o.Object()
	if !ok {
		t.Fatal("o is not an object")
	}
	if v, ok := obj.Get(`a"b`); !ok || string(v.Raw()) != "1" {
		t.Errorf(`a"b = %s %v`, v.Raw(), ok)
	}
	if v, ok := obj.Text("sub"); !ok || v != "y" {
		t.Errorf("sub (escaped in the text) = %q %v", v, ok)
	}
	list, _ := obj.Get(`c\\`)
	items, ok := list.Elements()
	if !ok || len(items) != 2 || string(items[0].Raw()) != `" ] } \" "` || string(items[1].Raw()) != `{ "x" : [ ] }` {
		t.Errorf("items %q", items)
	}
}
