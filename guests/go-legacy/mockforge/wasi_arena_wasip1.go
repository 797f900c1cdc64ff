//go:build wasip1

package mockforge

import (
	"strconv"
	"unsafe"
)

// wasiArenaSize is room for the WASI adapter's state and its stack (one 64 KiB page and a
// few KiB), with margin.
const wasiArenaSize = 192 << 10

// wasiArena is memory the Go runtime never hands out: a global lies below the runtime's `end`,
// while Go takes every address above `end` for its heap. When the host runs this module as a
// component, the WASI preview 1 adapter keeps its state and stack here; anywhere above `end`
// (memory grown for it, say) the Go heap would eventually overwrite them.
//
// It starts with a header the host's adapters find in the module's data segments when they
// wrap it: a 24-byte magic, then the arena's size as a little-endian u32, then 4 spare bytes.
var wasiArena = [wasiArenaSize]byte{
	'm', 'o', 'c', 'k', 'f', 'o', 'r', 'g', 'e', ':', 'w', 'a', 's', 'i', '-', 'a', 'r', 'e', 'n', 'a', ':', 'v', '1', 0,
	wasiArenaSize & 0xff, wasiArenaSize >> 8 & 0xff, wasiArenaSize >> 16 & 0xff, wasiArenaSize >> 24 & 0xff,
}

// withWasiArena adds where the arena lies to the capabilities JSON object (for diagnostics;
// reading its address here is also what keeps the linker from dropping it).
func withWasiArena(capabilities []byte) []byte {
	address := uintptr(unsafe.Pointer(&wasiArena[0]))
	out := capabilities[:len(capabilities)-1]
	out = append(out, `,"wasi_arena":{"address":`...)
	out = strconv.AppendUint(out, uint64(address), 10)
	out = append(out, `,"size":`...)
	out = strconv.AppendUint(out, wasiArenaSize, 10)
	return append(out, "}}"...)
}
