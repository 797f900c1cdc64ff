//go:build wasip1

package mockforge

import "unsafe"

// live holds every buffer malloc handed out, by address, until free: the host writes into it
// between calls, where nothing in Go refers to it, and the collector would reclaim it. Go's
// collector does not move objects, so an address stays valid while its buffer is held here.
var live = map[uint32][]byte{}

func allocate(size uint32) uint32 {
	// A distinct, non-null address even for nothing: the host treats 0 as failure.
	buf := make([]byte, max(size, 1))
	ptr := addressOf(buf)
	live[ptr] = buf
	return ptr
}

func release(ptr uint32) {
	delete(live, ptr)
}

func addressOf(buf []byte) uint32 {
	return uint32(uintptr(unsafe.Pointer(unsafe.SliceData(buf))))
}

// hostBytes is the n bytes the host wrote at ptr, which must lie within one buffer from malloc
// (usually a whole one; part of one is found by a scan of the few live buffers). Anything else
// is refused rather than read: memory malloc did not hand out may belong to the collector.
func hostBytes(ptr, n uint32) ([]byte, error) {
	if n == 0 {
		return nil, nil
	}
	if buf, ok := live[ptr]; ok && n <= uint32(len(buf)) {
		return buf[:n:n], nil
	}
	for base, buf := range live {
		if ptr >= base && uint64(ptr-base)+uint64(n) <= uint64(len(buf)) {
			offset := ptr - base
			return buf[offset : offset+n : offset+n], nil
		}
	}
	return nil, Internal("the host passed %d bytes at %#x, which is not within a buffer from malloc", n, ptr)
}
