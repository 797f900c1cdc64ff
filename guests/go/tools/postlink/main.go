// Command postlink finishes a Go plugin's core module before wit-component turns it into a
// component (build.sh runs it between `go build` and `wasm-tools component embed`):
//
//	go run ./tools/postlink IN.wasm OUT.wasm
//
// It makes two changes, both about memory the Go runtime must not touch:
//
//   - The WASI preview 1 adapter keeps its state and its stack in the module's memory. It gets
//     them from the module's `cabi_realloc_adapter` export when there is one, else from
//     `cabi_realloc` or `memory.grow`. Go's heap takes every address above the end of Go's
//     data and grows memory by its own count, so grown pages are eventually overwritten, and
//     the Go `cabi_realloc` cannot run before the runtime is up. The SDK reserves an arena for
//     the adapter among its globals (mockforge/adapter_arena.go), starting with a header; this
//     tool finds it in the data segments and adds `cabi_realloc_adapter`: a bump allocator
//     over the arena written in WebAssembly, which never calls into Go.
//   - The canonical ABI's `cabi_realloc` must not call an import, and Go's collector reads
//     the clock (and may run other goroutines) when an allocation starts a collection. The
//     export of the bindings' runtime package allocates from Go's heap, so it is dropped, and
//     the SDK's `mockforge_cabi_realloc` (mockforge/landing.go, which never allocates from
//     the heap) is exported as `cabi_realloc` in its place.
package main

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"os"
)

// The header the SDK's arena starts with: this magic, the arena's size (little-endian u32,
// header included) and 4 spare bytes.
var arenaMagic = []byte("mockforge:wasi-arena:v1\x00")

const arenaHeader = 32

// The export names this tool reads and writes.
const (
	reallocExport        = "cabi_realloc"
	sdkReallocExport     = "mockforge_cabi_realloc"
	adapterReallocExport = "cabi_realloc_adapter"
)

func main() {
	if len(os.Args) != 3 {
		fmt.Fprintln(os.Stderr, "usage: postlink IN.wasm OUT.wasm")
		os.Exit(2)
	}
	in, err := os.ReadFile(os.Args[1])
	if err == nil {
		var out []byte
		if out, err = link(in); err == nil {
			err = os.WriteFile(os.Args[2], out, 0o644)
		}
	}
	if err != nil {
		fmt.Fprintf(os.Stderr, "postlink: %s: %v\n", os.Args[1], err)
		os.Exit(1)
	}
}

// arena is where the adapter's arena lies in linear memory: its first usable byte and the
// byte after its last.
type arena struct {
	start, end uint32
}

// link returns the module with the adapter's allocator added and `cabi_realloc` replaced.
func link(module []byte) ([]byte, error) {
	sections, err := readModule(module)
	if err != nil {
		return nil, err
	}
	var (
		importedFuncs, importedGlobals uint32
		definedFuncs, definedGlobals   uint32
		types                          uint32
		found                          *arena
		index                          = map[byte]int{}
	)
	for i, s := range sections {
		if s.id != sectionCustom {
			index[s.id] = i
		}
		switch s.id {
		case sectionType:
			types, _, err = vectorCount(s.body)
		case sectionImport:
			importedFuncs, importedGlobals, err = countImports(s.body)
		case sectionFunction:
			definedFuncs, _, err = vectorCount(s.body)
		case sectionGlobal:
			definedGlobals, _, err = vectorCount(s.body)
		case sectionData:
			found, err = findArena(s.body)
		}
		if err != nil {
			return nil, fmt.Errorf("section %d: %w", s.id, err)
		}
	}
	if found == nil {
		return nil, errors.New("no arena for the WASI adapter in the data segments (is the mockforge SDK linked in?)")
	}
	for _, id := range []byte{sectionType, sectionFunction, sectionGlobal, sectionExport, sectionCode} {
		if _, ok := index[id]; !ok {
			return nil, fmt.Errorf("the module has no section %d", id)
		}
	}

	typeIndex := types
	funcIndex := importedFuncs + definedFuncs
	globalIndex := importedGlobals + definedGlobals
	edits := []struct {
		id    byte
		items []byte
	}{
		// (func (param i32 i32 i32 i32) (result i32))
		{sectionType, []byte{0x60, 4, 0x7f, 0x7f, 0x7f, 0x7f, 1, 0x7f}},
		{sectionFunction, appendU32(nil, typeIndex)},
		// (global (mut i32) (i32.const start))
		{sectionGlobal, append(appendS64([]byte{0x7f, 1, 0x41}, int64(int32(found.start))), 0x0b)},
		{sectionCode, adapterRealloc(globalIndex, found.end)},
	}
	for _, edit := range edits {
		i := index[edit.id]
		if sections[i].body, err = appendToVector(sections[i].body, 1, edit.items); err != nil {
			return nil, fmt.Errorf("section %d: %w", edit.id, err)
		}
	}
	exports := index[sectionExport]
	if sections[exports].body, err = rewriteExports(sections[exports].body, funcIndex); err != nil {
		return nil, fmt.Errorf("exports: %w", err)
	}
	return writeModule(sections), nil
}

