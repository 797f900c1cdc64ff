//go:build wasip1

package mockforge

import (
	"runtime"
	"unsafe"

	"mockforge.dev/component/internal/hooks"
)

// The SDK's side of the exports: the glue of each world (internal/worlds/<world>) calls these
// through internal/hooks with the canonical ABI's flat parameters; each returns its answer's
// address in answerArea (answer.go).

func init() {
	hooks.Authenticate = exportAuthenticate
	hooks.Respond = exportRespond
	hooks.Modify = exportModify
	hooks.PostReturn = releaseAnswer
	if adapterArenaAddress == 0 {
		panic("mockforge: the WASI adapter's arena has no address")
	}
}

// call runs a plugin function for one export call on the request handle the host handed
// over: the handle is dropped before the call returns (contract 0.2 hands it over owned; a
// handle still held when the call returns is revoked by the host), and a panic becomes a
// KindInternal error, the instance staying usable.
//
// The handle is not wrapped in the generated bindings' type, whose RequestFromOwnHandle
// registers a cleanup (a runtime special and a closure) on every call: the SDK drops the
// handle itself, so a cleanup would only ever find it dropped.
func call[T any](handle int32, run func(*Request) (T, error)) (result T, err *PluginError) {
	request := &Request{handle: handle}
	defer func() {
		if recovered := recover(); recovered != nil {
			err = Internal("panic: %v", recovered)
		}
		request.drop()
		landingReset()
		yieldToRuntime()
	}()
	value, failure := run(request)
	if failure != nil {
		return result, AsPluginError(failure)
	}
	return value, nil
}

func exportAuthenticate(handle int32) uintptr {
	plugin := registeredAuth
	outcome, err := call(handle, func(r *Request) (Outcome, error) {
		if plugin == nil {
			return Outcome{}, Internal("no auth plugin is registered: call mockforge.RegisterAuth in an init function")
		}
		return plugin.Authenticate(r)
	})
	if err == nil {
		err = putOutcome(outcome)
	}
	if err != nil {
		putError(err)
		keptError = err
	} else {
		keptOutcome = outcome
	}
	return answerAddress()
}

func exportRespond(handle int32) uintptr {
	plugin := registeredResponder
	resp, err := call(handle, func(r *Request) (*Response, error) {
		if plugin == nil {
			return nil, Internal("no response plugin is registered: call mockforge.RegisterResponder in an init function")
		}
		return plugin.Respond(r)
	})
	switch {
	case err != nil:
		putError(err)
		keptError = err
	case resp == nil:
		putU8(0, 0)
		putU8(4, 0)
	default:
		putU8(0, 0)
		putU8(4, 1)
		putResponse(8, resp)
		keptResponse = *resp
	}
	return answerAddress()
}

func exportModify(handle, status int32, headers uintptr, count uint32, body uintptr, bodyLen uint32) uintptr {
	// The response lies in the landing: copy it out first.
	resp := Response{Status: uint16(status), Headers: liftHeaders(headers, count), Body: copyBytes(unsafe.Slice((*byte)(landingAddress(body)), bodyLen))}
	landingReset()
	plugin := registeredResponder
	changed, err := call(handle, func(r *Request) (Response, error) {
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
		putError(err)
		keptError = err
		return answerAddress()
	}
	putU8(0, 0)
	putResponse(4, &changed)
	keptResponse = changed
	return answerAddress()
}

// liftHeaders copies count (name, value) records at address (in the landing) into Go memory.
func liftHeaders(address uintptr, count uint32) []Header {
	records := unsafe.Slice((*uint32)(landingAddress(address)), 4*uintptr(count))
	out := make([]Header, count)
	for i := range out {
		out[i] = Header{Name: landingString(records[4*i], records[4*i+1]), Value: landingString(records[4*i+2], records[4*i+3])}
	}
	return out
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
