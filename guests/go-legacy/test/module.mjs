// Drives a built Go plugin module as the host's adapter does, under Node's WASI preview 1:
// `_initialize` once per instance; per call, malloc a buffer for each JSON text, call
// plugin_auth_authenticate, read one JSON value from the pointer it returns (no length, no
// terminator) and free the buffers. Shared by wasi-smoke.mjs and ../call.mjs.

import { readFileSync } from "node:fs";
import { WASI } from "node:wasi";

/** How far an answer is scanned before it counts as unterminated, as the adapter caps it. */
export const MAX_ANSWER_BYTES = 16 << 20;

const decoder = new TextDecoder("utf-8", { fatal: true });

/** A fresh, initialized instance of the module at path: {module, exports}. */
export async function instantiate(path) {
  const module = await WebAssembly.compile(readFileSync(path));
  return { module, exports: initialize(module) };
}

/** The exports of a fresh instance of a compiled module, after `_initialize`. */
export function initialize(module) {
  const wasi = new WASI({ version: "preview1", args: [], env: {}, returnOnExit: false });
  const instance = new WebAssembly.Instance(module, wasi.getImportObject());
  wasi.initialize(instance);
  return instance.exports;
}

/** The end (exclusive) of the one JSON value that starts at ptr. */
function scanJson(memory, ptr) {
  const bytes = new Uint8Array(memory.buffer);
  const limit = Math.min(bytes.length, ptr + MAX_ANSWER_BYTES);
  let i = ptr;
  while (i < limit && (bytes[i] === 0x20 || bytes[i] === 0x09 || bytes[i] === 0x0a || bytes[i] === 0x0d)) i++;
  let depth = 0;
  let inString = false;
  for (; i < limit; i++) {
    const c = bytes[i];
    if (inString) {
      if (c === 0x5c) i++;
      else if (c === 0x22) {
        inString = false;
        if (depth === 0) return i + 1;
      }
    } else if (c === 0x22) inString = true;
    else if (c === 0x7b || c === 0x5b) depth++;
    else if (c === 0x7d || c === 0x5d) {
      if (--depth === 0) return i + 1;
    } else if (depth === 0 && !/[-+.0-9a-zA-Z]/.test(String.fromCharCode(c))) return i;
  }
  throw new Error(`no complete JSON value within ${MAX_ANSWER_BYTES} bytes of ${ptr}`);
}

/** The JSON text at ptr, an answer or the capabilities. */
export function readJson(exports, ptr) {
  if (ptr === 0) throw new Error("null answer pointer");
  const end = scanJson(exports.memory, ptr);
  return decoder.decode(new Uint8Array(exports.memory.buffer, ptr, end - ptr));
}

/** Copy bytes into a fresh malloc buffer and return its address. */
export function put(exports, bytes) {
  const ptr = exports.malloc(bytes.length) >>> 0;
  if (ptr === 0) throw new Error(`malloc(${bytes.length}) returned 0`);
  new Uint8Array(exports.memory.buffer, ptr, bytes.length).set(bytes);
  return ptr;
}

/** One call: context and credentials are UTF-8 bytes; returns the answer text. */
export function authenticate(exports, context, credentials) {
  const ctx = put(exports, context);
  const creds = put(exports, credentials);
  try {
    return readJson(exports, exports.plugin_auth_authenticate(ctx, context.length, creds, credentials.length) >>> 0);
  } finally {
    exports.free(ctx);
    exports.free(creds);
  }
}

/** The module's capabilities JSON, parsed. */
export function capabilities(exports) {
  return JSON.parse(readJson(exports, exports.plugin_auth_capabilities() >>> 0));
}
