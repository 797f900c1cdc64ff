package strictjson

import (
	"bytes"
	"strings"
)

// Kind is the type of a JSON value.
type Kind uint8

// The JSON types.
const (
	KindNull Kind = iota
	KindBool
	KindNumber
	KindString
	KindArray
	KindObject
)

// Value is one validated JSON value, kept as its own text. Values come from [Parse],
// [ParseObject] and the accessors below; the zero Value reads as null.
type Value struct {
	text []byte
}

// Raw is the value's exact text, as the document wrote it (insignificant whitespace inside
// arrays and objects included). The slice aliases the parsed document: do not change it.
func (v Value) Raw() []byte { return v.text }

// Kind is the value's type.
func (v Value) Kind() Kind {
	if len(v.text) == 0 {
		return KindNull
	}
	switch c := v.text[0]; c {
	case 'n':
		return KindNull
	case 't', 'f':
		return KindBool
	case '"':
		return KindString
	case '[':
		return KindArray
	case '{':
		return KindObject
	default:
		return KindNumber
	}
}

// Bool is the value of a JSON boolean.
func (v Value) Bool() (value, ok bool) {
	if v.Kind() != KindBool {
		return false, false
	}
	return v.text[0] == 't', true
}

// Float is a JSON number as an f64, as serde_json's `Value::as_f64` gives it.
func (v Value) Float() (float64, bool) {
	if v.Kind() != KindNumber {
		return 0, false
	}
	return parseNumber(v.text).float64(), true
}

// Text is the decoded content of a JSON string.
func (v Value) Text() (string, bool) {
	if v.Kind() != KindString {
		return "", false
	}
	return unquote(v.text), true
}

// Elements are the items of a JSON array, in order.
func (v Value) Elements() ([]Value, bool) {
	if v.Kind() != KindArray {
		return nil, false
	}
	return trustedItems(v.text), true
}

// Object is a JSON object's members.
func (v Value) Object() (Object, bool) {
	if v.Kind() != KindObject {
		return Object{}, false
	}
	return Object{text: v.text, spans: trustedSpans(v.text)}, true
}

// unquote decodes the text of a valid JSON string, quotes included.
func unquote(text []byte) string {
	inner := text[1 : len(text)-1]
	first := bytes.IndexByte(inner, '\\')
	if first < 0 {
		return string(inner)
	}
	var b strings.Builder
	b.Grow(len(inner))
	b.Write(inner[:first])
	for i := first; i < len(inner); {
		c := inner[i]
		if c != '\\' {
			b.WriteByte(c)
			i++
			continue
		}
		switch inner[i+1] {
		case 'b':
			b.WriteByte('\b')
		case 'f':
			b.WriteByte('\f')
		case 'n':
			b.WriteByte('\n')
		case 'r':
			b.WriteByte('\r')
		case 't':
			b.WriteByte('\t')
		case 'u':
			r, _ := hex4(inner, i+2)
			if isHighSurrogate(r) {
				low, _ := hex4(inner, i+8)
				r = 0x10000 + (r-0xD800)<<10 + (low - 0xDC00)
				i += 6
			}
			b.WriteRune(r)
			i += 6
			continue
		default: // '"', '\\', '/'
			b.WriteByte(inner[i+1])
		}
		i += 2
	}
	return b.String()
}
