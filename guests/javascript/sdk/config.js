// The plugin's own configuration: the `[config]` table of its manifest, as text.
//
//     const secret = config.require("secret");
//     const leeway = config.uint("leeway-seconds") ?? 0;

import { config as wit } from "./bindings.js";

import { InvalidConfig } from "./errors.js";
import { debugStr, parseUint, trim } from "./text.js";

/** The value of `key`, or `undefined` when it is not set. */
export function get(key) {
  return wit.get(key) ?? undefined;
}

/** Every key that is set, sorted. */
export function keys() {
  return wit.keys();
}

/** The value of `key`; throws `InvalidConfig` naming the key when it is not set. */
export function require(key) {
  const value = get(key);
  if (value === undefined) throw new InvalidConfig(`missing config key \`${key}\``);
  return value;
}

/**
 * The value of `key` as an unsigned integer of `bits` bits (a `Number`, or a `BigInt` above
 * 2^53), `undefined` when it is not set, or `InvalidConfig` naming the key and value when it
 * does not parse. Surrounding white space is ignored. Parsing and messages are those of the
 * Rust SDK's `config::parse::<uN>`, so that a plugin behaves the same in either language.
 */
export function uint(key, bits = 64) {
  const value = get(key);
  if (value === undefined) return undefined;
  const parsed = parseUint(trim(value), bits);
  if (typeof parsed === "string") {
    throw new InvalidConfig(`config key \`${key}\` = ${debugStr(value)}: ${parsed}`);
  }
  return parsed;
}
