package mockforge

import (
	"encoding/json"
	"fmt"
	"unsafe"
)

// Every answer stays reachable for the rest of the instance's life, as in MockForge's SDK:
// the host reads it after the export has returned, and nothing says when it is done.
var wasmAllocations = make([][]byte, 0, 64)

//go:wasmexport plugin_auth_authenticate
func pluginAuthAuthenticate(contextPtr, contextLen, credsPtr, credsLen uint32) uint32 {
	if currentAuthPlugin == nil {
		return encodeError(&PluginError{Message: "no auth plugin registered", Code: 500})
	}
	var ctx PluginContext
	var creds AuthCredentials
	if err := json.Unmarshal(readMemory(contextPtr, contextLen), &ctx); err != nil {
		return encodeError(&PluginError{Message: fmt.Sprintf("failed to decode context: %v", err), Code: 400})
	}
	if err := json.Unmarshal(readMemory(credsPtr, credsLen), &creds); err != nil {
		return encodeError(&PluginError{Message: fmt.Sprintf("failed to decode credentials: %v", err), Code: 400})
	}
	result, err := currentAuthPlugin.Authenticate(&ctx, &creds)
	if err != nil {
		return encodeError(&PluginError{Message: err.Error(), Code: 500})
	}
	return encodeResult(result)
}

//go:wasmexport plugin_auth_capabilities
func pluginAuthCapabilities() uint32 {
	if currentAuthPlugin == nil {
		return encodeError(&PluginError{Message: "no auth plugin registered", Code: 500})
	}
	return encodeResult(currentAuthPlugin.GetCapabilities())
}

func readMemory(ptr, length uint32) []byte {
	if ptr == 0 || length == 0 {
		return []byte{}
	}
	src := unsafe.Slice((*byte)(unsafe.Add(unsafe.Pointer(nil), uintptr(ptr))), int(length))
	return append([]byte(nil), src...)
}

func writeMemory(data []byte) uint32 {
	if len(data) == 0 {
		return 0
	}
	buf := append([]byte(nil), data...)
	wasmAllocations = append(wasmAllocations, buf)
	return uint32(uintptr(unsafe.Pointer(&buf[0])))
}

func encodeResult(result interface{}) uint32 {
	data, err := json.Marshal(result)
	if err != nil {
		return encodeError(&PluginError{Message: fmt.Sprintf("failed to encode result: %v", err), Code: 500})
	}
	return writeMemory(data)
}

func encodeError(err *PluginError) uint32 {
	data, _ := json.Marshal(err)
	return writeMemory(data)
}
