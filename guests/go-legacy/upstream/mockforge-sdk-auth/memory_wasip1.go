package main

import "unsafe"

// The allocator TinyGo would export, for the host to write the request into: each buffer
// stays reachable until the host frees it.
var buffers = map[uint32][]byte{}

//go:wasmexport malloc
func malloc(size uint32) uint32 {
	buf := make([]byte, max(size, 1))
	ptr := uint32(uintptr(unsafe.Pointer(&buf[0])))
	buffers[ptr] = buf
	return ptr
}

//go:wasmexport free
func free(ptr uint32) {
	delete(buffers, ptr)
}
