// JSON read and written exactly as the Rust plugin's `serde_json` (with `preserve_order`)
// does, so that the same token yields the same verdict and the same claim texts in both
// languages.
//
// `JSON.parse` cannot serve: it forgets whether a number was written as an integer (`1` and
// `1.0` are both 1), rounds integers above 2^53, and orders integer-like keys first. Values
// here are: null, booleans, strings, integers that fit a u64 or an i64 as BigInts, other
// numbers as Numbers, arrays, and objects as Maps in text order.

// serde_json refuses a 128th level of nested arrays and objects.
const MAX_DEPTH = 127;
const U64_MAX = (1n << 64n) - 1n;
const I64_MIN = -(1n << 63n);

class Refused extends Error {}

/** The value the UTF-8 JSON bytes `raw` hold, or `undefined` when serde_json would refuse it. */
export function parse(raw) {
  let text;
  try {
    text = DECODER.decode(raw);
  } catch {
    return undefined; // not UTF-8
  }
  if (!mayDisagree(text)) {
    try {
      const value = lift(JSON.parse(text), 0);
      if (value !== TOO_DEEP) return value;
    } catch {
      // Not JSON: the parser below says so too.
    }
  }
  const parser = new Parser(text);
  try {
    const value = parser.value(parser.next(), 0);
    if (parser.next() !== END) return undefined;
    return value;
  } catch (e) {
    if (e instanceof Refused) return undefined;
    throw e;
  }
}

// Invalid UTF-8 throws; a byte order mark is kept, so that it is refused like serde_json does.
const DECODER = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });

// The engine's `JSON.parse` runs natively, the parser below is interpreted: a text goes to
// `JSON.parse` when nothing in it can make the two disagree. That rules out an escaped
// surrogate (JSON.parse keeps a lone one), `-0` (a float in serde_json), a fraction or an
// exponent (the value would forget it was written as a float; an exponent may overflow), an
// integer of 16 digits or more (past 2^53) and an integer-like key (objects list those first).
// The tests are loose: text inside strings may send a text to the parser needlessly, never
// the other way round. Nesting deeper than the limit is caught while lifting the value.
function mayDisagree(text) {
  return (
    ((text.includes("\\u") || text.includes("-0")) && ESCAPED_SURROGATE_OR_MINUS_ZERO.test(text)) ||
    NOT_SAFE_INTEGER.test(text) ||
    INTEGER_KEY.test(text)
  );
}

const ESCAPED_SURROGATE_OR_MINUS_ZERO = /\\u[dD][89a-fA-F]|-0/;
const NOT_SAFE_INTEGER = /[0-9](?:[.eE]|[0-9]{15})/;
const INTEGER_KEY = /"(?:0|[1-9][0-9]*)"[ \t\n\r]*:/;
const TOO_DEEP = Symbol("too deep");

// A value from `JSON.parse` of a text `mayDisagree` let through, in this module's types (its
// numbers are all integers below 2^53), or TOO_DEEP past the depth limit.
function lift(value, depth) {
  if (typeof value === "number") return BigInt(value);
  if (value === null || typeof value !== "object") return value;
  if (depth === MAX_DEPTH) return TOO_DEEP;
  if (Array.isArray(value)) {
    const items = new Array(value.length);
    for (let i = 0; i < value.length; i++) {
      if ((items[i] = lift(value[i], depth + 1)) === TOO_DEEP) return TOO_DEEP;
    }
    return items;
  }
  const map = new Map();
  const keys = Object.keys(value);
  for (let i = 0; i < keys.length; i++) {
    const item = lift(value[keys[i]], depth + 1);
    if (item === TOO_DEEP) return TOO_DEEP;
    map.set(keys[i], item);
  }
  return map;
}

