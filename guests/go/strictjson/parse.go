// Package strictjson reads JSON exactly as Rust's serde_json 1.0 does as the reference plugins
// build it (`preserve_order`, no `float_roundtrip`), so that a Go plugin accepts and refuses the
// same documents as the Rust ones, and keeps each value's own text so that it can be passed on
// unchanged.
//
// What serde_json refuses and Go's encoding/json accepts (or the reverse): nesting deeper than
// [MaxDepth], numbers out of the f64 range (computed the way serde_json computes them), lone
// UTF-16 surrogates in `\u` escapes, invalid UTF-8 anywhere, a byte-order mark, and whitespace
// other than space, tab, line feed and carriage return. Duplicate object keys are accepted; the
// last value wins and keeps the first key's place, as serde_json's ordered map does.
//
// Values are validated once, by [Parse] or [ParseObject]; a [Value] can only come from them.
package strictjson

import (
	"encoding/binary"
	"errors"
	"fmt"
	"unicode/utf8"
)

// MaxDepth is the deepest nesting of arrays and objects accepted, counting the outermost one:
// serde_json refuses the 128th level.
const MaxDepth = 127

// SyntaxError says why a document was refused and where.
type SyntaxError struct {
	// Offset is the byte offset at which the problem was found.
	Offset int
	// Problem describes it.
	Problem string
}

func (e *SyntaxError) Error() string {
	return fmt.Sprintf("invalid JSON at byte %d: %s", e.Offset, e.Problem)
}

// errNotObject is returned by ParseObject for a valid document that is not an object.
var errNotObject = errors.New("the JSON is not an object")

// Parse validates data as one JSON document and returns its value (without the surrounding
// whitespace).
func Parse(data []byte) (Value, error) {
	p := parser{data: data}
	start, err := p.document()
	if err != nil {
		return Value{}, err
	}
	return Value{text: data[start:p.end]}, nil
}

// ParseObject validates data as one JSON document holding an object and returns the object.
// It reads data once.
func ParseObject(data []byte) (Object, error) {
	// Room for the members of a typical object at once, rather than growing to it.
	p := parser{data: data, collect: true, members: make([]span, 0, 8)}
	start, err := p.document()
	if err != nil {
		return Object{}, err
	}
	if data[start] != '{' {
		return Object{}, errNotObject
	}
	return Object{text: data, spans: p.members}, nil
}

// span is one member of an object: where its key's and its value's text are, and whether the
// key holds an escape (else its text between the quotes is the name).
type span struct {
	keyStart, keyEnd, valueStart, valueEnd int
	keyEscaped                             bool
}

type parser struct {
	data  []byte
	pos   int
	depth int
	// escaped says whether the last string read holds an escape.
	escaped bool
	// end is where the last value read ends.
	end int
	// collect asks for the outermost object's members in members.
	collect bool
	members []span
}

func (p *parser) fail(problem string) error {
	return &SyntaxError{Offset: p.pos, Problem: problem}
}

// document reads whitespace, one value, whitespace and the end, and returns where the value
// starts.
func (p *parser) document() (int, error) {
	p.skipSpace()
	start := p.pos
	if err := p.value(); err != nil {
		return 0, err
	}
	p.skipSpace()
	if p.pos != len(p.data) {
		return 0, p.fail("trailing characters")
	}
	return start, nil
}

func (p *parser) skipSpace() {
	for p.pos < len(p.data) {
		switch p.data[p.pos] {
		case ' ', '\t', '\n', '\r':
			p.pos++
		default:
			return
		}
	}
}

func (p *parser) value() error {
	if p.pos >= len(p.data) {
		return p.fail("end of input while reading a value")
	}
	var err error
	switch c := p.data[p.pos]; {
	case c == '{':
		err = p.object()
	case c == '[':
		err = p.array()
	case c == '"':
		err = p.str()
	case c == '-' || c >= '0' && c <= '9':
		end, ok := scanNumber(p.data, p.pos)
		if !ok {
			return p.fail("invalid number, or a number out of range")
		}
		p.pos = end
	case c == 't':
		err = p.literal("true")
	case c == 'f':
		err = p.literal("false")
	case c == 'n':
		err = p.literal("null")
	default:
		return p.fail("expected a value")
	}
	p.end = p.pos
	return err
}

func (p *parser) literal(word string) error {
	if len(p.data)-p.pos < len(word) || string(p.data[p.pos:p.pos+len(word)]) != word {
		return p.fail("expected " + word)
	}
	p.pos += len(word)
	return nil
}

func (p *parser) enter() error {
	p.depth++
	if p.depth > MaxDepth {
		return p.fail("nested too deeply")
	}
	p.pos++
	p.skipSpace()
	return nil
}

func (p *parser) array() error {
	if err := p.enter(); err != nil {
		return err
	}
	if p.pos < len(p.data) && p.data[p.pos] == ']' {
		p.pos++
		p.depth--
		return nil
	}
	for {
		if err := p.value(); err != nil {
			return err
		}
		p.skipSpace()
		if p.pos >= len(p.data) {
			return p.fail("end of input in an array")
		}
		switch p.data[p.pos] {
		case ',':
			p.pos++
			p.skipSpace()
			if p.pos < len(p.data) && p.data[p.pos] == ']' {
				return p.fail("trailing comma")
			}
		case ']':
			p.pos++
			p.depth--
			return nil
		default:
			return p.fail("expected , or ]")
		}
	}
}

