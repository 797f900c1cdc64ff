//go:build wasip1

// Command response-template answers a route with a JSON body rendered from a template with
// request values (see README.md), and stamps every response it sees with
// `x-mockforge-plugin: response-template`.
package main

import (
	"strconv"
	"strings"
	"time"

	"mockforge.dev/component/mockforge"
)

func main() {}

func init() { mockforge.RegisterResponder(template{}) }

const defaultStatus = 200

type template struct{}

func (template) Respond(req *mockforge.Request) (*mockforge.Response, error) {
	if route, ok := mockforge.Config("route"); ok {
		if matched, ok := req.Route(); !ok || matched != route {
			return nil, nil
		}
	}
	status, err := configuredStatus()
	if err != nil {
		return nil, err
	}
	text, err := mockforge.ConfigRequired("template")
	if err != nil {
		return nil, err
	}
	v := &values{req: req, now: uint64(time.Now().Unix())}
	body, err := render(text, v.resolve)
	if err != nil {
		return nil, err
	}
	return &mockforge.Response{
		Status:  status,
		Headers: []mockforge.Header{{Name: "content-type", Value: "application/json"}},
		Body:    []byte(body),
	}, nil
}

func (template) Modify(_ *mockforge.Request, resp mockforge.Response) (mockforge.Response, error) {
	resp.Headers = append(resp.Headers, mockforge.Header{Name: "x-mockforge-plugin", Value: "response-template"})
	return resp, nil
}

// configuredStatus is `status` (default 200), which must be an HTTP status (100 to 599).
func configuredStatus() (uint16, error) {
	value, ok := mockforge.Config("status")
	if !ok {
		return defaultStatus, nil
	}
	trimmed := strings.TrimPrefix(strings.TrimSpace(value), "+")
	status, err := strconv.ParseUint(trimmed, 10, 16)
	if err != nil || trimmed == "" || trimmed[0] == '+' || trimmed[0] == '-' {
		return 0, mockforge.InvalidConfig("config key `status` = %q: not a u16", value)
	}
	if status < 100 || status > 599 {
		return 0, mockforge.InvalidConfig("config key `status` = %d: not an HTTP status", status)
	}
	return uint16(status), nil
}
