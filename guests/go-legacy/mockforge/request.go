package mockforge

import (
	"bytes"
	"encoding/base64"
	"strings"

	"mockforge.dev/guest/strictjson"
)

// Request is the HTTP request to judge, as the host describes it.
type Request struct {
	// Method is the HTTP method, such as "GET".
	Method string
	// URI is the path and, after a `?`, the query.
	URI string
	// Headers are the request's headers.
	Headers Headers
	// Config is the plugin's configuration.
	Config Config

	// body is the base64 text of the body, decoded only if the plugin asks.
	body strictjson.Value
}

// Headers are a request's headers: each name once, in lower case, with its first value (the
// host passes only the first value of a repeated header). Reading a header allocates only its
// value.
type Headers struct {
	values strictjson.Object
}

// Get is the value of header name, compared case-insensitively.
func (h Headers) Get(name string) (string, bool) {
	return h.values.Text(strings.ToLower(name))
}

// Each calls f with each header's name and value until f returns false.
func (h Headers) Each(f func(name, value string) bool) {
	for _, m := range h.values.Members() {
		value, _ := m.Value.Text()
		if !f(m.Name, value) {
			return
		}
	}
}

// Body is the request body. It is decoded on each call: most auth plugins never need it, and
// the host may send megabytes.
func (r *Request) Body() ([]byte, error) {
	if r.body.Kind() != strictjson.KindString {
		return nil, nil
	}
	encoded := r.body.Raw()
	encoded = encoded[1 : len(encoded)-1]
	if bytes.IndexByte(encoded, '\\') >= 0 {
		text, _ := r.body.Text()
		encoded = []byte(text)
	}
	body := make([]byte, base64.StdEncoding.DecodedLen(len(encoded)))
	n, err := base64.StdEncoding.Decode(body, encoded)
	if err != nil {
		return nil, InvalidRequest("the request body is not valid base64: %v", err)
	}
	return body[:n], nil
}
