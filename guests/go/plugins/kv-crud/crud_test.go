package main

import (
	"slices"
	"testing"

	"mockforge.dev/guest/strictjson"
)

func TestKeysSortInIDOrder(t *testing.T) {
	keys := []string{itemKey(10), itemKey(2), itemKey(1), itemKey(1<<64 - 1)}
	slices.Sort(keys)
	want := []string{"item/00000000000000000001", "item/00000000000000000002", "item/00000000000000000010", "item/18446744073709551615"}
	if !slices.Equal(keys, want) {
		t.Errorf("%v", keys)
	}
}

func TestOnlyCanonicalNumbersAreIDs(t *testing.T) {
	if id, ok := parseID("42"); !ok || id != 42 {
		t.Errorf("42: %d %v", id, ok)
	}
	for _, bad := range []string{"", "01", "+1", "-1", "1.0", "x", " 1", "18446744073709551616"} {
		if _, ok := parseID(bad); ok {
			t.Errorf("%q is an id", bad)
		}
	}
}

func TestWithIDReplacesAnyID(t *testing.T) {
	object, err := strictjson.ParseObject([]byte(`{"id": "old", "name": "x \"y\"", "n": [1, 2.5e3]}`))
	if err != nil {
		t.Fatal(err)
	}
	if got := string(withID(object, "7")); got != `{"name":"x \"y\"","n":[1,2.5e3],"id":"7"}` {
		t.Errorf("%s", got)
	}
	if got := string(errorBody(`not "found"`)); got != `{"error":"not \"found\""}` {
		t.Errorf("%s", got)
	}
}
