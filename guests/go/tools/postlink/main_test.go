package main

import (
	"strings"
	"testing"
)

// testModule is a small module shaped as Go's: one imported function, two defined ones
// (the runtime's cabi_realloc and the SDK's), one global, and the arena header at address
// 1024 in a data segment that ends after the header's first size byte, as Go's linker ends
// segments before runs of zeros.
func testModule(t *testing.T, exports map[string]uint32, withArena bool) []byte {
	t.Helper()
	vector := func(items ...[]byte) []byte {
		out := appendU32(nil, uint32(len(items)))
		for _, item := range items {
			out = append(out, item...)
		}
		return out
	}
	funcType := []byte{0x60, 4, 0x7f, 0x7f, 0x7f, 0x7f, 1, 0x7f}
	importItem := append(appendName(appendName(nil, "wasi_snapshot_preview1"), "fd_write"), 0x00, 0)
	memoryItem := append(appendName(appendName(nil, "env"), "memory"), 0x02, 0x00, 1)
	body := []byte{4, 0, 0x41, 0, 0x0b} // no locals; i32.const 0; end
	var exportItems [][]byte
	for _, name := range []string{"cabi_realloc", "mockforge_cabi_realloc", "_initialize"} {
		if index, ok := exports[name]; ok {
			exportItems = append(exportItems, appendU32(append(appendName(nil, name), 0), index))
		}
	}
	segment := []byte("padding")
	if withArena {
		segment = append(append([]byte{}, arenaMagic...), 0x00, 0x00, 0x03) // size 0x30000
	}
	dataItem := append(append([]byte{0, 0x41}, appendS64(nil, 1024)...), 0x0b)
	dataItem = append(appendU32(dataItem, uint32(len(segment))), segment...)
	return writeModule([]section{
		{sectionType, vector(funcType)},
		{sectionImport, vector(importItem, memoryItem)},
		{sectionFunction, vector([]byte{0}, []byte{0})},
		{sectionGlobal, vector([]byte{0x7f, 1, 0x41, 0, 0x0b})},
		{sectionExport, vector(exportItems...)},
		{sectionCode, vector(append([]byte{byte(len(body))}, body...), append([]byte{byte(len(body))}, body...))},
		{sectionData, vector(dataItem)},
	})
}

func exportsOf(t *testing.T, module []byte) map[string]uint32 {
	t.Helper()
	sections, err := readModule(module)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]uint32{}
	for _, s := range sections {
		if s.id != sectionExport {
			continue
		}
		r := &reader{data: s.body}
		n, _ := r.u32()
		for range n {
			name, _ := r.name()
			r.byte()
			index, _ := r.u32()
			out[name] = index
		}
	}
	return out
}

func TestLinkAddsTheAdapterAllocatorAndSwapsCabiRealloc(t *testing.T) {
	module := testModule(t, map[string]uint32{"cabi_realloc": 1, "mockforge_cabi_realloc": 2, "_initialize": 1}, true)
	linked, err := link(module)
	if err != nil {
		t.Fatal(err)
	}
	exports := exportsOf(t, linked)
	want := map[string]uint32{"cabi_realloc": 2, "cabi_realloc_adapter": 3, "_initialize": 1}
	if len(exports) != len(want) {
		t.Fatalf("exports %v, want %v", exports, want)
	}
	for name, index := range want {
		if exports[name] != index {
			t.Errorf("export %s is function %d, want %d", name, exports[name], index)
		}
	}
	sections, _ := readModule(linked)
	counts := map[byte]uint32{}
	for _, s := range sections {
		counts[s.id], _, _ = vectorCount(s.body)
		if s.id == sectionGlobal {
			// The new global starts at the arena's first usable byte: 1024 + the header.
			start := appendS64([]byte{0x7f, 1, 0x41}, 1024+arenaHeader)
			if !strings.Contains(string(s.body), string(start)) {
				t.Errorf("no global starting at %d in % x", 1024+arenaHeader, s.body)
			}
		}
		if s.id == sectionCode {
			end := appendS64([]byte{0x42}, 1024+0x30000)
			if !strings.Contains(string(s.body), string(end)) {
				t.Errorf("the allocator does not stop at the arena's end")
			}
		}
	}
	for id, n := range map[byte]uint32{sectionType: 2, sectionFunction: 3, sectionGlobal: 2, sectionCode: 3} {
		if counts[id] != n {
			t.Errorf("section %d holds %d items, want %d", id, counts[id], n)
		}
	}
}

func TestLinkRefusesAModuleWithoutTheSDK(t *testing.T) {
	for what, module := range map[string][]byte{
		"no arena":             testModule(t, map[string]uint32{"cabi_realloc": 1, "mockforge_cabi_realloc": 2}, false),
		"no SDK allocator":     testModule(t, map[string]uint32{"cabi_realloc": 1}, true),
		"no runtime allocator": testModule(t, map[string]uint32{"mockforge_cabi_realloc": 2}, true),
		"not wasm":             []byte("\x00asm\x02\x00\x00\x00"),
	} {
		if _, err := link(module); err == nil {
			t.Errorf("%s: linked", what)
		}
	}
}

func TestLEB128RoundTrips(t *testing.T) {
	for _, v := range []int64{0, 1, -1, 63, 64, -64, -65, 1 << 31, -(1 << 31), 1<<63 - 1, -1 << 63} {
		r := &reader{data: appendS64(nil, v)}
		if got, err := r.s64(); err != nil || got != v {
			t.Errorf("%d: %d %v", v, got, err)
		}
	}
	for _, v := range []uint32{0, 127, 128, 1 << 20, 1<<32 - 1} {
		r := &reader{data: appendU32(nil, v)}
		if got, err := r.u32(); err != nil || got != v {
			t.Errorf("%d: %d %v", v, got, err)
		}
	}
	if _, err := (&reader{data: []byte{0x80, 0x80}}).u32(); err == nil {
		t.Error("a truncated number was read")
	}
}