func (p *parser) object() error {
	collect := p.collect && p.depth == 0
	if err := p.enter(); err != nil {
		return err
	}
	if p.pos < len(p.data) && p.data[p.pos] == '}' {
		p.pos++
		p.depth--
		return nil
	}
	for {
		if p.pos >= len(p.data) || p.data[p.pos] != '"' {
			return p.fail("expected a string key")
		}
		var m span
		m.keyStart = p.pos
		if err := p.str(); err != nil {
			return err
		}
		m.keyEnd = p.pos
		m.keyEscaped = p.escaped
		p.skipSpace()
		if p.pos >= len(p.data) || p.data[p.pos] != ':' {
			return p.fail("expected :")
		}
		p.pos++
		p.skipSpace()
		m.valueStart = p.pos
		if err := p.value(); err != nil {
			return err
		}
		m.valueEnd = p.pos
		if collect {
			p.members = append(p.members, m)
		}
		p.skipSpace()
		if p.pos >= len(p.data) {
			return p.fail("end of input in an object")
		}
		switch p.data[p.pos] {
		case ',':
			p.pos++
			p.skipSpace()
			if p.pos < len(p.data) && p.data[p.pos] == '}' {
				return p.fail("trailing comma")
			}
		case '}':
			p.pos++
			p.depth--
			return nil
		default:
			return p.fail("expected , or }")
		}
	}
}

// plain marks the bytes a string holds as themselves: not `"`, `\`, a control character or
// part of a multi-byte UTF-8 sequence.
var plain = func() (t [256]bool) {
	for c := 0x20; c < 0x80; c++ {
		t[c] = c != '"' && c != '\\'
	}
	return t
}()

// plainEnd is the index of the first byte at or after d[i] that is not plain.
//
// Long plain runs (a base64 body, a token) are the common case, and a byte loop costs several
// nanoseconds a byte in WebAssembly: eight bytes are tested at once while none of them is
// special. A borrow in the subtractions can only start at a special byte, so the word test
// has no false negatives, and its false positives only send a word with a special byte to the
// byte loop.
func plainEnd(d []byte, i int) int {
	const ones, highs = 0x0101010101010101, 0x8080808080808080
	for i+8 <= len(d) {
		x := binary.LittleEndian.Uint64(d[i:])
		quote, backslash := x^(ones*'"'), x^(ones*'\\')
		if ((x-ones*0x20)|(quote-ones)|(backslash-ones)|x)&highs != 0 {
			break
		}
		i += 8
	}
	for i < len(d) && plain[d[i]] {
		i++
	}
	return i
}

func (p *parser) str() error {
	d := p.data
	i := p.pos + 1
	p.escaped = false
	for {
		i = plainEnd(d, i)
		if i >= len(d) {
			p.pos = i
			return p.fail("end of input in a string")
		}
		switch c := d[i]; {
		case c == '"':
			p.pos = i + 1
			return nil
		case c == '\\':
			n, ok := escapeLen(d, i)
			if !ok {
				p.pos = i
				return p.fail("invalid escape")
			}
			p.escaped = true
			i += n
		case c < 0x20:
			p.pos = i
			return p.fail("control character in a string")
		default:
			r, size := utf8.DecodeRune(d[i:])
			if r == utf8.RuneError && size <= 1 {
				p.pos = i
				return p.fail("invalid UTF-8")
			}
			i += size
		}
	}
}

// escapeLen is the length of the valid escape at d[i] (a backslash), surrogate pairs taken
// whole, or false.
func escapeLen(d []byte, i int) (int, bool) {
	if i+1 >= len(d) {
		return 0, false
	}
	switch d[i+1] {
	case '"', '\\', '/', 'b', 'f', 'n', 'r', 't':
		return 2, true
	case 'u':
	default:
		return 0, false
	}
	n, ok := hex4(d, i+2)
	switch {
	case !ok, isLowSurrogate(n):
		return 0, false
	case !isHighSurrogate(n):
		return 6, true
	}
	// A high surrogate must be followed by an escaped low one.
	if i+7 >= len(d) || d[i+6] != '\\' || d[i+7] != 'u' {
		return 0, false
	}
	if low, ok := hex4(d, i+8); !ok || !isLowSurrogate(low) {
		return 0, false
	}
	return 12, true
}

func hex4(d []byte, i int) (rune, bool) {
	if i+4 > len(d) {
		return 0, false
	}
	var n rune
	for _, c := range d[i : i+4] {
		switch {
		case c >= '0' && c <= '9':
			n = n<<4 | rune(c-'0')
		case c >= 'a' && c <= 'f':
			n = n<<4 | rune(c-'a'+10)
		case c >= 'A' && c <= 'F':
			n = n<<4 | rune(c-'A'+10)
		default:
			return 0, false
		}
	}
	return n, true
}

func isHighSurrogate(n rune) bool { return n >= 0xD800 && n <= 0xDBFF }
func isLowSurrogate(n rune) bool  { return n >= 0xDC00 && n <= 0xDFFF }
