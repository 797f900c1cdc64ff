package mockforge

import "mockforge.dev/guest/strictjson"

// decodeRequest reads the context JSON the host sends:
// {"method", "uri", "headers": {name: value}, "body": "<base64>", "config": {key: value}}.
// Absent members are empty; members of the wrong type make the request invalid.
func decodeRequest(context []byte) (*Request, error) {
	obj, err := strictjson.ParseObject(context)
	if err != nil {
		return nil, InvalidRequest("the request context: %v", err)
	}
	req := &Request{}
	if req.Method, err = textMember(obj, "method"); err != nil {
		return nil, err
	}
	if req.URI, err = textMember(obj, "uri"); err != nil {
		return nil, err
	}
	if req.Headers.values, err = textObject(obj, "headers"); err != nil {
		return nil, err
	}
	if req.Config.values, err = textObject(obj, "config"); err != nil {
		return nil, err
	}
	if body, ok := obj.Get("body"); ok {
		switch body.Kind() {
		case strictjson.KindString, strictjson.KindNull:
			req.body = body
		default:
			return nil, InvalidRequest("the request context's `body` is not a string")
		}
	}
	return req, nil
}

// decodeCredentials reads the credentials JSON the host sends: {"type", "token"?, "data"?}.
// No credentials at all is type "none".
func decodeCredentials(credentials []byte) (Credentials, error) {
	if len(credentials) == 0 {
		return Credentials{Type: "none"}, nil
	}
	obj, err := strictjson.ParseObject(credentials)
	if err != nil {
		return Credentials{}, InvalidRequest("the credentials: %v", err)
	}
	var creds Credentials
	if creds.Type, err = textMember(obj, "type"); err != nil {
		return Credentials{}, err
	}
	if creds.Token, err = textMember(obj, "token"); err != nil {
		return Credentials{}, err
	}
	data, err := textObject(obj, "data")
	if err != nil {
		return Credentials{}, err
	}
	for _, member := range data.Members() {
		if creds.Data == nil {
			creds.Data = map[string]string{}
		}
		creds.Data[member.Name], _ = member.Value.Text()
	}
	if creds.Type == "" {
		creds.Type = "none"
	}
	return creds, nil
}

// textMember is the string member name of obj; absent or null is "".
func textMember(obj strictjson.Object, name string) (string, error) {
	value, ok := obj.Get(name)
	if !ok || value.Kind() == strictjson.KindNull {
		return "", nil
	}
	text, ok := value.Text()
	if !ok {
		return "", InvalidRequest("`%s` is not a string", name)
	}
	return text, nil
}

// textObject is the member name of obj, an object of strings; absent or null is empty.
func textObject(obj strictjson.Object, name string) (strictjson.Object, error) {
	value, ok := obj.Get(name)
	if !ok || value.Kind() == strictjson.KindNull {
		return strictjson.Object{}, nil
	}
	inner, ok := value.Object()
	if !ok {
		return strictjson.Object{}, InvalidRequest("`%s` is not an object", name)
	}
	var bad []byte
	inner.Each(func(rawName []byte, value strictjson.Value) bool {
		if value.Kind() != strictjson.KindString {
			bad = rawName
		}
		return bad == nil
	})
	if bad != nil {
		return strictjson.Object{}, InvalidRequest("`%s.%s` is not a string", name, bad)
	}
	return inner, nil
}
