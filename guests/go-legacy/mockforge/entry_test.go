package mockforge

import (
	"errors"
	"reflect"
	"strings"
	"testing"
)

// pluginFunc adapts a function to AuthPlugin.
type pluginFunc func(*Request, Credentials) (Outcome, error)

func (f pluginFunc) Authenticate(req *Request, creds Credentials) (Outcome, error) {
	return f(req, creds)
}

// with registers f for the duration of the test.
func with(t *testing.T, f pluginFunc) {
	t.Helper()
	previous := registered
	registered = f
	t.Cleanup(func() { registered = previous })
}

const context = `{"method":"GET","uri":"/a?b=1","headers":{"authorization":"Bearer t","x-n":"v"},` +
	`"body":"aGk=","config":{"secret":"s","leeway":" +5 "}}`

func answerFor(t *testing.T, f pluginFunc) string {
	t.Helper()
	with(t, f)
	return string(AuthenticateJSON([]byte(context), []byte(`{"type":"bearer","token":"t"}`)))
}

func TestAllowAnswer(t *testing.T) {
	got := answerFor(t, func(*Request, Credentials) (Outcome, error) {
		return Allow(Identity{UserID: "u\"1", Email: "e@x", Roles: []string{"a", "b"}},
			Claim{Name: "sub", JSON: `"u\"1"`}, Claim{Name: "n", JSON: ` { "k" : [ 1.50 , 2 ] } `}), nil
	})
	want := `{"authenticated":true,"identity":{"user_id":"u\"1","email":"e@x","roles":["a","b"]},` +
		`"claims":{"sub":"u\"1","n":{"k":[1.50,2]}}}`
	if got != want {
		t.Errorf("got  %s\nwant %s", got, want)
	}
}

func TestDenyAnswer(t *testing.T) {
	got := answerFor(t, func(*Request, Credentials) (Outcome, error) {
		return Deny(403, "no", Header{Name: "WWW-Authenticate", Value: `Bearer realm="x"`}), nil
	})
	want := `{"authenticated":false,"error_message":"no","metadata":{"status":403,` +
		`"headers":{"WWW-Authenticate":"Bearer realm=\"x\""}}}`
	if got != want {
		t.Errorf("got  %s\nwant %s", got, want)
	}
	got = answerFor(t, func(*Request, Credentials) (Outcome, error) { return Outcome{}, nil })
	want = `{"authenticated":false,"error_message":"unauthorized","metadata":{"status":401}}`
	if got != want {
		t.Errorf("the zero outcome: got %s, want %s", got, want)
	}
}

func TestErrorAnswers(t *testing.T) {
	for _, tc := range []struct {
		name string
		f    pluginFunc
		want string
	}{
		{"invalid-config", func(*Request, Credentials) (Outcome, error) {
			return Outcome{}, InvalidConfig("missing config key `%s`", "k")
		}, `{"plugin_error":{"kind":"invalid-config","message":"missing config key ` + "`k`" + `"}}`},
		{"invalid-request", func(*Request, Credentials) (Outcome, error) {
			return Outcome{}, InvalidRequest("bad")
		}, `{"plugin_error":{"kind":"invalid-request","message":"bad"}}`},
		{"wrapped", func(*Request, Credentials) (Outcome, error) {
			return Outcome{}, errors.Join(errors.New("context"), Internal("deep"))
		}, `{"plugin_error":{"kind":"internal","message":"deep"}}`},
		{"plain error", func(*Request, Credentials) (Outcome, error) {
			return Outcome{}, errors.New("boom")
		}, `{"plugin_error":{"kind":"internal","message":"boom"}}`},
		{"unknown kind", func(*Request, Credentials) (Outcome, error) {
			return Outcome{}, &PluginError{Kind: "odd", Message: "m"}
		}, `{"plugin_error":{"kind":"internal","message":"m (unknown kind \"odd\")"}}`},
		{"panic", func(*Request, Credentials) (Outcome, error) {
			var m map[string]int
			m["x"] = 1
			return Outcome{}, nil
		}, `{"plugin_error":{"kind":"internal","message":"the plugin panicked: assignment to entry in nil map"}}`},
		{"claim not JSON", func(*Request, Credentials) (Outcome, error) {
			return Allow(Identity{UserID: "u"}, Claim{Name: "c", JSON: "{"}), nil
		}, `{"plugin_error":{"kind":"internal","message":"claim \"c\" is not JSON: `},
		{"no user id", func(*Request, Credentials) (Outcome, error) {
			return Allow(Identity{}), nil
		}, `{"plugin_error":{"kind":"internal","message":"allowed an identity without a UserID"}}`},
		{"bad status", func(*Request, Credentials) (Outcome, error) {
			return Deny(42, "x"), nil
		}, `{"plugin_error":{"kind":"internal","message":"denied with 42, which is not an HTTP status"}}`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := answerFor(t, tc.f); !strings.HasPrefix(got, tc.want) {
				t.Errorf("got  %s\nwant %s", got, tc.want)
			}
		})
	}
}

func TestAPanicAfterWritingStartsTheAnswerAfresh(t *testing.T) {
	with(t, func(*Request, Credentials) (Outcome, error) { panic("late") })
	got := string(appendAnswer([]byte("kept:"), []byte(context), nil))
	if want := `kept:{"plugin_error":{"kind":"internal","message":"the plugin panicked: late"}}`; got != want {
		t.Errorf("got %s, want %s", got, want)
	}
}

