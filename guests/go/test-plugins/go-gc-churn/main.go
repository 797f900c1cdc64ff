//go:build wasip1

// Command go-gc-churn is a test plugin for the Go SDK's memory soundness (tests/go_components.rs):
// every call copies whole bodies and every header through the canonical ABI, checks every
// byte against what the request says it holds, leaves garbage behind and, when the query
// has `gc`, runs Go's collector in the middle of the call.
//
// A request says what its body holds with `x-fill: <byte>` (every byte of the body is that
// value); the answers:
//
//   - authenticate: allow subject "churn" with claims {"bytes": <body length>, "headers":
//     <header count>}; deny 400 "corrupted body" when a byte differs; abstain without x-fill.
//   - respond: 200 with the request's body as the response body (x-fill checked first; an
//     invalid-request error when it differs); decline without x-fill.
//   - modify: the response with `x-churn-checked: <length>` added, after checking that every
//     byte of the response body is the request's x-fill value (invalid-request otherwise).
//
// A request with `x-panic` makes authenticate panic (after reading the body), which the SDK
// reports as an internal error, the instance staying usable.
package main

import (
	"runtime"
	"strconv"

	"mockforge.dev/component/mockforge"
)

func main() {}

func init() {
	mockforge.RegisterAuth(churn{})
	mockforge.RegisterResponder(churn{})
}

type churn struct{}

// garbage keeps the last call's allocations reachable until the next call replaces them, so
// that the heap holds live and dead data of every size when a collection runs.
var garbage [][]byte

func fill(req *mockforge.Request) (byte, bool) {
	value, ok := req.Header("x-fill")
	if !ok {
		return 0, false
	}
	n, err := strconv.ParseUint(value, 10, 8)
	if err != nil {
		return 0, false
	}
	return byte(n), true
}

func uniform(body []byte, value byte) bool {
	for _, b := range body {
		if b != value {
			return false
		}
	}
	return true
}

// churnHeap allocates and drops memory in proportion to size, and collects when asked.
func churnHeap(req *mockforge.Request, size int) {
	garbage = garbage[:0]
	for chunk := 64; chunk <= size+64; chunk *= 4 {
		garbage = append(garbage, make([]byte, chunk))
	}
	if _, ok := req.QueryParam("gc"); ok {
		runtime.GC()
	}
}

func (churn) Authenticate(req *mockforge.Request) (mockforge.Outcome, error) {
	value, ok := fill(req)
	if !ok {
		return mockforge.Abstain(), nil
	}
	headers := req.Headers()
	body := req.Body()
	if message, ok := req.Header("x-panic"); ok {
		panic(message)
	}
	churnHeap(req, len(body))
	// The body again, after the collection: the first copy must be intact too.
	if !uniform(body, value) || !uniform(req.Body(), value) {
		return mockforge.Deny(400, "corrupted body"), nil
	}
	claims := `{"bytes":` + strconv.Itoa(len(body)) + `,"headers":` + strconv.Itoa(len(headers)) + `}`
	return mockforge.Allow(mockforge.NewIdentity("churn").WithClaimsJSON(claims)), nil
}

func (churn) Respond(req *mockforge.Request) (*mockforge.Response, error) {
	value, ok := fill(req)
	if !ok {
		return nil, nil
	}
	body := req.Body()
	churnHeap(req, len(body))
	if !uniform(body, value) {
		return nil, mockforge.InvalidRequest("corrupted request body")
	}
	return &mockforge.Response{Status: 200, Body: body}, nil
}

func (churn) Modify(req *mockforge.Request, resp mockforge.Response) (mockforge.Response, error) {
	value, ok := fill(req)
	if !ok {
		return resp, nil
	}
	churnHeap(req, len(resp.Body))
	if !uniform(resp.Body, value) {
		return resp, mockforge.InvalidRequest("corrupted response body")
	}
	resp.Headers = append(resp.Headers, mockforge.Header{Name: "x-churn-checked", Value: strconv.Itoa(len(resp.Body))})
	return resp, nil
}