// countImports returns how many functions and globals the import section imports.
func countImports(body []byte) (funcs, globals uint32, err error) {
	r := &reader{data: body}
	n, err := r.u32()
	if err != nil {
		return 0, 0, err
	}
	for i := uint32(0); i < n; i++ {
		if _, err = r.name(); err != nil {
			return 0, 0, err
		}
		if _, err = r.name(); err != nil {
			return 0, 0, err
		}
		kind, err := r.byte()
		if err != nil {
			return 0, 0, err
		}
		switch kind {
		case 0x00: // function: its type
			funcs++
			_, err = r.u32()
		case 0x01: // table: element type, limits
			if _, err = r.byte(); err == nil {
				err = skipLimits(r)
			}
		case 0x02: // memory: limits
			err = skipLimits(r)
		case 0x03: // global: value type, mutability
			globals++
			_, err = r.bytes(2)
		case 0x04: // tag: attribute, type
			if _, err = r.byte(); err == nil {
				_, err = r.u32()
			}
		default:
			return 0, 0, fmt.Errorf("import %d has unknown kind %#x", i, kind)
		}
		if err != nil {
			return 0, 0, err
		}
	}
	return funcs, globals, nil
}

func skipLimits(r *reader) error {
	flags, err := r.u32()
	if err != nil {
		return err
	}
	if _, err = r.u32(); err != nil || flags&1 == 0 {
		return err
	}
	_, err = r.u32()
	return err
}

// findArena looks for the arena's header in the active data segments of memory 0.
func findArena(body []byte) (*arena, error) {
	r := &reader{data: body}
	n, err := r.u32()
	if err != nil {
		return nil, err
	}
	for i := uint32(0); i < n; i++ {
		flags, err := r.u32()
		if err != nil {
			return nil, err
		}
		offset := int64(-1)
		switch flags {
		case 0, 2:
			if flags == 2 {
				if memory, err := r.u32(); err != nil || memory != 0 {
					return nil, fmt.Errorf("data segment %d: not for memory 0", i)
				}
			}
			// An offset expression other than `i32.const N end` is not Go's; skip the segment.
			op, err := r.byte()
			if err != nil {
				return nil, err
			}
			if op == 0x41 {
				if offset, err = r.s64(); err != nil {
					return nil, err
				}
				if end, err := r.byte(); err != nil || end != 0x0b {
					return nil, fmt.Errorf("data segment %d: an offset expression of more than one constant", i)
				}
			} else {
				return nil, fmt.Errorf("data segment %d: an offset expression that is not i32.const", i)
			}
		case 1:
		default:
			return nil, fmt.Errorf("data segment %d has unknown flags %d", i, flags)
		}
		size, err := r.u32()
		if err != nil {
			return nil, err
		}
		data, err := r.bytes(int(size))
		if err != nil {
			return nil, err
		}
		at := bytes.Index(data, arenaMagic)
		if offset < 0 || at < 0 {
			continue
		}
		// Go's linker ends a segment before a run of zeros, which memory holds anyway: bytes of
		// the size beyond the segment's end are zeros.
		var sizeBytes [4]byte
		copy(sizeBytes[:], data[at+len(arenaMagic):])
		length := binary.LittleEndian.Uint32(sizeBytes[:])
		base := uint64(offset) + uint64(at)
		if length <= arenaHeader || base+uint64(length) > 1<<32 {
			return nil, fmt.Errorf("the arena's header gives a bad size (%d)", length)
		}
		return &arena{start: uint32(base + arenaHeader), end: uint32(base + uint64(length))}, nil
	}
	return nil, nil
}

