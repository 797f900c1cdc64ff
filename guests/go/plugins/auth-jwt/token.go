package main

import (
	"strings"
	"unsafe"

	"mockforge.dev/guest/base64url"
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
	text, ok := base64url.Decode(header)
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
	sig, ok := base64url.Decode(t.signature)
	if !ok {
		return nil, malformed
	}
	return sig, accepted
}

// claims are the payload, a JSON object, with its text.
func (t jws) claims() (strictjson.Object, string, rejection) {
	text, ok := base64url.Decode(t.payload)
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
