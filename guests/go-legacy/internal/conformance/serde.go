package conformance

import (
	"bytes"
	"strconv"
	"strings"

	"mockforge.dev/guest/strictjson"
)

// Canonical is v as serde_json's `Value::to_string` writes it (with `preserve_order`): what the
// translator passes on for each claim.
func Canonical(v strictjson.Value) string {
	return string(appendCanonical(nil, v))
}

func appendCanonical(dst []byte, v strictjson.Value) []byte {
	switch v.Kind() {
	case strictjson.KindString:
		text, _ := v.Text()
		return strictjson.AppendString(dst, text)
	case strictjson.KindNumber:
		return appendNumber(dst, v)
	case strictjson.KindArray:
		items, _ := v.Elements()
		dst = append(dst, '[')
		for i, item := range items {
			if i > 0 {
				dst = append(dst, ',')
			}
			dst = appendCanonical(dst, item)
		}
		return append(dst, ']')
	case strictjson.KindObject:
		obj, _ := v.Object()
		dst = append(dst, '{')
		for i, m := range obj.Members() {
			if i > 0 {
				dst = append(dst, ',')
			}
			dst = strictjson.AppendString(dst, m.Name)
			dst = append(dst, ':')
			dst = appendCanonical(dst, m.Value)
		}
		return append(dst, '}')
	}
	return append(dst, v.Raw()...) // null, true, false
}

// appendNumber writes integers that fit a u64 (or, negative, an i64) as integers and every
// other number as serde_json writes an f64.
func appendNumber(dst []byte, v strictjson.Value) []byte {
	raw := string(v.Raw())
	if !strings.ContainsAny(raw, ".eE") {
		if n, err := strconv.ParseUint(raw, 10, 64); err == nil {
			return strconv.AppendUint(dst, n, 10)
		}
		if n, err := strconv.ParseInt(raw, 10, 64); err == nil && n != 0 {
			return strconv.AppendInt(dst, n, 10)
		}
	}
	f, _ := v.Float()
	return appendFloat(dst, f)
}

// appendFloat writes f as serde_json 1.0.154 does: the shortest digits that read back as f,
// in positional notation for decimal exponents -5 to 15 (always with a fraction) and as
// `<digits>e<sign><exponent>` beyond.
func appendFloat(dst []byte, f float64) []byte {
	if f == 0 {
		if 1/f < 0 {
			return append(dst, "-0.0"...)
		}
		return append(dst, "0.0"...)
	}
	if f < 0 {
		dst = append(dst, '-')
		f = -f
	}
	// d.ddddde±x
	sci := strconv.FormatFloat(f, 'e', -1, 64)
	mantissa, exponent, _ := strings.Cut(sci, "e")
	exp10, _ := strconv.Atoi(exponent)
	digits := strings.Replace(mantissa, ".", "", 1)
	switch {
	case exp10 >= -5 && exp10 <= 15:
		if exp10 < 0 {
			dst = append(dst, "0."...)
			dst = append(dst, bytes.Repeat([]byte{'0'}, -exp10-1)...)
			return append(dst, digits...)
		}
		if len(digits) <= exp10+1 {
			dst = append(dst, digits...)
			dst = append(dst, bytes.Repeat([]byte{'0'}, exp10+1-len(digits))...)
			return append(dst, ".0"...)
		}
		dst = append(dst, digits[:exp10+1]...)
		dst = append(dst, '.')
		return append(dst, digits[exp10+1:]...)
	default:
		dst = append(dst, mantissa...)
		dst = append(dst, 'e')
		if exp10 >= 0 {
			dst = append(dst, '+')
		}
		return strconv.AppendInt(dst, int64(exp10), 10)
	}
}
