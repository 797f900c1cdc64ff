// utf8 and json with the engine's TextEncoder and TextDecoder (StarlingMonkey's path).

import assert from "node:assert/strict";
import { test } from "node:test";

import { json, utf8 } from "../sdk/index.js";
import { JSON_CASES, NOT_UTF8 } from "./json-cases.mjs";

test("strict JSON, from text and from bytes", () => {
  for (const [text, ok] of JSON_CASES) {
    assert.equal(json.parse(text) !== undefined, ok, text.slice(0, 40));
    assert.equal(json.parse(utf8.encode(text)) !== undefined, ok, text.slice(0, 40));
  }
  for (const bytes of NOT_UTF8) assert.equal(json.parse(new Uint8Array(bytes)), undefined);
  assert.deepEqual(json.read(utf8.encode('{"k":"é"}')), { value: { k: "é" }, text: '{"k":"é"}' });
});
