//go:build wasip1

package mockforge

import (
	"strings"
	"testing"
)

func TestMallocGivesDistinctHeldBuffers(t *testing.T) {
	a, b := allocate(0), allocate(0)
	if a == 0 || b == 0 || a == b {
		t.Fatalf("allocate(0) gave %#x and %#x", a, b)
	}
	release(a)
	release(b)
	release(b) // twice, or a pointer malloc never gave: nothing happens
	if _, ok := live[a]; ok {
		t.Error("a released buffer is still held")
	}
}

func TestHostBytesAreReadInPlaceWithinAMallocBuffer(t *testing.T) {
	ptr := allocate(100)
	defer release(ptr)
	live[ptr][10] = 'x'
	whole, err := hostBytes(ptr, 100)
	if err != nil || len(whole) != 100 || &whole[0] != &live[ptr][0] {
		t.Fatalf("the whole buffer: %v", err)
	}
	part, err := hostBytes(ptr+10, 20)
	if err != nil || len(part) != 20 || part[0] != 'x' {
		t.Fatalf("part of the buffer: %q %v", part, err)
	}
	if none, err := hostBytes(0, 0); none != nil || err != nil {
		t.Errorf("nothing: %v %v", none, err)
	}
}

func TestHostBytesOutsideAMallocBufferAreRefused(t *testing.T) {
	ptr := allocate(100)
	for _, tc := range []struct{ ptr, n uint32 }{
		{ptr, 101},     // past the end
		{ptr + 90, 20}, // starts inside, ends outside
		{8, 4},         // never allocated
		{0, 1},         // null
	} {
		if _, err := hostBytes(tc.ptr, tc.n); err == nil || asPluginError(err).Kind != KindInternal {
			t.Errorf("%d bytes at %#x: %v", tc.n, tc.ptr, err)
		}
	}
	release(ptr)
	if _, err := hostBytes(ptr, 10); err == nil {
		t.Error("a released buffer is still readable")
	}
}

// call runs the export as the host does and returns the answer's address and text.
func call(t *testing.T, context, credentials string) (uint32, string) {
	t.Helper()
	put := func(s string) (uint32, uint32) {
		ptr := allocate(uint32(len(s)))
		copy(live[ptr], s)
		return ptr, uint32(len(s))
	}
	ctx, ctxLen := put(context)
	creds, credsLen := put(credentials)
	defer release(ctx)
	defer release(creds)
	at := pluginAuthAuthenticate(ctx, ctxLen, creds, credsLen)
	if addressOf(answer) != at {
		t.Fatalf("the answer at %#x is not the kept buffer at %#x", at, addressOf(answer))
	}
	return at, string(answer)
}

func TestTheAnswerBufferIsReusedAndBounded(t *testing.T) {
	with(t, func(req *Request, _ Credentials) (Outcome, error) {
		reason, _ := req.Headers.Get("x-reason")
		return Deny(401, reason), nil
	})
	first, _ := call(t, `{"headers":{"x-reason":"a"}}`, "")
	second, text := call(t, `{"headers":{"x-reason":"b"}}`, "")
	if first != second || !strings.Contains(text, `"error_message":"b"`) {
		t.Errorf("a small answer moved from %#x to %#x: %s", first, second, text)
	}
	huge := strings.Repeat("r", 2*maxKeptAnswer)
	call(t, `{"headers":{"x-reason":"`+huge+`"}}`, "")
	if cap(answer) <= maxKeptAnswer {
		t.Fatal("the huge answer did not grow the buffer")
	}
	call(t, `{"headers":{"x-reason":"c"}}`, "")
	if cap(answer) > maxKeptAnswer {
		t.Errorf("a %d-byte buffer was kept after a small answer", cap(answer))
	}
}

func TestAStrayPointerIsAnInternalError(t *testing.T) {
	with(t, func(*Request, Credentials) (Outcome, error) { return Outcome{}, nil })
	pluginAuthAuthenticate(8, 4, 0, 0)
	if got := string(answer); !strings.HasPrefix(got, `{"plugin_error":{"kind":"internal"`) {
		t.Errorf("got %s", got)
	}
}

func TestCapabilitiesStayPut(t *testing.T) {
	with(t, func(*Request, Credentials) (Outcome, error) { return Outcome{}, nil })
	first := pluginAuthCapabilities()
	if first == 0 || pluginAuthCapabilities() != first {
		t.Error("the capabilities moved")
	}
}
