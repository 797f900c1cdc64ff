//go:build wasip1

package mockforge

import (
	"runtime"

	witTypes "go.bytecodealliance.org/pkg/wit/types"
	"mockforge.dev/component/internal/hooks"
	"mockforge.dev/component/internal/wit/mockforge_plugin_types"
)

// The SDK's side of the exports: the glue in internal/wit/world/<world> calls the packages
// of internal/exports, which call these through internal/hooks.

func init() {
	hooks.Authenticate = exportAuthenticate
	hooks.Respond = exportRespond
	hooks.Modify = exportModify
	if adapterArenaAddress == 0 {
		panic("mockforge: the WASI adapter's arena has no address")
	}
}

type (
	witRequest     = mockforge_plugin_types.Request
	witResponse    = mockforge_plugin_types.Response
	witPluginError = mockforge_plugin_types.PluginError
	witAuthOutcome = mockforge_plugin_types.AuthOutcome
	witHeader      = witTypes.Tuple2[string, string]
)

// call runs a plugin function for one export call: the request handle is dropped before the
// call returns (contract 0.2 hands it over owned; a handle still held when the call returns
// is revoked by the host), and a panic becomes a KindInternal error, the instance staying
// usable.
func call[T any](req *witRequest, run func(*Request) (T, error)) (result T, err *PluginError) {
	request := &Request{handle: req}
	defer func() {
		if recovered := recover(); recovered != nil {
			err = Internal("panic: %v", recovered)
		}
		req.Drop()
		landingReset()
		yieldToRuntime()
	}()
	value, failure := run(request)
	if failure != nil {
		return result, AsPluginError(failure)
	}
	return value, nil
}

func exportAuthenticate(req *witRequest) witTypes.Result[witAuthOutcome, witPluginError] {
	plugin := registeredAuth
	outcome, err := call(req, func(r *Request) (Outcome, error) {
		if plugin == nil {
			return Outcome{}, Internal("no auth plugin is registered: call mockforge.RegisterAuth in an init function")
		}
		return plugin.Authenticate(r)
	})
	if err != nil {
		return witTypes.Err[witAuthOutcome](witError(err))
	}
	answer, err := witOutcome(outcome)
	if err != nil {
		return witTypes.Err[witAuthOutcome](witError(err))
	}
	return witTypes.Ok[witAuthOutcome, witPluginError](answer)
}

func exportRespond(req *witRequest) witTypes.Result[witTypes.Option[witResponse], witPluginError] {
	plugin := registeredResponder
	resp, err := call(req, func(r *Request) (*Response, error) {
		if plugin == nil {
			return nil, Internal("no response plugin is registered: call mockforge.RegisterResponder in an init function")
		}
		return plugin.Respond(r)
	})
	if err != nil {
		return witTypes.Err[witTypes.Option[witResponse]](witError(err))
	}
	if resp == nil {
		return witTypes.Ok[witTypes.Option[witResponse], witPluginError](witTypes.None[witResponse]())
	}
	return witTypes.Ok[witTypes.Option[witResponse], witPluginError](witTypes.Some(toWitResponse(*resp)))
}

func exportModify(req *witRequest, lifted witResponse) witTypes.Result[witResponse, witPluginError] {
	// The response lies in the landing: copy it out first.
	resp := Response{Status: lifted.Status, Headers: copyPairs(lifted.Headers), Body: copyBytes(lifted.Body)}
	landingReset()
	plugin := registeredResponder
	changed, err := call(req, func(r *Request) (Response, error) {
		if plugin == nil {
			return Response{}, Internal("no response plugin is registered: call mockforge.RegisterResponder in an init function")
		}
		modifier, ok := plugin.(ResponseModifier)
		if !ok {
			return resp, nil
		}
		return modifier.Modify(r, resp)
	})
	if err != nil {
		return witTypes.Err[witResponse](witError(err))
	}
	return witTypes.Ok[witResponse, witPluginError](toWitResponse(changed))
}

func witError(err *PluginError) witPluginError {
	switch err.Kind {
	case KindInvalidConfig:
		return mockforge_plugin_types.MakePluginErrorInvalidConfig(err.Message)
	case KindInvalidRequest:
		return mockforge_plugin_types.MakePluginErrorInvalidRequest(err.Message)
	default:
		return mockforge_plugin_types.MakePluginErrorInternal(err.Message)
	}
}

func witOutcome(outcome Outcome) (witAuthOutcome, *PluginError) {
	switch outcome.Kind {
	case OutcomeAllow:
		id := outcome.Identity
		claims := id.Claims
		if claims == "" {
			claims = "{}"
		}
		return mockforge_plugin_types.MakeAuthOutcomeAllow(mockforge_plugin_types.Identity{
			Subject:     id.Subject,
			Username:    optional(id.Username),
			Email:       optional(id.Email),
			DisplayName: optional(id.DisplayName),
			Roles:       nonNil(id.Roles),
			Groups:      nonNil(id.Groups),
			Claims:      claims,
		}), nil
	case OutcomeDeny:
		return mockforge_plugin_types.MakeAuthOutcomeDeny(mockforge_plugin_types.Denial{
			Status:  outcome.Denial.Status,
			Reason:  outcome.Denial.Reason,
			Headers: witHeaders(outcome.Denial.Headers),
		}), nil
	case OutcomeAbstain:
		return mockforge_plugin_types.MakeAuthOutcomeAbstain(), nil
	}
	return witAuthOutcome{}, Internal("the plugin returned an Outcome of unknown kind %d", outcome.Kind)
}

func toWitResponse(resp Response) witResponse {
	body := resp.Body
	if body == nil {
		body = []byte{}
	}
	return witResponse{Status: resp.Status, Headers: witHeaders(resp.Headers), Body: body}
}

func witHeaders(headers []Header) []witHeader {
	out := make([]witHeader, len(headers))
	for i, h := range headers {
		out[i] = witHeader{F0: h.Name, F1: h.Value}
	}
	return out
}

func optional(text string) witTypes.Option[string] {
	if text == "" {
		return witTypes.None[string]()
	}
	return witTypes.Some(text)
}

func nonNil(list []string) []string {
	if list == nil {
		return []string{}
	}
	return list
}

// yieldEvery is how many export calls pass between two yieldToRuntime: the runtime's
// goroutines then catch up in one batch, which costs far less than a yield on every call.
const yieldEvery = 64

var callsSinceYield int

// yieldToRuntime lets the runtime's own goroutines run, every yieldEvery calls. Nothing
// runs between export calls, and within one only the call's goroutine does unless it blocks,
// so without this the goroutine that runs cleanups (the generated bindings register one on
// every request and key handle) would never run: its queue, and with it the heap, would grow
// with every call.
func yieldToRuntime() {
	callsSinceYield++
	if callsSinceYield < yieldEvery {
		return
	}
	callsSinceYield = 0
	runtime.Gosched()
}
