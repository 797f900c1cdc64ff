// Package mockforge is the Go SDK for MockForge plugins built as WebAssembly components of
// the contract mockforge:plugin@0.2.0 (standard Go, GOOS=wasip1, -buildmode=c-shared).
//
// A plugin registers itself in an init function, with RegisterAuth (an auth plugin: Allow,
// Deny or Abstain a Request) or RegisterResponder (a response plugin: produce a Response,
// and optionally change the one the mock produced). It reads its manifest's [config] table
// with Config, and uses the host's cryptography (HMAC, digests, public-key signatures), its
// key-value store and its log through the functions of this package.
//
// Everything the host hands over is copied into Go memory before a function of this package
// returns it, so values stay valid for as long as the plugin keeps them. A Request is valid
// only during the call it was passed to.
//
// The types without host calls (Outcome, Identity, Response, PluginError) build natively too,
// so plugin logic can be tested with `go test`.
package mockforge
