package main

import (
	"strings"
	"unsafe"

	"mockforge.dev/guest/strictjson"
)

// jws is a compact JWS split into its parts, with only its header read. The payload is
// decoded only by claims, once the signature is known to hold, so nothing an attacker wrote
// beyond the header is looked at before it is known to come from the key holder.
type jws struct {
	header strictjson.Object
	// signingInput is `header.payload`, the text the signature covers.
	signingInput string
	payload      string
	signature    string
}

// parseJWS splits token into its three segments and decodes its header, a JSON object.
func parseJWS(token string) (jws, rejection) {
	dot := strings.LastIndexByte(token, '.')
	if dot < 0 {
		return jws{}, malformed
	}
	signingInput, signature := token[:dot], token[dot+1:]
	header, payload, ok := strings.Cut(signingInput, ".")
	if !ok || strings.IndexByte(payload, '.') >= 0 {
		return jws{}, malformed
	}
	text, ok := decodeBase64URL(header)
	if !ok {
		return jws{}, malformed
	}
	head, err := strictjson.ParseObject(text)
	if err != nil {
		return jws{}, malformed
	}
	return jws{header: head, signingInput: signingInput, payload: payload, signature: signature}, accepted
}

// alg is the header's alg, when it is a string (the last one, when the header repeats it).
func (t jws) alg() (string, bool) { return memberText(t.header, "alg") }

// kid is the header's kid, when it is a string.
func (t jws) kid() (string, bool) { return memberText(t.header, "kid") }

// signatureBytes are the signature's bytes.
func (t jws) signatureBytes() ([]byte, rejection) {
	sig, ok := decodeBase64URL(t.signature)
	if !ok {
		return nil, malformed
	}
	return sig, accepted
}

// claims are the payload, a JSON object, with its text.
func (t jws) claims() (strictjson.Object, string, rejection) {
	text, ok := decodeBase64URL(t.payload)
	if !ok {
		return strictjson.Object{}, "", malformed
	}
	obj, err := strictjson.ParseObject(text)
	if err != nil {
		return strictjson.Object{}, "", malformed
	}
	// The decoded bytes are this function's own and are never written again: the text is
	// a view of them rather than a copy.
	return obj, unsafe.String(unsafe.SliceData(text), len(text)), accepted
}

const invalidSymbol = 0xFF

var base64URLValues = func() (t [256]byte) {
	const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
	for i := range t {
		t[i] = invalidSymbol
	}
	for i := range len(alphabet) {
		t[alphabet[i]] = byte(i)
	}
	return t
}()

// decodeBase64URL decodes s as the Rust plugin's decoder does (the base64 crate's URL-safe
// engine with indifferent padding): JWTs are unpadded (RFC 7515), but some issuers pad, so
// padding is allowed, not required. Refused: symbols outside the alphabet, padding anywhere but
// after the second symbol of the last quad, a lone final symbol, and set bits past the last
// whole byte.
func decodeBase64URL(s string) ([]byte, bool) {
	if s == "" {
		return []byte{}, true
	}
	n := len(s)
	// The last quad, complete or not, may hold padding; every quad before it is four symbols.
	last := n - n%4
	if n%4 == 0 {
		last = n - 4
	}
	out := make([]byte, 0, (n+3)/4*3)
	for i := 0; i < last; i += 4 {
		a, b, c, d := base64URLValues[s[i]], base64URLValues[s[i+1]], base64URLValues[s[i+2]], base64URLValues[s[i+3]]
		// Symbols are below 64; invalidSymbol has the top bits set.
		if (a|b|c|d)&^0x3F != 0 {
			return nil, false
		}
		bits := uint32(a)<<18 | uint32(b)<<12 | uint32(c)<<6 | uint32(d)
		out = append(out, byte(bits>>16), byte(bits>>8), byte(bits))
	}

	var symbols [4]byte
	count, padding := 0, 0
	for i := last; i < n; i++ {
		c := s[i]
		if c == '=' {
			if i-last < 2 {
				return nil, false
			}
			padding++
			continue
		}
		if padding > 0 {
			return nil, false
		}
		v := base64URLValues[c]
		if v == invalidSymbol {
			return nil, false
		}
		symbols[count] = v
		count++
	}
	if count < 2 {
		return nil, false
	}
	bits := uint32(symbols[0])<<26 | uint32(symbols[1])<<20 | uint32(symbols[2])<<14 | uint32(symbols[3])<<8
	whole := count * 6 / 8
	if bits&(^uint32(0)>>(whole*8)) != 0 {
		return nil, false
	}
	for range whole {
		out = append(out, byte(bits>>24))
		bits <<= 8
	}
	return out, true
}
