//go:build wasip1

package mockforge

// The module's exports, in the legacy Go SDK convention (family G): the host allocates with
// malloc, writes the two JSON texts, calls plugin_auth_authenticate and reads one JSON value
// from the pointer it returns (no length, no terminator).

// answer is the last answer. It stays reachable until the next call, when its memory is
// reused, so that an instance serving many calls does not grow.
var answer []byte

// maxKeptAnswer is the largest answer buffer kept for reuse; a larger one (a plugin error
// quoting a huge value) is left to the collector.
const maxKeptAnswer = 64 << 10

// capabilitiesJSON is built once: its address must stay valid for the host.
var capabilitiesJSON []byte

//go:wasmexport malloc
func malloc(size uint32) uint32 {
	return allocate(size)
}

//go:wasmexport free
func free(ptr uint32) {
	release(ptr)
}

//go:wasmexport plugin_auth_authenticate
func pluginAuthAuthenticate(ctxPtr, ctxLen, credsPtr, credsLen uint32) uint32 {
	if cap(answer) > maxKeptAnswer {
		answer = nil
	}
	answer = answer[:0]
	context, err := hostBytes(ctxPtr, ctxLen)
	if err == nil {
		var credentials []byte
		if credentials, err = hostBytes(credsPtr, credsLen); err == nil {
			answer = appendAnswer(answer, context, credentials)
		}
	}
	if err != nil {
		answer = appendError(answer, err)
	}
	return addressOf(answer)
}

//go:wasmexport plugin_auth_capabilities
func pluginAuthCapabilities() uint32 {
	if capabilitiesJSON == nil {
		capabilitiesJSON = withWasiArena(capabilities())
	}
	return addressOf(capabilitiesJSON)
}
