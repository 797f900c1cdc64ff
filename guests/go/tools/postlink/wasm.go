package main

import (
	"errors"
	"fmt"
)

// The ids of the core module sections this tool reads or rewrites.
const (
	sectionCustom   = 0
	sectionType     = 1
	sectionImport   = 2
	sectionFunction = 3
	sectionGlobal   = 6
	sectionExport   = 7
	sectionCode     = 10
	sectionData     = 11
)

// section is one section of a core module: its id and its contents (without the id and size).
type section struct {
	id   byte
	body []byte
}

// errTruncated is what every reader returns when the module ends in the middle of an item.
var errTruncated = errors.New("the module ends in the middle of an item")

// reader reads the binary format's primitives from a byte slice.
type reader struct {
	data []byte
	at   int
}

func (r *reader) done() bool { return r.at >= len(r.data) }

func (r *reader) byte() (byte, error) {
	if r.at >= len(r.data) {
		return 0, errTruncated
	}
	b := r.data[r.at]
	r.at++
	return b, nil
}

func (r *reader) bytes(n int) ([]byte, error) {
	if n < 0 || len(r.data)-r.at < n {
		return nil, errTruncated
	}
	b := r.data[r.at : r.at+n]
	r.at += n
	return b, nil
}

// u32 reads an unsigned LEB128 number of at most 32 bits.
func (r *reader) u32() (uint32, error) {
	var value uint32
	for shift := 0; shift < 35; shift += 7 {
		b, err := r.byte()
		if err != nil {
			return 0, err
		}
		value |= uint32(b&0x7f) << shift
		if b&0x80 == 0 {
			return value, nil
		}
	}
	return 0, errors.New("a LEB128 number longer than 32 bits")
}

// s64 reads a signed LEB128 number of at most 64 bits.
func (r *reader) s64() (int64, error) {
	var value int64
	shift := 0
	for {
		b, err := r.byte()
		if err != nil {
			return 0, err
		}
		value |= int64(b&0x7f) << shift
		shift += 7
		if b&0x80 == 0 {
			if shift < 64 && b&0x40 != 0 {
				value |= -1 << shift
			}
			return value, nil
		}
		if shift >= 70 {
			return 0, errors.New("a LEB128 number longer than 64 bits")
		}
	}
}

func (r *reader) name() (string, error) {
	n, err := r.u32()
	if err != nil {
		return "", err
	}
	b, err := r.bytes(int(n))
	return string(b), err
}

// appendU32 appends an unsigned LEB128 number.
func appendU32(out []byte, value uint32) []byte {
	for {
		b := byte(value & 0x7f)
		value >>= 7
		if value == 0 {
			return append(out, b)
		}
		out = append(out, b|0x80)
	}
}

// appendS64 appends a signed LEB128 number.
func appendS64(out []byte, value int64) []byte {
	for {
		b := byte(value & 0x7f)
		value >>= 7
		if (value == 0 && b&0x40 == 0) || (value == -1 && b&0x40 != 0) {
			return append(out, b)
		}
		out = append(out, b|0x80)
	}
}

func appendName(out []byte, name string) []byte {
	return append(appendU32(out, uint32(len(name))), name...)
}

// readModule splits a core module into its sections.
func readModule(module []byte) ([]section, error) {
	if len(module) < 8 || string(module[:4]) != "\x00asm" || string(module[4:8]) != "\x01\x00\x00\x00" {
		return nil, errors.New("not a core WebAssembly module (version 1)")
	}
	r := &reader{data: module, at: 8}
	var sections []section
	for !r.done() {
		id, err := r.byte()
		if err != nil {
			return nil, err
		}
		size, err := r.u32()
		if err != nil {
			return nil, err
		}
		body, err := r.bytes(int(size))
		if err != nil {
			return nil, fmt.Errorf("section %d: %w", id, err)
		}
		sections = append(sections, section{id: id, body: body})
	}
	return sections, nil
}

// writeModule joins sections into a core module.
func writeModule(sections []section) []byte {
	out := []byte("\x00asm\x01\x00\x00\x00")
	for _, s := range sections {
		out = append(out, s.id)
		out = appendU32(out, uint32(len(s.body)))
		out = append(out, s.body...)
	}
	return out
}

// vectorCount reads the item count that starts a vector section and returns it with the rest.
func vectorCount(body []byte) (uint32, []byte, error) {
	r := &reader{data: body}
	n, err := r.u32()
	if err != nil {
		return 0, nil, err
	}
	return n, body[r.at:], nil
}

// appendToVector returns a vector section's body with items appended and its count updated.
func appendToVector(body []byte, added uint32, items []byte) ([]byte, error) {
	n, rest, err := vectorCount(body)
	if err != nil {
		return nil, err
	}
	out := appendU32(nil, n+added)
	out = append(out, rest...)
	return append(out, items...), nil
}