func TestNothingRegistered(t *testing.T) {
	previous := registered
	registered = nil
	t.Cleanup(func() { registered = previous })
	got := string(AuthenticateJSON([]byte(context), nil))
	if !strings.Contains(got, `"kind":"internal"`) || !strings.Contains(got, "RegisterAuth") {
		t.Errorf("got %s", got)
	}
}

func TestRequestAndCredentialsReachThePlugin(t *testing.T) {
	var seen *Request
	var seenCreds Credentials
	answerFor(t, func(req *Request, creds Credentials) (Outcome, error) {
		seen, seenCreds = req, creds
		return Deny(401, ""), nil
	})
	if seen.Method != "GET" || seen.URI != "/a?b=1" {
		t.Errorf("method %q, uri %q", seen.Method, seen.URI)
	}
	if v, ok := seen.Headers.Get("Authorization"); !ok || v != "Bearer t" {
		t.Errorf("header: %q %v", v, ok)
	}
	if _, ok := seen.Headers.Get("x-missing"); ok {
		t.Error("a missing header was found")
	}
	if body, err := seen.Body(); err != nil || string(body) != "hi" {
		t.Errorf("body %q, %v", body, err)
	}
	if n, ok, err := seen.Config.Uint("leeway"); n != 5 || !ok || err != nil {
		t.Errorf("leeway %d %v %v", n, ok, err)
	}
	if !reflect.DeepEqual(seenCreds, Credentials{Type: "bearer", Token: "t"}) {
		t.Errorf("credentials %+v", seenCreds)
	}
}

func TestBasicCredentialsCarryTheirDataAsAMap(t *testing.T) {
	var seen Credentials
	with(t, func(_ *Request, creds Credentials) (Outcome, error) {
		seen = creds
		return Deny(401, ""), nil
	})
	AuthenticateJSON([]byte(`{}`), []byte(`{"type":"basic","token":"YTpi","data":{"username":"a","password":"b"}}`))
	want := Credentials{Type: "basic", Token: "YTpi", Data: map[string]string{"username": "a", "password": "b"}}
	if !reflect.DeepEqual(seen, want) {
		t.Errorf("credentials %+v, want %+v", seen, want)
	}
	answer := string(AuthenticateJSON([]byte(`{}`), []byte(`{"type":"basic","data":"YTpi"}`)))
	if !strings.Contains(answer, "`data` is not an object") {
		t.Errorf("data as text: %s", answer)
	}
}

func TestMalformedInputIsAnInvalidRequest(t *testing.T) {
	with(t, func(*Request, Credentials) (Outcome, error) { return Deny(401, ""), nil })
	for _, tc := range []struct{ context, credentials string }{
		{`not json`, `{}`},
		{`[]`, `{}`},
		{`{"method":1}`, `{}`},
		{`{"headers":{"a":1}}`, `{}`},
		{`{"headers":[]}`, `{}`},
		{`{"config":{"k":true}}`, `{}`},
		{`{"body":5}`, `{}`},
		{`{}`, `{"type":`},
		{`{}`, `{"type":"bearer","token":7}`},
	} {
		got := string(AuthenticateJSON([]byte(tc.context), []byte(tc.credentials)))
		if !strings.HasPrefix(got, `{"plugin_error":{"kind":"invalid-request"`) {
			t.Errorf("%s / %s: got %s", tc.context, tc.credentials, got)
		}
	}
}

func TestBody(t *testing.T) {
	for _, tc := range []struct {
		context string
		want    string
		err     bool
	}{
		{`{}`, "", false},
		{`{"body":null}`, "", false},
		{`{"body":""}`, "", false},
		{`{"body":"aGk="}`, "hi", false},
		{`{"body":"aGk\u003d"}`, "hi", false},
		{`{"body":"!!"}`, "", true},
	} {
		req, err := decodeRequest([]byte(tc.context))
		if err != nil {
			t.Fatal(err)
		}
		body, err := req.Body()
		if string(body) != tc.want || (err != nil) != tc.err {
			t.Errorf("%s: body %q, error %v", tc.context, body, err)
		}
		if err != nil && asPluginError(err).Kind != KindInvalidRequest {
			t.Errorf("%s: %v is not an invalid-request error", tc.context, err)
		}
	}
}

func TestCredentialsDefaultToNone(t *testing.T) {
	for _, text := range []string{``, `{}`, `{"type":null}`} {
		creds, err := decodeCredentials([]byte(text))
		if err != nil || creds.Type != "none" {
			t.Errorf("%q: %+v, %v", text, creds, err)
		}
	}
}

func TestCapabilities(t *testing.T) {
	with(t, func(*Request, Credentials) (Outcome, error) { return Outcome{}, nil })
	stampedName, stampedVersion = "auth-x", "1.2.3"
	t.Cleanup(func() { stampedName, stampedVersion = "", "" })
	want := `{"name":"auth-x","version":"1.2.3","kinds":["auth"],"sdk":"mockforge-go/` + SDKVersion + `"}`
	if got := string(capabilities()); got != want {
		t.Errorf("got %s, want %s", got, want)
	}
}

func TestRegisterAuthRefusesASecondPlugin(t *testing.T) {
	with(t, func(*Request, Credentials) (Outcome, error) { return Outcome{}, nil })
	defer func() {
		if recover() == nil {
			t.Error("no panic")
		}
	}()
	RegisterAuth(pluginFunc(func(*Request, Credentials) (Outcome, error) { return Outcome{}, nil }))
}
