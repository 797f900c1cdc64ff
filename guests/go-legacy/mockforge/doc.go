// Package mockforge writes MockForge auth plugins in standard Go.
//
// A plugin is a `package main` with an empty main, a type implementing [AuthPlugin], and one
// [RegisterAuth] call in an init function:
//
//	package main
//
//	import "mockforge.dev/guest/mockforge"
//
//	func main() {} // required by Go; a c-shared module never runs it
//
//	func init() { mockforge.RegisterAuth(knock{}) }
//
//	type knock struct{}
//
//	func (knock) Authenticate(req *mockforge.Request, _ mockforge.Credentials) (mockforge.Outcome, error) {
//		who, ok := req.Header("x-knock")
//		if !ok {
//			return mockforge.Deny(401, "knock first"), nil
//		}
//		return mockforge.Allow(mockforge.Identity{UserID: who}), nil
//	}
//
// Built with `GOOS=wasip1 GOARCH=wasm go build -buildmode=c-shared`, it is a WebAssembly core
// module in MockForge's legacy Go convention: it exports `memory`, `_initialize`, `malloc`,
// `free`, `plugin_auth_authenticate` and `plugin_auth_capabilities`, exchanges JSON through
// its memory, and imports WASI preview 1. The host adapts such modules into components when
// it loads them. [AuthenticateJSON] is the same entry point for native tests.
package mockforge
