// Package conformance runs the shared conformance vectors (tests/conformance/vectors/0.1, format in
// tests/conformance/README.md) against a Go plugin natively, through the SDK's JSON entry point:
// each vector's request becomes the context and credentials JSON exactly as the host's legacy
// translator builds them, and the answer is read back as the translator reads it. It is test
// support for the plugins' `go test`.
package conformance
