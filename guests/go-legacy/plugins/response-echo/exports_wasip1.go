package main

import "unsafe"

// Buffers handed to the host (by malloc, or holding an answer) stay reachable until it frees
// them.
var buffers = map[uint32][]byte{}

func keep(buf []byte) uint32 {
	ptr := uint32(uintptr(unsafe.Pointer(&buf[0])))
	buffers[ptr] = buf
	return ptr
}

//go:wasmexport malloc
func malloc(size uint32) uint32 {
	return keep(make([]byte, max(size, 1)))
}

//go:wasmexport free
func free(ptr uint32) {
	delete(buffers, ptr)
}

//go:wasmexport generate_response
func generateResponse(ptr, length uint32) uint64 {
	input := buffers[ptr]
	if uint32(len(input)) < length {
		return pack(failure("internal", "the request is not in a buffer from malloc"))
	}
	return pack(answer(input[:length]))
}

func pack(out []byte) uint64 {
	return uint64(keep(out))<<32 | uint64(len(out))
}
