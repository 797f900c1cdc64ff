// A response plugin in Go for MockForge's legacy JSON host convention (family J): it exports
// `generate_response(ptr, len)` answering `(ptr << 32) | len`, and `malloc`/`free` for the
// host's buffers, with the types of MockForge's Go SDK (../../upstream/mockforge). The body
// echoes the request (tests/conformance/vectors/0.1/response-echo.json says exactly what); the
// query parameters `decline`, `fail` and `status` steer the answer.
package main

import (
	"encoding/json"
	"strconv"

	"mockforge.dev/guest/upstream/mockforge"
)

// request is the legacy JSON: the SDK's ResponseRequest and the keys it leaves out.
type request struct {
	mockforge.ResponseRequest
	URI         string            `json:"uri"`
	QueryParams map[string]string `json:"query_params"`
	Config      map[string]string `json:"config"`
	// The matched route's parameters and the auth chain's identity (`null`: none), as
	// MockForge's Rust ResponseRequest carries them.
	PathParams  map[string]string `json:"path_params"`
	AuthContext map[string]any    `json:"auth_context"`
}

type echo struct {
	Method    string `json:"method"`
	Path      string `json:"path"`
	URI       string `json:"uri"`
	Q         string `json:"q"`
	Agent     string `json:"agent"`
	BodyBytes int    `json:"body_bytes"`
	Greeting  string `json:"greeting"`
	ParamID   string `json:"param_id"`
	Caller    string `json:"caller"`
}

type pluginError struct {
	Error struct {
		Kind    string `json:"kind"`
		Message string `json:"message"`
	} `json:"plugin_error"`
}

// answer is the JSON for the request JSON in.
func answer(input []byte) []byte {
	var req request
	if err := json.Unmarshal(input, &req); err != nil {
		return failure("invalid-request", err.Error())
	}
	if req.QueryParams["decline"] == "1" {
		return []byte("null")
	}
	switch req.QueryParams["fail"] {
	case "config":
		return failure("invalid-config", "asked to fail")
	case "request":
		return failure("invalid-request", "asked to fail")
	}
	status := 200
	if s, err := strconv.Atoi(req.QueryParams["status"]); err == nil {
		status = s
	}
	greeting, ok := req.Config["greeting"]
	if !ok {
		greeting = "hello"
	}
	caller, _ := req.AuthContext["sub"].(string)
	body, _ := json.Marshal(echo{
		Method:    req.Method,
		Path:      req.Path,
		URI:       req.URI,
		Q:         req.QueryParams["q"],
		Agent:     req.Headers["user-agent"],
		BodyBytes: len(req.Body),
		Greeting:  greeting,
		ParamID:   req.PathParams["id"],
		Caller:    caller,
	})
	out, _ := json.Marshal(mockforge.ResponseData{
		StatusCode:  status,
		Headers:     map[string]string{"x-legacy-plugin": "response-echo", "cache-control": "no-store"},
		Body:        body,
		ContentType: "application/json",
	})
	return out
}

func failure(kind, message string) []byte {
	var e pluginError
	e.Error.Kind, e.Error.Message = kind, message
	out, _ := json.Marshal(e)
	return out
}

func main() {}
