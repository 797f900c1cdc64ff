// `mockforge:plugin/kv` stand-in: a Map, BigInts for 64-bit integers (as StarlingMonkey
// gives them), errors as the host words them.

import { ComponentError } from "./wit-error.mjs";

/** The store; tests may read it. */
export const store = new Map();

/** The value of `key`, or null. */
export function get(key) {
  return store.get(key) ?? null;
}

/** Store `value` under `key`; an empty key is refused. */
export function set(key, value, ttlMs) {
  if (key === "") throw new ComponentError({ tag: "invalid-key", val: "the key is empty" });
  if (!(value instanceof Uint8Array)) throw new TypeError("list<u8> expected");
  store.set(key, value);
}

/** Remove `key`; whether it was there. */
function remove(key) {
  return store.delete(key);
}
export { remove as delete };

/** Add `delta` to the decimal integer under `key`. */
export function increment(key, delta) {
  const text = store.has(key) ? new TextDecoder().decode(store.get(key)) : "0";
  if (!/^-?[0-9]+$/.test(text)) {
    throw new ComponentError({ tag: "not-a-number", val: `the value under \`${key}\` is not a decimal 64-bit integer` });
  }
  const sum = BigInt(text) + BigInt(delta);
  store.set(key, new TextEncoder().encode(String(sum)));
  return sum;
}

/** The keys starting with `prefix`, sorted, at most `limit`. */
export function keys(prefix, limit) {
  return [...store.keys()].filter((k) => k.startsWith(prefix)).sort().slice(0, limit);
}
