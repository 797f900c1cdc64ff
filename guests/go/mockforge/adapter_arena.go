//go:build wasip1

package mockforge

import "unsafe"

// adapterArenaSize is room for the WASI preview 1 adapter's state and its 64 KiB stack, with
// margin.
const adapterArenaSize = 192 << 10

// adapterArena is memory the Go runtime never hands out: a global lies below the end of Go's
// data, while Go takes every address above it for its heap. The WASI adapter keeps its state
// and stack here, through the `cabi_realloc_adapter` export the build's post-link step
// (tools/postlink) adds after finding this header in the data segments: a 24-byte magic, the
// arena's size as a little-endian u32, 4 spare bytes. Memory grown for the adapter instead
// would be overwritten once the Go heap grows over it.
var adapterArena = [adapterArenaSize]byte{
	'm', 'o', 'c', 'k', 'f', 'o', 'r', 'g', 'e', ':', 'w', 'a', 's', 'i', '-', 'a', 'r', 'e', 'n', 'a', ':', 'v', '1', 0,
	adapterArenaSize & 0xff, adapterArenaSize >> 8 & 0xff, adapterArenaSize >> 16 & 0xff, adapterArenaSize >> 24 & 0xff,
}

// adapterArenaAddress is where the arena lies (for diagnostics; reading it here is also what
// keeps the linker from dropping the arena).
var adapterArenaAddress = uintptr(unsafe.Pointer(&adapterArena[0]))
