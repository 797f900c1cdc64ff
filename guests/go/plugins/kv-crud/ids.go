package main

import (
	"fmt"
	"strconv"
)

// itemPrefix starts every item's key; the keys sort in id order (ids are zero-padded to 20
// digits, the width of the largest u64).
const itemPrefix = "item/"

func itemKey(id uint64) string {
	return fmt.Sprintf("%s%020d", itemPrefix, id)
}

// parseID is the id text names, when it is a canonical decimal u64 (no sign, no leading
// zero, no spaces).
func parseID(text string) (uint64, bool) {
	id, err := strconv.ParseUint(text, 10, 64)
	if err != nil || strconv.FormatUint(id, 10) != text {
		return 0, false
	}
	return id, true
}