// One token after optional white space. StarlingMonkey interprets JavaScript but runs regular
// expressions natively, so the scanning is left to this expression: a string token is only
// matched when it is valid (no raw control characters, only known escapes).
const TOKEN =
  /[ \t\n\r]*(?:([{}[\]:,])|"((?:[^"\\\x00-\x1f]+|\\(?:["\\/bfnrt]|u[0-9A-Fa-f]{4}))*)"|(-?(?:0|[1-9][0-9]*)((?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?))|(true|false|null)|$)/y;
const END = Symbol("end");
const ESCAPE = /\\(?:u([dD][89abAB][0-9A-Fa-f]{2})\\u([dD][c-fC-F][0-9A-Fa-f]{2})|u([0-9A-Fa-f]{4})|(.))/g;
const ESCAPES = { '"': '"', "\\": "\\", "/": "/", b: "\b", f: "\f", n: "\n", r: "\r", t: "\t" };
const LITERALS = { true: true, false: false, null: null };

class Parser {
  constructor(text) {
    this.text = text;
    TOKEN.lastIndex = 0;
  }

  // The next token: a punctuation character, a `{ string }`, a `{ number }`, a literal's
  // value wrapped as `{ literal }`, or END.
  next() {
    const m = TOKEN.exec(this.text);
    if (m === null) throw new Refused();
    if (m[1] !== undefined) return m[1];
    if (m[2] !== undefined) return { string: m[2] };
    if (m[3] !== undefined) return { number: m[3], fraction: m[4] !== "" };
    if (m[5] !== undefined) return { literal: LITERALS[m[5]] };
    return END;
  }

  value(token, depth) {
    if (token === "{" || token === "[") {
      if (depth + 1 > MAX_DEPTH) throw new Refused();
      return token === "{" ? this.object(depth + 1) : this.array(depth + 1);
    }
    if (typeof token !== "object") throw new Refused();
    if ("string" in token) return unescape(token.string);
    if ("number" in token) return number(token.number, token.fraction);
    return token.literal;
  }

  object(depth) {
    const map = new Map();
    let token = this.next();
    if (token === "}") return map;
    for (;;) {
      if (typeof token !== "object" || !("string" in token)) throw new Refused();
      if (this.next() !== ":") throw new Refused();
      // A repeated key keeps its first place and takes its last value, as an IndexMap does.
      map.set(unescape(token.string), this.value(this.next(), depth));
      const after = this.next();
      if (after === "}") return map;
      if (after !== ",") throw new Refused();
      token = this.next();
    }
  }

  array(depth) {
    const items = [];
    let token = this.next();
    if (token === "]") return items;
    for (;;) {
      items.push(this.value(token, depth));
      const after = this.next();
      if (after === "]") return items;
      if (after !== ",") throw new Refused();
      token = this.next();
    }
  }
}

// The text of a string token's content. As serde_json, an escaped surrogate must be an
// escaped high one followed by an escaped low one.
function unescape(content) {
  if (!content.includes("\\")) return content;
  return content.replace(ESCAPE, (_, high, low, unit, short) => {
    if (high !== undefined) return String.fromCharCode(parseInt(high, 16), parseInt(low, 16));
    if (unit !== undefined) {
      const code = parseInt(unit, 16);
      if (code >= 0xd800 && code <= 0xdfff) throw new Refused();
      return String.fromCharCode(code);
    }
    return ESCAPES[short];
  });
}

// As serde_json: integers that fit a u64 (or, when negative, an i64) stay integers (BigInts);
// others, and `-0`, become floats.
function number(literal, fraction) {
  if (!fraction) {
    const n = BigInt(literal);
    if (literal[0] !== "-" && n <= U64_MAX) return n;
    if (n < 0n && n >= I64_MIN) return n;
  }
  const x = Number(literal);
  if (!Number.isFinite(x)) throw new Refused();
  return x;
}

/** `value` as compact JSON text, byte for byte as `serde_json::Value::to_string`. */
export function stringify(value) {
  if (value === null) return "null";
  switch (typeof value) {
    case "boolean":
      return String(value);
    case "bigint":
      return value.toString();
    case "number":
      return formatFloat(value);
    case "string":
      return quote(value);
  }
  const parts = [];
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) parts.push(stringify(value[i]));
    return `[${parts.join(",")}]`;
  }
  value.forEach((item, key) => parts.push(`${quote(key)}:${stringify(item)}`));
  return `{${parts.join(",")}}`;
}

// The engine's (native) string quoting escapes what serde_json escapes: `"`, `\\`,
// `\b \f \n \r \t`, other control characters as `\\u00xx`; the lone surrogates it would
// also escape are refused by `parse`.
const quote = JSON.stringify;

/** A finite float as serde_json writes it (the shortest round-trip digits, laid out as the
 * `zmij` crate does): `1.0`, `0.001`, `1e+16`, `1.5e-7`, `-0.0`. */
export function formatFloat(x) {
  if (x === 0) return Object.is(x, -0) ? "-0.0" : "0.0";
  const minus = x < 0 ? "-" : "";
  const [mantissa, exponent] = Math.abs(x).toExponential().split("e");
  const digits = mantissa.replace(".", "");
  const exp10 = Number(exponent);
  if (exp10 >= -5 && exp10 <= 15) {
    if (digits.length - 1 <= exp10) return `${minus}${digits}${"0".repeat(exp10 + 1 - digits.length)}.0`;
    if (exp10 >= 0) return `${minus}${digits.slice(0, exp10 + 1)}.${digits.slice(exp10 + 1)}`;
    return `${minus}0.${"0".repeat(-exp10 - 1)}${digits}`;
  }
  const lead = digits.length > 1 ? `${digits[0]}.${digits.slice(1)}` : digits;
  return `${minus}${lead}e${exp10 >= 0 ? "+" : "-"}${Math.abs(exp10)}`;
}
