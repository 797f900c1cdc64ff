// JSON read as strictly as RFC 8259 and the host (Rust's `serde_json`) read it, so that a
// plugin refuses the same untrusted input (a token's payload, a request body) in every
// language:
//
//     const item = json.parse(req.body());
//     if (item === null || typeof item !== "object" || Array.isArray(item)) {
//       return Response.json(400, '{"error":"body must be a JSON object"}');
//     }
//
// `parse` is the engine's native `JSON.parse` with what it lets through refused: text that is
// not UTF-8, lone surrogate escapes (`"\ud800"`, which no UTF-8 text can carry on), numbers
// beyond a double's range (`1e400`, which `JSON.parse` reads as Infinity and `JSON.stringify`
// writes as `null`), and nesting deeper than 127 arrays and objects. Writing needs no care:
// `JSON.stringify` writes what the host reads (numbers are compared by value, so its `1` for
// `1.0` or its rounding of integers past 2^53 to the nearest double does not matter).

import { decode } from "./utf8.js";

/** The deepest nesting of arrays and objects `parse` reads (serde_json refuses a 128th level). */
export const MAX_DEPTH = 127;

/**
 * The value the JSON text `input` (UTF-8 bytes or a string) holds, or `undefined` when it is
 * not strict JSON. JSON white space may surround the value; nothing else may.
 */
export function parse(input) {
  return typeof input === "string" ? parseText(input, true) : read(input)?.value;
}

/**
 * The JSON the UTF-8 bytes `bytes` hold, as `{ value, text }` (the value and the text it was
 * read from), or `undefined` when they are not strict JSON. For a plugin that passes the text
 * on as it is (an identity's claims) besides reading the value.
 */
export function read(bytes) {
  let text;
  let escapes = true;
  if (HAS_TEXT_DECODER) {
    try {
      // A byte-order mark is kept, so that `JSON.parse` refuses it as the host does.
      text = decode(bytes);
    } catch {
      return undefined;
    }
  } else {
    // QuickJS: the bytes as one character each. When none is past ASCII or a backslash (the
    // common case, found in one pass), that is the text and it holds no escape.
    text = atob(bytes.toBase64());
    escapes = NON_ASCII_OR_BACKSLASH.test(text);
    if (escapes) {
      try {
        text = decode(bytes);
      } catch {
        return undefined;
      }
    }
  }
  const value = parseText(text, escapes);
  return value === undefined ? undefined : { value, text };
}

const HAS_TEXT_DECODER = typeof TextDecoder === "function";
const NON_ASCII_OR_BACKSLASH = /[\\\x80-\uffff]/;

// `text` parsed strictly; `escapes`: whether it may hold a backslash.
function parseText(text, escapes) {
  let value;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  // A lone surrogate needs an escape, a number out of range an exponent or 309 digits, and a
  // nesting past the limit more than 127 opening brackets (and as many closing ones): most
  // texts need no closer look. Each pass over the text costs (QuickJS scans strings slowly,
  // and fastest with one character class), so a text is scanned for an exponent, and for the
  // others only when it may hold them.
  if (escapes && ESCAPED_SURROGATE.test(text) && !surrogatesPaired(text)) return undefined;
  const mayOverflow = EXPONENT.test(text) || (text.length >= 309 && LONG_DIGITS.test(text));
  const mayNest = text.length > 2 * MAX_DEPTH && brackets(text) > MAX_DEPTH;
  if ((mayOverflow || mayNest) && !withinLimits(value, 0)) return undefined;
  return value;
}

const EXPONENT = /[0-9][eE]/;
const ESCAPED_SURROGATE = /\\u[dD][89a-fA-F]/;
const LONG_DIGITS = /[0-9]{309}/;
// Every escape of a text, in order, with an escaped high or low surrogate captured: an escaped
// backslash is consumed whole, so the `u` after it is not taken for an escape.
const ESCAPE = /\\(?:u([dD][89abAB][0-9a-fA-F]{2})|u([dD][c-fC-F][0-9a-fA-F]{2})|.)/g;

// Whether every escaped high surrogate is directly followed by an escaped low one, and every
// escaped low one directly follows an escaped high one.
function surrogatesPaired(text) {
  ESCAPE.lastIndex = 0;
  let lowExpectedAt = -1;
  for (let m = ESCAPE.exec(text); m !== null; m = ESCAPE.exec(text)) {
    const low = m[2] !== undefined;
    if (lowExpectedAt >= 0) {
      if (m.index !== lowExpectedAt || !low) return false;
      lowExpectedAt = -1;
    } else if (low) {
      return false;
    } else if (m[1] !== undefined) {
      lowExpectedAt = ESCAPE.lastIndex;
    }
  }
  return lowExpectedAt < 0;
}

function brackets(text) {
  let count = 0;
  for (let i = text.indexOf("[", 0); i >= 0; i = text.indexOf("[", i + 1)) count++;
  for (let i = text.indexOf("{", 0); i >= 0; i = text.indexOf("{", i + 1)) count++;
  return count;
}

// Whether `value` holds only finite numbers and nests at most MAX_DEPTH deep (`depth` being
// the nesting it is found at).
function withinLimits(value, depth) {
  if (typeof value === "number") return Number.isFinite(value);
  if (value === null || typeof value !== "object") return true;
  if (depth === MAX_DEPTH) return false;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) if (!withinLimits(value[i], depth + 1)) return false;
    return true;
  }
  for (const key in value) if (!withinLimits(value[key], depth + 1)) return false;
  return true;
}

/** Whether `value` is a JSON object (not an array, not `null`). */
export function isObject(value) {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}
