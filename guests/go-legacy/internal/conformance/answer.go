package conformance

import (
	"bytes"
	"encoding/json"
	"fmt"

	"mockforge.dev/guest/strictjson"
)

// Outcome is an answer as the translator reads it.
type Outcome struct {
	Allow *Allow
	Deny  *Deny
	// Error is a plugin error's kind.
	Error string
}

// member is one name and value of a JSON object, in order; a repeated name keeps its first
// place and its last value, as in serde_json's ordered map.
type member struct {
	name  string
	value json.RawMessage
}

// ReadAnswer reads a family G answer as the host's translator does: a plugin error
// ({"plugin_error": {kind, message}} or the classic {"message", "code"}), or an AuthResponse.
// Claims are passed on as serde_json writes them. It reads with encoding/json, which has no
// nesting limit of its own to speak of, and strictjson for each claim.
func ReadAnswer(answer []byte) (Outcome, error) {
	if !json.Valid(answer) {
		return Outcome{}, fmt.Errorf("not JSON: %q", answer)
	}
	top, err := members(answer)
	if err != nil {
		return Outcome{}, err
	}
	if raw, ok := get(top, "plugin_error"); ok {
		var pe struct {
			Kind    string `json:"kind"`
			Message string `json:"message"`
		}
		if err := json.Unmarshal(raw, &pe); err != nil {
			return Outcome{}, fmt.Errorf("plugin_error: %w", err)
		}
		switch pe.Kind {
		case "invalid-config", "invalid-request", "internal":
			return Outcome{Error: pe.Kind}, nil
		}
		return Outcome{}, fmt.Errorf("plugin_error: unknown kind %q", pe.Kind)
	}
	var authenticated bool
	raw, ok := get(top, "authenticated")
	if !ok || json.Unmarshal(raw, &authenticated) != nil {
		return Outcome{}, fmt.Errorf("`authenticated` is missing or not a boolean")
	}
	if !authenticated {
		return readDenial(top)
	}
	return readAllow(top)
}

func readDenial(top []member) (Outcome, error) {
	deny := Deny{Status: 401, Reason: "unauthorized"}
	if raw, ok := get(top, "error_message"); ok && string(raw) != "null" {
		if err := json.Unmarshal(raw, &deny.Reason); err != nil {
			return Outcome{}, fmt.Errorf("error_message: %w", err)
		}
	}
	if raw, ok := get(top, "metadata"); ok {
		metadata, err := members(raw)
		if err != nil {
			return Outcome{}, fmt.Errorf("metadata: %w", err)
		}
		if raw, ok := get(metadata, "status"); ok && string(raw) != "null" {
			if err := json.Unmarshal(raw, &deny.Status); err != nil || deny.Status < 100 || deny.Status > 599 {
				return Outcome{}, fmt.Errorf("metadata.status %s is not an HTTP status", raw)
			}
		}
		if raw, ok := get(metadata, "headers"); ok && string(raw) != "null" {
			headers, err := members(raw)
			if err != nil {
				return Outcome{}, fmt.Errorf("metadata.headers: %w", err)
			}
			for _, h := range headers {
				var value string
				if err := json.Unmarshal(h.value, &value); err != nil {
					return Outcome{}, fmt.Errorf("metadata.headers.%s: %w", h.name, err)
				}
				deny.Headers = append(deny.Headers, [2]string{h.name, value})
			}
		}
	}
	return Outcome{Deny: &deny}, nil
}

func readAllow(top []member) (Outcome, error) {
	var allow Allow
	raw, ok := get(top, "identity")
	if !ok {
		return Outcome{}, fmt.Errorf("`identity` is missing although `authenticated` is true")
	}
	var identity struct {
		UserID      *string  `json:"user_id"`
		Username    string   `json:"username"`
		Email       string   `json:"email"`
		DisplayName string   `json:"display_name"`
		Roles       []string `json:"roles"`
		Groups      []string `json:"groups"`
	}
	if err := json.Unmarshal(raw, &identity); err != nil {
		return Outcome{}, fmt.Errorf("identity: %w", err)
	}
	if identity.UserID == nil {
		return Outcome{}, fmt.Errorf("`identity.user_id` is missing")
	}
	allow = Allow{
		Subject:     *identity.UserID,
		Username:    identity.Username,
		Email:       identity.Email,
		DisplayName: identity.DisplayName,
		Roles:       identity.Roles,
		Groups:      identity.Groups,
	}
	if raw, ok := get(top, "claims"); ok && string(raw) != "null" {
		claims, err := members(raw)
		if err != nil {
			return Outcome{}, fmt.Errorf("claims: %w", err)
		}
		for _, c := range claims {
			value, err := strictjson.Parse(c.value)
			if err != nil {
				return Outcome{}, fmt.Errorf("claim %q: %w", c.name, err)
			}
			allow.Claims = append(allow.Claims, [2]string{c.name, Canonical(value)})
		}
	}
	return Outcome{Allow: &allow}, nil
}

// members reads a JSON object's members in order.
func members(object []byte) ([]member, error) {
	dec := json.NewDecoder(bytes.NewReader(object))
	if tok, err := dec.Token(); err != nil || tok != json.Delim('{') {
		return nil, fmt.Errorf("not an object: %.40s", object)
	}
	var out []member
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return nil, err
		}
		name := tok.(string)
		var value json.RawMessage
		if err := dec.Decode(&value); err != nil {
			return nil, err
		}
		replaced := false
		for i := range out {
			if out[i].name == name {
				out[i].value, replaced = value, true
			}
		}
		if !replaced {
			out = append(out, member{name: name, value: value})
		}
	}
	return out, nil
}

func get(ms []member, name string) (json.RawMessage, bool) {
	for _, m := range ms {
		if m.name == name {
			return m.value, true
		}
	}
	return nil, false
}

// Depth is the deepest nesting of arrays and objects in a valid JSON text.
func Depth(text []byte) int {
	depth, deepest, inString := 0, 0, false
	for i := 0; i < len(text); i++ {
		switch c := text[i]; {
		case inString && c == '\\':
			i++
		case c == '"':
			inString = !inString
		case inString:
		case c == '[' || c == '{':
			depth++
			deepest = max(deepest, depth)
		case c == ']' || c == '}':
			depth--
		}
	}
	return deepest
}
