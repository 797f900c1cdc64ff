//go:build wasip1

package mockforge

import "unsafe"

// An export's answer in the canonical ABI's memory form, which the host reads after the export
// returns and before it calls the export's post-return function.
//
// The answer's record lies in answerArea, a static array; its lists of strings lie in the
// landing (landing.go), which nothing resets before the next call; its strings and bytes are
// the plugin's own Go values, which keptOutcome, keptResponse or keptError hold until the
// post-return function. No Go
// code runs between an export's return and its post-return function, so the collector cannot
// run there: Go's heap never moves a value, and holding it is all the host's reading needs
// (no runtime.Pinner, whose every Pin takes the heap's lock).

// answerArea is the return area of every export, word-aligned; its size is that of the
// largest answer (auth's allow: 19 words).
var answerArea [19]uint32

// The answer whose strings and bytes the host is reading.
var (
	keptOutcome  Outcome
	keptResponse Response
	keptError    *PluginError
)

// releaseAnswer is every export's post-return function.
func releaseAnswer() {
	keptOutcome, keptResponse, keptError = Outcome{}, Response{}, nil
}

// answerAddress is the return area's address, which an export returns.
func answerAddress() uintptr {
	return uintptr(unsafe.Pointer(&answerArea))
}

// answerAt is the address of the answer's byte offset.
func answerAt(offset uintptr) unsafe.Pointer {
	return unsafe.Add(unsafe.Pointer(&answerArea), offset)
}

func putU8(offset uintptr, value uint8) { *(*uint8)(answerAt(offset)) = value }

func putU16(offset uintptr, value uint16) { *(*uint16)(answerAt(offset)) = value }

func putU32(offset uintptr, value uint32) { *(*uint32)(answerAt(offset)) = value }

// address32 is a pointer as the 32-bit address the canonical ABI stores.
func address32(p unsafe.Pointer) uint32 { return uint32(uintptr(p)) }

// putString stores s as a (pointer, length) pair at offset.
func putString(offset uintptr, s string) {
	putU32(offset, address32(unsafe.Pointer(unsafe.StringData(s))))
	putU32(offset+4, uint32(len(s)))
}

// putBytes stores b as a (pointer, length) pair at offset.
func putBytes(offset uintptr, b []byte) {
	putU32(offset, address32(unsafe.Pointer(unsafe.SliceData(b))))
	putU32(offset+4, uint32(len(b)))
}

// putOptionalString stores an option<string> at offset (its tag, then the string one word
// later): none when s is empty.
func putOptionalString(offset uintptr, s string) {
	if s == "" {
		putU8(offset, 0)
		return
	}
	putU8(offset, 1)
	putString(offset+4, s)
}

// putStrings stores a list<string> at offset: its (pointer, length) pairs lie in the landing.
func putStrings(offset uintptr, list []string) {
	pairs := landingWords(2 * len(list))
	for i, s := range list {
		pairs[2*i] = address32(unsafe.Pointer(unsafe.StringData(s)))
		pairs[2*i+1] = uint32(len(s))
	}
	putU32(offset, address32(unsafe.Pointer(unsafe.SliceData(pairs))))
	putU32(offset+4, uint32(len(list)))
}

// putHeaders stores a list<tuple<string, string>> at offset: its records lie in the landing.
func putHeaders(offset uintptr, headers []Header) {
	records := landingWords(4 * len(headers))
	for i, h := range headers {
		records[4*i] = address32(unsafe.Pointer(unsafe.StringData(h.Name)))
		records[4*i+1] = uint32(len(h.Name))
		records[4*i+2] = address32(unsafe.Pointer(unsafe.StringData(h.Value)))
		records[4*i+3] = uint32(len(h.Value))
	}
	putU32(offset, address32(unsafe.Pointer(unsafe.SliceData(records))))
	putU32(offset+4, uint32(len(headers)))
}

// putError stores result<_, plugin-error>'s error: the result's tag, the error's case and its
// message.
func putError(err *PluginError) {
	putU8(0, 1)
	switch err.Kind {
	case KindInvalidConfig:
		putU8(4, 0)
	case KindInvalidRequest:
		putU8(4, 1)
	default:
		putU8(4, 2)
	}
	putString(8, err.Message)
}

// putOutcome stores result<auth-outcome, plugin-error>'s outcome.
func putOutcome(outcome Outcome) *PluginError {
	putU8(0, 0)
	switch outcome.Kind {
	case OutcomeAllow:
		id := outcome.Identity
		putU8(4, 0)
		putString(8, id.Subject)
		putOptionalString(16, id.Username)
		putOptionalString(28, id.Email)
		putOptionalString(40, id.DisplayName)
		putStrings(52, id.Roles)
		putStrings(60, id.Groups)
		claims := id.Claims
		if claims == "" {
			claims = "{}"
		}
		putString(68, claims)
	case OutcomeDeny:
		putU8(4, 1)
		putU16(8, outcome.Denial.Status)
		putString(12, outcome.Denial.Reason)
		putHeaders(20, outcome.Denial.Headers)
	case OutcomeAbstain:
		putU8(4, 2)
	default:
		return Internal("the plugin returned an Outcome of unknown kind %d", outcome.Kind)
	}
	return nil
}

// putResponse stores a response record at offset: its status, then its headers and its body.
func putResponse(offset uintptr, resp *Response) {
	putU16(offset, resp.Status)
	putHeaders(offset+4, resp.Headers)
	putBytes(offset+12, resp.Body)
}
