// A key-value store private to the plugin, kept by the host (the WIT `kv` import): every
// instance of the plugin sees the same store, no other plugin sees it, and it lives as long as
// the plugin is loaded. Values are bytes; a string given to `set` is stored as UTF-8.
//
//     const visits = kv.increment("visits");          // 1, 2, ... (atomic)
//     kv.set("session:42", token, { ttlMs: 60_000 }); // expires in a minute
//     kv.getText("session:42");                       // the text, or undefined
//     kv.keys("session:");                            // sorted
//     kv.delete("session:42");                        // whether it was there
//
// A write the host refuses throws a `KvError`: `InvalidKey`, `ValueTooLarge`, `QuotaExceeded`
// or `NotANumber`, whose message names the cap passed.

import { errorPayload, kv as wit } from "./bindings.js";
import { decode, encode } from "./utf8.js";

/** What `keys` returns at most by default: every key. */
export const ALL = 0xffff_ffff;

/** Why the store refused a write; `message` is the host's text. */
export class KvError extends Error {}

/** The key is empty or longer than the plugin's key cap. */
export class InvalidKey extends KvError {}

/** The value is longer than the plugin's value cap. */
export class ValueTooLarge extends KvError {}

/** Storing the value would pass the plugin's cap on keys or total bytes. */
export class QuotaExceeded extends KvError {}

/** `increment` found a value that is not a decimal 64-bit integer, or the sum overflows. */
export class NotANumber extends KvError {}

/** The value of `key` (a `Uint8Array`); `undefined` when it is absent or has expired. */
export function get(key) {
  return wit.get(key) ?? undefined;
}

/** The value of `key` as UTF-8 text; `undefined` when it is absent or has expired. Throws a
 * `TypeError` when the value is not UTF-8. */
export function getText(key) {
  const value = get(key);
  return value === undefined ? undefined : decode(value);
}

/** Store `value` (bytes, or a string stored as UTF-8) under `key`, replacing any value; it
 * expires after `ttlMs` milliseconds when given, never otherwise. */
export function set(key, value, { ttlMs } = {}) {
  const data = typeof value === "string" ? encode(value) : value;
  hostCall(() => wit.set(key, data, ttlMs ?? null));
}

/** Remove `key`; whether it was there. Exported as `delete` (`kv.delete(key)`). */
function remove(key) {
  return wit.delete(key);
}
export { remove as delete };

/** Add `delta` (an integer, 1 by default) to the decimal integer stored under `key` (0 when
 * absent) atomically, store the sum and return it (a Number). The key keeps its time to live. */
export function increment(key, delta = 1) {
  return Number(hostCall(() => wit.increment(key, delta)));
}

/** The live keys that start with `prefix`, sorted, at most `limit` of them. */
export function keys(prefix = "", limit = ALL) {
  return wit.keys(prefix, limit);
}

const ERRORS = {
  "invalid-key": InvalidKey,
  "value-too-large": ValueTooLarge,
  "quota-exceeded": QuotaExceeded,
  "not-a-number": NotANumber,
};

// Call the host, turning a `kv-error` into this module's exception.
function hostCall(f) {
  try {
    return f();
  } catch (e) {
    const payload = errorPayload(e);
    if (payload === undefined) throw e;
    throw new (ERRORS[payload.tag] ?? KvError)(payload.val);
  }
}
