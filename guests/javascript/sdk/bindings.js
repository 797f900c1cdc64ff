// The host's WIT interfaces (`mockforge:plugin@0.2.0`), as the engine's generated bindings
// give them, and what the SDK needs to know about how each engine hands values over.
//
// Both engines build (see ../README.md) present an import as an ES module named after the
// interface whose exports are its functions (and, for `crypto`, the `PublicKey` class); the
// QuickJS one also offers them as a default export. Both lift `option` none as `null` or
// `undefined` and accept either when lowering; both throw an `Error` whose `payload` is the
// `err` case (`{ tag, val }`) when an imported function returns a WIT `result` error, and read
// a thrown object's `payload` (or the object itself) as the `err` of an exported function's
// result. 64-bit integers are BigInts in one engine and Numbers in the other: the SDK passes
// Numbers (both accept them) and converts what it gets with `Number`.
//
// Plugins use the SDK's wrappers (config, log, crypto, kv), never these objects directly.

import * as configNs from "mockforge:plugin/config@0.2.0";
import * as cryptoNs from "mockforge:plugin/crypto@0.2.0";
import * as kvNs from "mockforge:plugin/kv@0.2.0";
import * as logNs from "mockforge:plugin/log@0.2.0";

/** `mockforge:plugin/config`: `get(key)`, `keys()`. */
export const config = configNs;
/** `mockforge:plugin/crypto`: digests, HMACs, random bytes and the `PublicKey` resource. */
export const crypto = cryptoNs;
/** `mockforge:plugin/kv`: the plugin's key-value store. */
export const kv = kvNs;
/** `mockforge:plugin/log`: `log(level, message, fields)`. */
export const log = logNs;

/** The WIT error (`{ tag, val }`) an imported function threw, or `undefined` when `e` is some
 * other exception (which the caller rethrows). */
export function errorPayload(e) {
  const payload = e !== null && typeof e === "object" ? e.payload : undefined;
  return payload !== null && typeof payload === "object" && typeof payload.tag === "string" ? payload : undefined;
}
