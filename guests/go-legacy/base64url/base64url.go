// Package base64url decodes the base64url segments of a compact JWS exactly as the Rust
// reference plugin does, for both Go SDKs' auth-jwt plugins (the component SDK's module
// replaces this one's path, as it does for strictjson).
package base64url

const invalidSymbol = 0xFF

var values = func() (t [256]byte) {
	const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
	for i := range t {
		t[i] = invalidSymbol
	}
	for i := range len(alphabet) {
		t[alphabet[i]] = byte(i)
	}
	return t
}()

// Decode decodes s as the Rust plugin's decoder does (the base64 crate's URL-safe engine with
// indifferent padding): JWTs are unpadded (RFC 7515), but some issuers pad, so padding is
// allowed, not required. Refused: symbols outside the alphabet, padding anywhere but after the
// second symbol of the last quad, a lone final symbol, and set bits past the last whole byte.
func Decode(s string) ([]byte, bool) {
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
		a, b, c, d := values[s[i]], values[s[i+1]], values[s[i+2]], values[s[i+3]]
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
		v := values[c]
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
