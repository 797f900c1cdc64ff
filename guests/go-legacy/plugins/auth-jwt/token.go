package main

import (
	"crypto/hmac"
	"hash"
	"strings"

	"mockforge.dev/guest/base64url"
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

	sig, ok := base64url.Decode(signature)
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
	text, ok := base64url.Decode(segment)
	if !ok {
		return strictjson.Object{}, malformed
	}
	obj, err := strictjson.ParseObject(text)
	if err != nil {
		return strictjson.Object{}, malformed
	}
	return obj, accepted
}