// adapterRealloc is the code of `cabi_realloc_adapter(old, old_size, align, size) -> ptr`: the
// next `size` bytes of the arena aligned to `align`, through the global `next`. It traps
// (`unreachable`) when asked to grow an allocation or when the arena is exhausted; the
// adapter allocates its state and stack once per instance, far below the arena's size.
func adapterRealloc(next uint32, end uint32) []byte {
	code := []byte{
		1, 1, 0x7f, // one local: $ptr i32 (local 4)
		0x20, 0, 0x04, 0x40, 0x00, 0x0b, // local.get $old; if; unreachable; end
		0x23, // global.get $next
	}
	code = appendU32(code, next)
	code = append(code,
		0x20, 2, 0x6a, // local.get $align; i32.add
		0x41, 1, 0x6b, // i32.const 1; i32.sub
		0x41, 0, 0x20, 2, 0x6b, // i32.const 0; local.get $align; i32.sub
		0x71, 0x21, 4, // i32.and; local.set $ptr
		0x20, 4, 0xad, // local.get $ptr; i64.extend_i32_u
		0x20, 3, 0xad, 0x7c, // local.get $size; i64.extend_i32_u; i64.add
		0x42, // i64.const end
	)
	code = appendS64(code, int64(end))
	code = append(code,
		0x56, 0x04, 0x40, 0x00, 0x0b, // i64.gt_u; if; unreachable; end
		0x20, 4, 0x20, 3, 0x6a, // local.get $ptr; local.get $size; i32.add
		0x24, // global.set $next
	)
	code = appendU32(code, next)
	code = append(code, 0x20, 4, 0x0b) // local.get $ptr; end
	return append(appendU32(nil, uint32(len(code))), code...)
}

// rewriteExports drops the runtime package's `cabi_realloc`, exports the SDK's allocator under
// that name, and adds `cabi_realloc_adapter` (function adapterFunc).
func rewriteExports(body []byte, adapterFunc uint32) ([]byte, error) {
	r := &reader{data: body}
	n, err := r.u32()
	if err != nil {
		return nil, err
	}
	var items []byte
	kept := uint32(0)
	sawSDK, sawRuntime := false, false
	for i := uint32(0); i < n; i++ {
		name, err := r.name()
		if err != nil {
			return nil, err
		}
		kind, err := r.byte()
		if err != nil {
			return nil, err
		}
		target, err := r.u32()
		if err != nil {
			return nil, err
		}
		switch {
		case name == adapterReallocExport:
			return nil, fmt.Errorf("the module already exports %s", adapterReallocExport)
		case name == reallocExport && kind == 0:
			sawRuntime = true
			continue
		case name == sdkReallocExport && kind == 0:
			sawSDK = true
			name = reallocExport
		}
		items = append(appendName(items, name), kind)
		items = appendU32(items, target)
		kept++
	}
	if !sawSDK {
		return nil, fmt.Errorf("no %s export (is the mockforge SDK linked in?)", sdkReallocExport)
	}
	if !sawRuntime {
		return nil, fmt.Errorf("no %s export from the bindings' runtime package", reallocExport)
	}
	items = append(appendName(items, adapterReallocExport), 0)
	items = appendU32(items, adapterFunc)
	return append(appendU32(nil, kept+1), items...), nil
}
