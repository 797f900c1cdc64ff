package mockforge

import (
	"strconv"

	"mockforge.dev/guest/strictjson"
)

// The answer is one JSON object, in the shapes the host's legacy translator reads:
//
//	allow: {"authenticated":true,"identity":{"user_id":..,"username"?,"email"?,"display_name"?,
//	        "roles"?,"groups"?},"claims":{name: value, ..}}
//	deny:  {"authenticated":false,"error_message":..,"metadata":{"status":..,"headers"?:{..}}}
//	error: {"plugin_error":{"kind":..,"message":..}}

// appendOutcome appends the answer for o, or for the error that o cannot be sent as.
func appendOutcome(dst []byte, o Outcome) []byte {
	if !o.allowed {
		return appendDenial(dst, o.denial)
	}
	if o.identity.UserID == "" {
		return appendError(dst, &PluginError{Kind: KindInternal, Message: "allowed an identity without a UserID"})
	}
	base := len(dst)
	dst = append(dst, `{"authenticated":true,"identity":{"user_id":`...)
	dst = strictjson.AppendString(dst, o.identity.UserID)
	dst = appendOptionalText(dst, "username", o.identity.Username)
	dst = appendOptionalText(dst, "email", o.identity.Email)
	dst = appendOptionalText(dst, "display_name", o.identity.DisplayName)
	dst = appendOptionalList(dst, "roles", o.identity.Roles)
	dst = appendOptionalList(dst, "groups", o.identity.Groups)
	dst = append(dst, `},"claims":{`...)
	for i, c := range o.claims {
		value := c.value
		if value.Raw() == nil {
			var err error
			if value, err = strictjson.Parse([]byte(c.JSON)); err != nil {
				return appendError(dst[:base], &PluginError{
					Kind:    KindInternal,
					Message: "claim " + strconv.Quote(c.Name) + " is not JSON: " + err.Error(),
				})
			}
		}
		if i > 0 {
			dst = append(dst, ',')
		}
		dst = strictjson.AppendString(dst, c.Name)
		dst = append(dst, ':')
		dst = value.AppendCompact(dst)
	}
	return append(dst, "}}"...)
}

func appendDenial(dst []byte, d denial) []byte {
	status := d.status
	if status == 0 {
		status = 401
	}
	if status < 100 || status > 599 {
		return appendError(dst, &PluginError{
			Kind:    KindInternal,
			Message: "denied with " + strconv.Itoa(status) + ", which is not an HTTP status",
		})
	}
	reason := d.reason
	if reason == "" {
		reason = "unauthorized"
	}
	dst = append(dst, `{"authenticated":false,"error_message":`...)
	dst = strictjson.AppendString(dst, reason)
	dst = append(dst, `,"metadata":{"status":`...)
	dst = strconv.AppendInt(dst, int64(status), 10)
	if len(d.headers) > 0 {
		dst = append(dst, `,"headers":{`...)
		for i, h := range d.headers {
			if i > 0 {
				dst = append(dst, ',')
			}
			dst = strictjson.AppendString(dst, h.Name)
			dst = append(dst, ':')
			dst = strictjson.AppendString(dst, h.Value)
		}
		dst = append(dst, '}')
	}
	return append(dst, "}}"...)
}

func appendError(dst []byte, err error) []byte {
	pe := asPluginError(err)
	dst = append(dst, `{"plugin_error":{"kind":`...)
	dst = strictjson.AppendString(dst, string(pe.Kind))
	dst = append(dst, `,"message":`...)
	dst = strictjson.AppendString(dst, pe.Message)
	return append(dst, "}}"...)
}

func appendOptionalText(dst []byte, name, value string) []byte {
	if value == "" {
		return dst
	}
	dst = append(dst, ',', '"')
	dst = append(dst, name...)
	dst = append(dst, '"', ':')
	return strictjson.AppendString(dst, value)
}

func appendOptionalList(dst []byte, name string, values []string) []byte {
	if len(values) == 0 {
		return dst
	}
	dst = append(dst, ',', '"')
	dst = append(dst, name...)
	dst = append(dst, '"', ':', '[')
	for i, v := range values {
		if i > 0 {
			dst = append(dst, ',')
		}
		dst = strictjson.AppendString(dst, v)
	}
	return append(dst, ']')
}
