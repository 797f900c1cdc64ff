//go:build wasip1

package mockforge

import (
	"runtime"
	"unsafe"
)

// The SDK's own calls of the host functions whose arguments and results are flat (strings,
// byte lists, an option of a string, a bool): every call of a request's header, the config and
// the HMAC goes through here. The generated bindings make the same calls with a new
// runtime.Pinner, a return area allocated from Go's heap and one pin per argument each time
// (a pin takes the heap's lock and adds a runtime special), which made up a quarter of a warm
// auth-jwt call. Here the arguments are passed as they are and the results land in
// hostReturn, a static array: an import call runs no Go code until it returns (the component
// model forbids calling back into the instance), so nothing can collect or move the
// arguments, which runtime.KeepAlive holds until the call is over. The strings and lists the
// host returns lie in the landing (landing.go), as with the generated bindings.

// hostReturn is the return area of these calls: an option<string> at most (3 words).
var hostReturn [3]uint32

func hostReturnAddress() unsafe.Pointer { return unsafe.Pointer(&hostReturn) }

//go:wasmimport mockforge:plugin/types@0.2.0 [resource-drop]request
func importRequestDrop(request int32)

//go:wasmimport mockforge:plugin/types@0.2.0 [method]request.method
func importRequestMethod(request int32, ret unsafe.Pointer)

//go:wasmimport mockforge:plugin/types@0.2.0 [method]request.path
func importRequestPath(request int32, ret unsafe.Pointer)

//go:wasmimport mockforge:plugin/types@0.2.0 [method]request.query
func importRequestQuery(request int32, ret unsafe.Pointer)

//go:wasmimport mockforge:plugin/types@0.2.0 [method]request.id
func importRequestID(request int32, ret unsafe.Pointer)

//go:wasmimport mockforge:plugin/types@0.2.0 [method]request.body
func importRequestBody(request int32, ret unsafe.Pointer)

//go:wasmimport mockforge:plugin/types@0.2.0 [method]request.route
func importRequestRoute(request int32, ret unsafe.Pointer)

//go:wasmimport mockforge:plugin/types@0.2.0 [method]request.client-addr
func importRequestClientAddr(request int32, ret unsafe.Pointer)

//go:wasmimport mockforge:plugin/types@0.2.0 [method]request.header
func importRequestHeader(request int32, name unsafe.Pointer, nameLen uint32, ret unsafe.Pointer)

//go:wasmimport mockforge:plugin/types@0.2.0 [method]request.query-param
func importRequestQueryParam(request int32, name unsafe.Pointer, nameLen uint32, ret unsafe.Pointer)

//go:wasmimport mockforge:plugin/types@0.2.0 [method]request.path-param
func importRequestPathParam(request int32, name unsafe.Pointer, nameLen uint32, ret unsafe.Pointer)

//go:wasmimport mockforge:plugin/config@0.2.0 get
func importConfigGet(key unsafe.Pointer, keyLen uint32, ret unsafe.Pointer)

//go:wasmimport mockforge:plugin/crypto@0.2.0 hmac-verify
func importHMACVerify(algorithm int32, key unsafe.Pointer, keyLen uint32, data unsafe.Pointer, dataLen uint32, tag unsafe.Pointer, tagLen uint32) int32

//go:wasmimport mockforge:plugin/crypto@0.2.0 constant-time-equal
func importConstantTimeEqual(a unsafe.Pointer, aLen uint32, b unsafe.Pointer, bLen uint32) int32

// stringData is the address of s's bytes, for an import call.
func stringData(s string) unsafe.Pointer { return unsafe.Pointer(unsafe.StringData(s)) }

// bytesData is the address of b's bytes, for an import call.
func bytesData(b []byte) unsafe.Pointer { return unsafe.Pointer(unsafe.SliceData(b)) }

// returnedString is the string a call left in hostReturn's words at, copied into Go memory.
func returnedString(at int) string {
	return landingString(hostReturn[at], hostReturn[at+1])
}

// returnedBytes are the bytes a call left in hostReturn (a list<u8>), copied into Go memory;
// never nil.
func returnedBytes() []byte {
	return copyBytes(unsafe.Slice((*byte)(landingAddress(uintptr(hostReturn[0]))), hostReturn[1]))
}

// returnedOptionalString is the option<string> a call left in hostReturn, copied into Go
// memory.
func returnedOptionalString() (string, bool) {
	if uint8(hostReturn[0]) == 0 {
		return "", false
	}
	return returnedString(1), true
}

// requestString calls a request method returning a string.
func requestString(r *Request, method func(int32, unsafe.Pointer)) string {
	defer landingReset()
	method(r.use(), hostReturnAddress())
	return returnedString(0)
}

// requestOptionalString calls a request method returning an option<string>.
func requestOptionalString(r *Request, method func(int32, unsafe.Pointer)) (string, bool) {
	defer landingReset()
	method(r.use(), hostReturnAddress())
	return returnedOptionalString()
}

// requestNamed calls a request method taking a name and returning an option<string>.
func requestNamed(r *Request, method func(int32, unsafe.Pointer, uint32, unsafe.Pointer), name string) (string, bool) {
	defer landingReset()
	method(r.use(), stringData(name), uint32(len(name)), hostReturnAddress())
	runtime.KeepAlive(name)
	return returnedOptionalString()
}

// requestBody calls request.body.
func requestBody(r *Request) []byte {
	defer landingReset()
	importRequestBody(r.use(), hostReturnAddress())
	return returnedBytes()
}

// configGet calls config.get.
func configGet(key string) (string, bool) {
	defer landingReset()
	importConfigGet(stringData(key), uint32(len(key)), hostReturnAddress())
	runtime.KeepAlive(key)
	return returnedOptionalString()
}

// hmacVerify calls crypto.hmac-verify.
func hmacVerify(algorithm HashAlgorithm, key, data, tag []byte) bool {
	valid := importHMACVerify(int32(algorithm), bytesData(key), uint32(len(key)), bytesData(data), uint32(len(data)), bytesData(tag), uint32(len(tag)))
	runtime.KeepAlive(key)
	runtime.KeepAlive(data)
	runtime.KeepAlive(tag)
	return valid != 0
}

// constantTimeEqual calls crypto.constant-time-equal.
func constantTimeEqual(a, b []byte) bool {
	equal := importConstantTimeEqual(bytesData(a), uint32(len(a)), bytesData(b), uint32(len(b)))
	runtime.KeepAlive(a)
	runtime.KeepAlive(b)
	return equal != 0
}
