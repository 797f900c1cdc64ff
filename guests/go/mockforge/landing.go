//go:build wasip1

package mockforge

import (
	"bytes"
	"strings"
	"unsafe"
)

// The landing is where the canonical ABI writes what the host hands over (an import's result
// strings and lists, an export's arguments): this module's `cabi_realloc` hands out its bytes.
//
// `cabi_realloc` runs inside the host's copy, where the component model forbids calling an
// import; Go's collector reads the clock (an import, through WASI) and may run other
// goroutines whenever an allocation starts or assists a collection. So realloc never
// allocates from Go's heap: it bumps a pointer through memory the collector does not manage,
// a static array first, then blocks taken from the runtime's own page allocator (sbrk) when a
// larger value arrives, never given back (the landing keeps the largest size it ever needed).
// Nothing in the landing is kept: every function of this package copies what it reads into
// Go memory (copyString, copyBytes) and resets the landing before it returns, and the
// generated bindings are internal to the SDK so no plugin holds landing memory.
//
// The build's post-link step (tools/postlink) exports landingRealloc as `cabi_realloc` in
// place of the bindings' runtime package's one, which allocates from Go's heap.

const landingInitialSize = 64 << 10

var landingInitial [landingInitialSize]byte

// The landing's current block [landingBase, landingEnd) and its first free byte.
var landingBase, landingEnd, landingNext uintptr

//go:linkname runtimeSbrk runtime.sbrk
func runtimeSbrk(n uintptr) unsafe.Pointer

// landingRealloc is the component's `cabi_realloc`: `newSize` bytes aligned to `align`. It
// is nosplit and allocates nothing from the heap, so that no stack growth, preemption or
// collection can run inside it. A non-null `old` (the canonical ABI growing a string while
// it transcodes) gets a new block with the old bytes copied.
//
//go:wasmexport mockforge_cabi_realloc
//go:nosplit
func landingRealloc(old unsafe.Pointer, oldSize, align, newSize uintptr) unsafe.Pointer {
	if landingBase == 0 {
		landingBase = uintptr(unsafe.Pointer(&landingInitial[0]))
		landingEnd = landingBase + landingInitialSize
		landingNext = landingBase
	}
	if align == 0 {
		align = 1
	}
	ptr := (landingNext + align - 1) &^ (align - 1)
	if ptr+newSize > landingEnd || ptr+newSize < ptr {
		// A larger block: at least twice the current one, so that it happens rarely. What
		// the previous block holds stays where it is until the SDK has copied it.
		size := 2 * (landingEnd - landingBase)
		for size < newSize+align {
			size *= 2
		}
		block := runtimeSbrk(size)
		if block == nil {
			// Memory cannot grow (the instance's memory limit): an address past the end of
			// memory makes the host's copy fail with a trap, never writes anywhere.
			return landingAddress(^uintptr(0) &^ (align - 1))
		}
		landingBase = uintptr(block)
		landingEnd = landingBase + size
		ptr = (landingBase + align - 1) &^ (align - 1)
	}
	landingNext = ptr + newSize
	if old != nil && oldSize > 0 {
		n := oldSize
		if n > newSize {
			n = newSize
		}
		copy(unsafe.Slice((*byte)(landingAddress(ptr)), n), unsafe.Slice((*byte)(old), n))
	}
	return landingAddress(ptr)
}

// landingAddress is the landing address addr as a pointer. The landing lies outside Go's heap
// (a static array, blocks from sbrk), so its addresses are kept as integers and the collector
// never moves or frees what they point to.
//
//go:nosplit
func landingAddress(addr uintptr) unsafe.Pointer {
	return unsafe.Add(nil, addr)
}

// landingWords are n words of the landing, for what the SDK hands the host in an answer.
func landingWords(n int) []uint32 {
	if n == 0 {
		return nil
	}
	return unsafe.Slice((*uint32)(landingRealloc(nil, 0, 4, uintptr(n)*4)), n)
}

// landingString copies the length bytes at address (in the landing) into a Go string.
func landingString(address, length uint32) string {
	return strings.Clone(unsafe.String((*byte)(landingAddress(uintptr(address))), length))
}

// landingReset makes the whole landing free again: call it once everything the host wrote
// there has been copied out.
func landingReset() {
	landingNext = landingBase
}

// copyString copies s (which may lie in the landing) into Go memory.
func copyString(s string) string {
	return strings.Clone(s)
}

// copyBytes copies b (which may lie in the landing) into Go memory; never nil.
func copyBytes(b []byte) []byte {
	if len(b) == 0 {
		return []byte{}
	}
	return bytes.Clone(b)
}

// copyStrings copies each string of list into Go memory.
func copyStrings(list []string) []string {
	out := make([]string, len(list))
	for i, s := range list {
		out[i] = copyString(s)
	}
	return out
}
