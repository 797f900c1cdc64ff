package main

import "encoding/hex"

// formatUUIDv4 formats 16 random bytes as a version 4 UUID (RFC 9562), setting the version and
// variant bits.
func formatUUIDv4(bytes [16]byte) string {
	bytes[6] = bytes[6]&0x0f | 0x40
	bytes[8] = bytes[8]&0x3f | 0x80
	out := make([]byte, 0, 36)
	for i, b := range bytes {
		if i == 4 || i == 6 || i == 8 || i == 10 {
			out = append(out, '-')
		}
		out = hex.AppendEncode(out, []byte{b})
	}
	return string(out)
}
