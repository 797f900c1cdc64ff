package strictjson

import (
	"math"
	"strconv"
	"sync"
)

// number is a JSON number as serde_json holds it: an unsigned integer when it is written as
// one that fits a u64, a negative integer when it fits an i64, else an f64 (`-0` included).
type number struct {
	kind numberKind
	u    uint64
	i    int64
	f    float64
}

type numberKind uint8

const (
	unsignedInt numberKind = iota
	negativeInt
	float
)

func (n number) float64() float64 {
	switch n.kind {
	case unsignedInt:
		return float64(n.u)
	case negativeInt:
		return float64(n.i)
	default:
		return n.f
	}
}

// scanNumber reads the number starting at d[i] and returns where it ends, or false when
// serde_json refuses it. It follows serde_json's own reader step by step, because that reader
// decides which numbers are out of range with its own (not always correctly rounded)
// arithmetic, and a plugin must refuse exactly the tokens the reference plugin refuses.
func scanNumber(d []byte, i int) (int, bool) {
	r := numberReader{d: d, i: i}
	_, ok := r.read()
	return r.i, ok
}

// parseNumber is the value of text, a number scanNumber accepted.
func parseNumber(text []byte) number {
	r := numberReader{d: text}
	n, _ := r.read()
	return n
}

type numberReader struct {
	d []byte
	i int
}

// peek is the next byte, or 0 at the end.
func (r *numberReader) peek() byte {
	if r.i < len(r.d) {
		return r.d[r.i]
	}
	return 0
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

// overflows says whether a*10+digit exceeds max, as serde_json's `overflow!` does.
func overflows(a, digit, max uint64) bool {
	return a >= max/10 && (a > max/10 || digit > max%10)
}

func (r *numberReader) read() (number, bool) {
	positive := true
	if r.peek() == '-' {
		positive = false
		r.i++
	}
	c := r.peek()
	if !isDigit(c) {
		return number{}, false
	}
	r.i++
	if c == '0' {
		// There can be only one leading zero.
		if isDigit(r.peek()) {
			return number{}, false
		}
		return r.afterInteger(positive, 0)
	}
	significand := uint64(c - '0')
	for isDigit(r.peek()) {
		digit := uint64(r.peek() - '0')
		if overflows(significand, digit, math.MaxUint64) {
			return r.longInteger(positive, significand)
		}
		r.i++
		significand = significand*10 + digit
	}
	return r.afterInteger(positive, significand)
}

func (r *numberReader) afterInteger(positive bool, significand uint64) (number, bool) {
	switch r.peek() {
	case '.':
		return r.decimal(positive, significand, 0)
	case 'e', 'E':
		return r.exponent(positive, significand, 0)
	}
	if positive {
		return number{kind: unsignedInt, u: significand}, true
	}
	neg := -int64(significand)
	// `-0` and integers below i64's range become floats.
	if neg >= 0 {
		return number{kind: float, f: -float64(significand)}, true
	}
	return number{kind: negativeInt, i: neg}, true
}

// longInteger continues an integer too long for a u64: further digits only scale it.
func (r *numberReader) longInteger(positive bool, significand uint64) (number, bool) {
	var exponent int32
	for {
		switch c := r.peek(); {
		case isDigit(c):
			r.i++
			exponent++
		case c == '.':
			return r.decimal(positive, significand, exponent)
		case c == 'e' || c == 'E':
			return r.exponent(positive, significand, exponent)
		default:
			return fromParts(positive, significand, exponent)
		}
	}
}

func (r *numberReader) decimal(positive bool, significand uint64, exponentBefore int32) (number, bool) {
	r.i++ // the '.'
	var exponentAfter int32
	for isDigit(r.peek()) {
		digit := uint64(r.peek() - '0')
		if overflows(significand, digit, math.MaxUint64) {
			// Digits past a u64's precision are dropped.
			for isDigit(r.peek()) {
				r.i++
			}
			return r.afterDecimal(positive, significand, exponentBefore+exponentAfter)
		}
		r.i++
		significand = significand*10 + digit
		exponentAfter--
	}
	if exponentAfter == 0 {
		return number{}, false // no digit after the point
	}
	return r.afterDecimal(positive, significand, exponentBefore+exponentAfter)
}

func (r *numberReader) afterDecimal(positive bool, significand uint64, exponent int32) (number, bool) {
	if c := r.peek(); c == 'e' || c == 'E' {
		return r.exponent(positive, significand, exponent)
	}
	return fromParts(positive, significand, exponent)
}

func (r *numberReader) exponent(positive bool, significand uint64, startingExponent int32) (number, bool) {
	r.i++ // the 'e'
	positiveExponent := true
	switch r.peek() {
	case '+':
		r.i++
	case '-':
		positiveExponent = false
		r.i++
	}
	if !isDigit(r.peek()) {
		return number{}, false
	}
	exp := uint64(r.peek() - '0')
	r.i++
	for isDigit(r.peek()) {
		digit := uint64(r.peek() - '0')
		if overflows(exp, digit, math.MaxInt32) {
			// An exponent beyond i32: infinity is refused, anything else is zero.
			if significand != 0 && positiveExponent {
				return number{}, false
			}
			for isDigit(r.peek()) {
				r.i++
			}
			return number{kind: float, f: signed(positive, 0)}, true
		}
		r.i++
		exp = exp*10 + digit
	}
	final := int64(startingExponent)
	if positiveExponent {
		final += int64(exp)
	} else {
		final -= int64(exp)
	}
	return fromParts(positive, significand, int32(max(math.MinInt32, min(math.MaxInt32, final))))
}

// fromParts is significand * 10^exponent computed as serde_json computes it: one
// multiplication or division by a power of ten from a table, and repeated divisions by 1e308
// below the table.
func fromParts(positive bool, significand uint64, exponent int32) (number, bool) {
	table := powersOfTen()
	f := float64(significand)
	for {
		// As Rust's `wrapping_abs`: the most negative exponent stays negative.
		index := exponent
		if index < 0 {
			index = -index
		}
		if index >= 0 && int(index) < len(table) {
			if exponent >= 0 {
				f *= table[index]
				if math.IsInf(f, 0) {
					return number{}, false
				}
			} else {
				f /= table[index]
			}
			break
		}
		if f == 0 {
			break
		}
		if exponent >= 0 {
			return number{}, false
		}
		f /= 1e308
		exponent += 308
	}
	return number{kind: float, f: signed(positive, f)}, true
}

func signed(positive bool, f float64) float64 {
	if positive {
		return f
	}
	return -f
}

// powersOfTen is 1e0..1e308, each the correctly rounded f64 as a Rust literal gives it. Built
// on first use so that instances which never meet a fraction do not pay for it at start-up.
var powersOfTen = sync.OnceValue(func() *[309]float64 {
	var t [309]float64
	for i := range t {
		t[i], _ = strconv.ParseFloat("1e"+strconv.Itoa(i), 64)
	}
	return &t
})
