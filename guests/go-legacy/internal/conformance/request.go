package conformance

import (
	"bytes"
	"encoding/base64"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"

	"mockforge.dev/guest/strictjson"
)

// body is the request's body bytes.
func (r Request) body() ([]byte, error) {
	switch {
	case r.BodyText != nil:
		return []byte(*r.BodyText), nil
	case r.BodyBase64 != nil:
		return base64.StdEncoding.DecodeString(*r.BodyBase64)
	case r.BodyRepeat != nil:
		return bytes.Repeat([]byte{r.BodyRepeat.Byte}, r.BodyRepeat.Count), nil
	}
	return nil, nil
}

// headers are the request's headers as the translator passes them: names in lower case, the
// first value of a repeated header, in order of first appearance.
func (r Request) headers() [][2]string {
	var out [][2]string
	seen := map[string]bool{}
	for _, h := range r.Headers {
		name := strings.ToLower(h[0])
		if !seen[name] {
			seen[name] = true
			out = append(out, [2]string{name, h[1]})
		}
	}
	return out
}

// ContextJSON is the family G context:
// {"method","uri","headers": {name: value},"body": "<base64>","config": {key: value}}.
func ContextJSON(r Request, config map[string]string) ([]byte, error) {
	body, err := r.body()
	if err != nil {
		return nil, err
	}
	uri := r.Path
	if r.Query != "" {
		uri += "?" + r.Query
	}
	out := []byte(`{"method":`)
	out = strictjson.AppendString(out, r.Method)
	out = append(out, `,"uri":`...)
	out = strictjson.AppendString(out, uri)
	out = append(out, `,"headers":{`...)
	for i, h := range r.headers() {
		if i > 0 {
			out = append(out, ',')
		}
		out = strictjson.AppendString(out, h[0])
		out = append(out, ':')
		out = strictjson.AppendString(out, h[1])
	}
	out = append(out, `},"body":`...)
	out = strictjson.AppendString(out, base64.StdEncoding.EncodeToString(body))
	out = append(out, `,"config":{`...)
	keys := make([]string, 0, len(config))
	for key := range config {
		keys = append(keys, key)
	}
	sort.Strings(keys) // the host holds config in a sorted map
	for i, key := range keys {
		if i > 0 {
			out = append(out, ',')
		}
		out = strictjson.AppendString(out, key)
		out = append(out, ':')
		out = strictjson.AppendString(out, config[key])
	}
	return append(out, "}}"...), nil
}

// CredentialsJSON is the family G credentials the translator derives from the headers.
func CredentialsJSON(r Request) []byte {
	var authorization, apiKey string
	var hasAuthorization, hasAPIKey bool
	for _, h := range r.headers() {
		switch h[0] {
		case "authorization":
			authorization, hasAuthorization = h[1], true
		case "x-api-key":
			apiKey, hasAPIKey = h[1], true
		}
	}
	out := []byte(`{"type":`)
	switch {
	case hasAuthorization:
		authorization = strings.TrimSpace(authorization)
		scheme, rest, ok := strings.Cut(authorization, " ")
		if !ok {
			out = append(out, `"custom","token":`...)
			out = strictjson.AppendString(out, authorization)
			break
		}
		rest = strings.TrimLeftFunc(rest, unicode.IsSpace)
		scheme = strings.ToLower(scheme)
		out = strictjson.AppendString(out, scheme)
		out = append(out, `,"token":`...)
		out = strictjson.AppendString(out, rest)
		if scheme != "basic" {
			break
		}
		decoded, err := base64.StdEncoding.Strict().DecodeString(rest)
		if err != nil || !utf8.Valid(decoded) {
			break
		}
		if user, password, ok := strings.Cut(string(decoded), ":"); ok {
			out = append(out, `,"data":{"username":`...)
			out = strictjson.AppendString(out, user)
			out = append(out, `,"password":`...)
			out = strictjson.AppendString(out, password)
			out = append(out, '}')
		}
	case hasAPIKey:
		out = append(out, `"api_key","token":`...)
		out = strictjson.AppendString(out, apiKey)
	default:
		out = append(out, `"none"`...)
	}
	return append(out, '}')
}

// Config is the manifest's config with the vector's changes: a string sets a key, null
// removes it.
func (c Case) ConfigFrom(manifest map[string]string) map[string]string {
	config := make(map[string]string, len(manifest))
	for key, value := range manifest {
		config[key] = value
	}
	for key, value := range c.Config {
		if value == nil {
			delete(config, key)
		} else {
			config[key] = *value
		}
	}
	return config
}
