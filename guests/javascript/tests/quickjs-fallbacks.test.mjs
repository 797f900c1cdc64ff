// utf8 and json without TextEncoder and TextDecoder, as under QuickJS: the same answers as
// Node's own codecs, on the cases of every kind and on random bytes.

import assert from "node:assert/strict";
import { test } from "node:test";

const encoder = new TextEncoder();
const decoder = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });
delete globalThis.TextEncoder;
delete globalThis.TextDecoder;
const { json, utf8 } = await import("../sdk/index.js");
const { JSON_CASES, NOT_UTF8 } = await import("./json-cases.mjs");

test("the fallbacks are the ones tested", () => {
  assert.equal(typeof globalThis.TextDecoder, "undefined");
});

test("encode as TextEncoder does, lone surrogates as U+FFFD", () => {
  for (const text of ["", "abc", "café", "😀 x", "\ud800", "a\udc00b", "\u0000\u007f\u0080\u07ff\u0800\uffff", "%41% + /"]) {
    assert.deepEqual(utf8.encode(text), encoder.encode(text), JSON.stringify(text));
  }
});

test("decode as a fatal TextDecoder does, the byte-order mark kept", () => {
  const samples = [[], [0x61], [0xc3, 0xa9], [0xef, 0xbb, 0xbf, 0x7b, 0x7d], [0xf0, 0x9f, 0x98, 0x80], [0x25, 0x34, 0x31], ...NOT_UTF8];
  for (let i = 0; i < 3000; i++) {
    const bytes = [];
    for (let k = Math.floor(Math.random() * 8); k > 0; k--) bytes.push(Math.random() < 0.5 ? Math.floor(Math.random() * 256) : 0x80 + Math.floor(Math.random() * 64));
    samples.push(bytes);
  }
  const big = new Uint8Array(10000).fill(0x61);
  samples.push([...big], [...big.fill(0xff, 9000, 9001)]);
  for (const sample of samples) {
    const bytes = new Uint8Array(sample);
    let want;
    try {
      want = decoder.decode(bytes);
    } catch {
      want = TypeError;
    }
    if (want === TypeError) assert.throws(() => utf8.decode(bytes), TypeError, String(sample.slice(0, 8)));
    else assert.equal(utf8.decode(bytes), want);
  }
});

test("strict JSON, from text and from bytes", () => {
  for (const [text, ok] of JSON_CASES) {
    assert.equal(json.parse(text) !== undefined, ok, text.slice(0, 40));
    assert.equal(json.parse(encoder.encode(text)) !== undefined, ok, text.slice(0, 40));
  }
  for (const bytes of NOT_UTF8) assert.equal(json.parse(new Uint8Array(bytes)), undefined);
  assert.deepEqual(json.read(encoder.encode('{"k":"é"}')), { value: { k: "é" }, text: '{"k":"é"}' });
  assert.deepEqual(json.read(encoder.encode('{"k":"\\u00e9"}')), { value: { k: "é" }, text: '{"k":"\\u00e9"}' });
});
