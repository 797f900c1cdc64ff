import { JsonKind, JsonObject } from "./json/value";
import { trim } from "./text";

/** A config value read as an unsigned integer: `present` is false when the key is not set;
 * otherwise `error` is null and `value` holds the number, or `error` says why it is not one. */
export class ConfigU64 {
  constructor(public present: bool, public value: u64, public error: string | null) {}
}

/** The plugin's own configuration: the `[config]` table of its manifest, as the host sends it
 * (every value a string). */
export class Config {
  constructor(private table: JsonObject | null) {}

  /** The value of `key`, or null when it is not set. */
  get(key: string): string | null {
    const table = this.table;
    if (table === null) return null;
    const value = table.get(key);
    if (value === null || value.kind == JsonKind.Null) return null;
    // The host sends strings; a number or boolean from another host is taken as its text.
    const text = value.asString();
    return text !== null ? text : value.text();
  }

  /** Whether `key` is set. */
  has(key: string): bool {
    return this.get(key) !== null;
  }

  /** The keys that are set, in the order the host sent them. */
  keys(): Array<string> {
    const keys = new Array<string>();
    const table = this.table;
    if (table === null) return keys;
    const members = table.members();
    for (let i = 0; i < members.length; i++) {
      const member = unchecked(members[i]);
      if (member.value.kind != JsonKind.Null) keys.push(member.name);
    }
    return keys;
  }

  /** The value of `key` as an unsigned 64-bit integer, read as Rust's `u64::from_str` reads
   * the trimmed text: an optional `+`, then decimal digits only. */
  u64(key: string): ConfigU64 {
    const text = this.get(key);
    if (text === null) return new ConfigU64(false, 0, null);
    const digits = trim(text);
    let i = digits.length > 0 && digits.charCodeAt(0) == 0x2b ? 1 : 0;
    if (i == digits.length) return invalid(key, text, "not a number");
    let value: u64 = 0;
    for (; i < digits.length; i++) {
      const d = <u64>(<u32>digits.charCodeAt(i) - 0x30);
      if (d > 9) return invalid(key, text, "not an unsigned integer");
      if (value > (u64.MAX_VALUE - d) / 10) return invalid(key, text, "too large for a u64");
      value = value * 10 + d;
    }
    return new ConfigU64(true, value, null);
  }
}

function invalid(key: string, text: string, why: string): ConfigU64 {
  return new ConfigU64(true, 0, "config key `" + key + "` = \"" + text + "\": " + why);
}
