package main

import (
	"crypto/hmac"
	"hash"
	"strings"

	"mockforge.dev/guest/strictjson"
)

// verify checks that token is a compact JWS signed with HS256 under mac's key and returns its
// claims.
//
// The payload is parsed only after the signature checks out, so nothing an attacker wrote is
// looked at before it is known to come from the key holder.
func verify(token string, mac hash.Hash) (strictjson.Object, rejection) {
	dot := strings.LastIndexByte(token, '.')
	if dot < 0 {
		return strictjson.Object{}, malformed
	}
	signingInput, signature := token[:dot], token[dot+1:]
	header, payload, ok := strings.Cut(signingInput, ".")
	if !ok || strings.IndexByte(payload, '.') >= 0 {
		return strictjson.Object{}, malformed
	}

	head, r := decodeObject(header)
	if r != accepted {
		return strictjson.Object{}, r
	}
	// Only HS256 is accepted: in particular `none` and the RS/ES family, whose "public key" an
	// attacker could pass off as the HMAC secret.
	if alg, _ := head.Text("alg"); alg != "HS256" {
		return strictjson.Object{}, unsupportedAlgorithm
	}

	sig, ok := decodeBase64URL(signature)
	if !ok {
		return strictjson.Object{}, malformed
	}
	mac.Reset()
	mac.Write([]byte(signingInput))
	var sum [32]byte
	if !hmac.Equal(mac.Sum(sum[:0]), sig) {
		return strictjson.Object{}, invalidSignature
	}

	return decodeObject(payload)
}

// decodeObject decodes one base64url segment holding a JSON object.
func decodeObject(segment string) (strictjson.Object, rejection) {
	text, ok := decodeBase64URL(segment)
	if !ok {
		return strictjson.Object{}, malformed
	}
	obj, err := strictjson.ParseObject(text)
	if err != nil {
		return strictjson.Object{}, malformed
	}
	return obj, accepted
}

// invalidSymbol marks bytes outside the base64url alphabet in base64URLValues.
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
