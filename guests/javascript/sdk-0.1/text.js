// Text handling that must agree byte for byte with the Rust SDK and plugins (`str::trim`,
// `str::parse` of unsigned integers, `{:?}` of a string), so that a plugin written in
// JavaScript reports the same values and messages as its Rust twin.

// Unicode's White_Space property, which Rust's `str::trim` strips. `String.prototype.trim`
// also strips U+FEFF and keeps U+0085.
const WHITE_SPACE = "[\\t\\n\\v\\f\\r \\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000]";
const EDGES = new RegExp(`^${WHITE_SPACE}+|${WHITE_SPACE}+$`, "g");

/** `value` without leading and trailing Unicode white space, as Rust's `str::trim`. */
export function trim(value) {
  // Most values start and end with a visible ASCII character: no regular expression needed.
  const first = value.charCodeAt(0);
  const last = value.charCodeAt(value.length - 1);
  if (first > 0x20 && first < 0x7f && last > 0x20 && last < 0x7f) return value;
  return value.replace(EDGES, "");
}

/** `value` parsed as Rust parses a `u{bits}` (a Number, or a BigInt above 2^53), or the
 * text of Rust's error. */
export function parseUint(value, bits) {
  if (value === "") return "cannot parse integer from empty string";
  const digits = value[0] === "+" && value.length > 1 ? value.slice(1) : value;
  const limit = (1n << BigInt(bits)) - 1n;
  let number = 0n;
  for (const c of digits) {
    if (c < "0" || c > "9") return "invalid digit found in string";
    number = number * 10n + BigInt(c.charCodeAt(0) - 48);
    if (number > limit) return "number too large to fit in target type";
  }
  return number <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(number) : number;
}

const SHORT_ESCAPES = { "\0": "\\0", "\t": "\\t", "\r": "\\r", "\n": "\\n", '"': '\\"', "\\": "\\\\" };
// Rust escapes control, format, separator (other than the space), private-use and unassigned
// code points, and combining marks. StarlingMonkey has no Unicode property escapes, so these
// are the common ranges of those classes, not Rust's full tables.
const UNPRINTABLE =
  /[\x00-\x1f\x7f-\xa0\xad\u0300-\u036f\u061c\u1680\u180e\u2000-\u200f\u2028-\u202f\u205f-\u206f\u3000\ud800-\udfff\ue000-\uf8ff\ufe00-\ufe0f\ufeff\ufff0-\ufffb]/;

/** `value` quoted and escaped as Rust's `format!("{:?}", value)` writes it. */
export function debugStr(value) {
  let out = '"';
  for (const c of value) {
    if (c in SHORT_ESCAPES) out += SHORT_ESCAPES[c];
    else if (UNPRINTABLE.test(c) || c.codePointAt(0) >= 0xf0000) out += `\\u{${c.codePointAt(0).toString(16)}}`;
    else out += c;
  }
  return out + '"';
}
