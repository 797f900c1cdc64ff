// A strict JSON parser (RFC 8259) that accepts exactly what serde_json accepts, because a
// plugin ported from Rust must refuse the same tokens: no trailing commas, comments, leading
// zeros, bare decimal points, `NaN`, raw control characters in strings, unknown escapes or
// unpaired surrogate escapes; numbers must fit an f64; at most 127 nested arrays and objects;
// only whitespace may follow the value.

import { ESCAPED, hex4, JsonDocument, JsonKind, JsonValue, numberValue, TapeWriter } from "./value";

/** serde_json's recursion limit: it refuses a 128th level of nested arrays and objects. */
export const MAX_DEPTH = 127;

/** A number this long (before its point) or with an exponent may overflow an f64, and is
 * parsed to find out; shorter ones cannot (f64 reaches 1.8e308). */
const SAFE_INTEGER_DIGITS = 300;

/** Reads one JSON document. `parse` returns its root value, or null with `error` saying what
 * is wrong and where. */
export class JsonParser {
  /** Why `parse` failed; empty when it did not. */
  error: string = "";
  private src: usize;
  private pos: i32 = 0;
  private length: i32;
  private depth: i32 = 0;
  private tape: TapeWriter;

  constructor(public source: string) {
    this.src = changetype<usize>(source);
    this.length = source.length;
    // Most values take more than eight characters with their separators.
    this.tape = new TapeWriter((source.length >> 3) + 8);
  }

  /** The value the whole text holds, or null when it is not one JSON value (optionally
   * surrounded by whitespace). Call once. */
  parse(): JsonValue | null {
    this.skipWhitespace();
    if (!this.value()) return null;
    this.skipWhitespace();
    if (this.pos < this.length) {
      this.fail(this.pos, "trailing characters");
      return null;
    }
    return new JsonDocument(this.source, this.tape.tape).root();
  }

  private value(): bool {
    if (this.pos >= this.length) return this.fail(this.pos, "EOF while parsing a value");
    const c = this.peek();
    switch (c) {
      case 0x7b: return this.object(); // {
      case 0x5b: return this.array(); // [
      case 0x22: return this.string(); // "
      case 0x74: return this.literal("true", JsonKind.Bool);
      case 0x66: return this.literal("false", JsonKind.Bool);
      case 0x6e: return this.literal("null", JsonKind.Null);
    }
    if (c == 0x2d || c - 0x30 < 10) return this.number();
    return this.fail(this.pos, "expected value");
  }

  private object(): bool {
    const start = this.pos;
    if (++this.depth > MAX_DEPTH) return this.fail(start, "recursion limit exceeded");
    const node = this.tape.push(JsonKind.Object, start, start);
    this.pos++;
    this.skipWhitespace();
    if (this.pos < this.length && this.peek() == 0x7d) {
      this.pos++;
    } else {
      while (true) {
        if (this.pos >= this.length || this.peek() != 0x22) return this.fail(this.pos, "key must be a string");
        if (!this.string()) return false;
        this.skipWhitespace();
        if (this.pos >= this.length || this.peek() != 0x3a) return this.fail(this.pos, "expected `:`");
        this.pos++;
        this.skipWhitespace();
        if (!this.value()) return false;
        this.skipWhitespace();
        if (this.pos >= this.length) return this.fail(this.pos, "EOF while parsing an object");
        const c = this.peek();
        this.pos++;
        if (c == 0x7d) break;
        if (c != 0x2c) return this.fail(this.pos - 1, "expected `,` or `}`");
        this.skipWhitespace();
      }
    }
    this.depth--;
    this.tape.close(node, this.pos);
    return true;
  }

  private array(): bool {
    const start = this.pos;
    if (++this.depth > MAX_DEPTH) return this.fail(start, "recursion limit exceeded");
    const node = this.tape.push(JsonKind.Array, start, start);
    this.pos++;
    this.skipWhitespace();
    if (this.pos < this.length && this.peek() == 0x5d) {
      this.pos++;
    } else {
      while (true) {
        if (!this.value()) return false;
        this.skipWhitespace();
        if (this.pos >= this.length) return this.fail(this.pos, "EOF while parsing a list");
        const c = this.peek();
        this.pos++;
        if (c == 0x5d) break;
        if (c != 0x2c) return this.fail(this.pos - 1, "expected `,` or `]`");
        this.skipWhitespace();
      }
    }
    this.depth--;
    this.tape.close(node, this.pos);
    return true;
  }

  private string(): bool {
    const start = this.pos;
    const src = this.src;
    const length = this.length;
    let i = start + 1;
    let escaped = false;
    while (true) {
      // Four code units at a time while none of them needs a look (long values such as
      // tokens and bodies are mostly plain).
      while (i + 4 <= length && !needsLook(load<u64>(src + (<usize>i << 1)))) i += 4;
      if (i >= length) return this.fail(i, "EOF while parsing a string");
      const c = <u32>load<u16>(src + (<usize>i << 1));
      if (c == 0x22) break;
      if (c < 0x20) return this.fail(i, "control character while parsing a string");
      if (c != 0x5c) {
        i++;
        continue;
      }
      escaped = true;
      if (i + 1 >= length) return this.fail(i, "EOF while parsing a string");
      const e = <u32>load<u16>(src + (<usize>(i + 1) << 1));
      if (e != 0x75) {
        // " \ / b f n r t
        if (e != 0x22 && e != 0x5c && e != 0x2f && e != 0x62 && e != 0x66 && e != 0x6e && e != 0x72 && e != 0x74) {
          return this.fail(i, "invalid escape");
        }
        i += 2;
        continue;
      }
      if (!this.isHex4(i + 2)) return this.fail(i, "invalid \\u escape");
      const unit = hex4(src, i + 2);
      i += 6;
      if (unit - 0xdc00 < 0x400) return this.fail(i - 6, "lone trailing surrogate in hex escape");
      if (unit - 0xd800 < 0x400) {
        // A leading surrogate must be followed at once by an escaped trailing one.
        if (
          i + 1 >= length ||
          load<u16>(src + (<usize>i << 1)) != 0x5c ||
          load<u16>(src + (<usize>(i + 1) << 1)) != 0x75 ||
          !this.isHex4(i + 2)
        ) {
          return this.fail(i - 6, "lone leading surrogate in hex escape");
        }
        if (hex4(src, i + 2) - 0xdc00 >= 0x400) return this.fail(i, "invalid unicode code point");
        i += 6;
      }
    }
    this.pos = i + 1;
    this.tape.push(escaped ? JsonKind.String | ESCAPED : JsonKind.String, start, this.pos);
    return true;
  }

  private number(): bool {
    const start = this.pos;
    let i = start;
    if (this.at(i) == 0x2d) i++;
    const integerStart = i;
    const first = this.at(i);
    if (first == 0x30) {
      i++;
    } else if (first - 0x31 < 9) {
      while (this.at(i) - 0x30 < 10) i++;
    } else {
      return this.fail(i, "invalid number");
    }
    const integerDigits = i - integerStart;
    // A leading zero may not be followed by more digits.
    if (first == 0x30 && this.at(i) - 0x30 < 10) return this.fail(i, "invalid number");
    if (this.at(i) == 0x2e) {
      i++;
      if (this.at(i) - 0x30 >= 10) return this.fail(i, "invalid number");
      while (this.at(i) - 0x30 < 10) i++;
    }
    let exponent = false;
    const e = this.at(i);
    if (e == 0x65 || e == 0x45) {
      exponent = true;
      i++;
      const sign = this.at(i);
      if (sign == 0x2b || sign == 0x2d) i++;
      if (this.at(i) - 0x30 >= 10) return this.fail(i, "invalid number");
      while (this.at(i) - 0x30 < 10) i++;
    }
    if ((exponent || integerDigits > SAFE_INTEGER_DIGITS) && !isFinite(numberValue(this.source, start, i))) {
      return this.fail(start, "number out of range");
    }
    this.pos = i;
    this.tape.push(JsonKind.Number, start, i);
    return true;
  }

  private literal(word: string, kind: JsonKind): bool {
    const start = this.pos;
    const size = word.length;
    if (
      start + size > this.length ||
      memory.compare(this.src + (<usize>start << 1), changetype<usize>(word), <usize>size << 1) != 0
    ) {
      return this.fail(start, "expected value");
    }
    this.pos = start + size;
    this.tape.push(kind, start, this.pos);
    return true;
  }

  private isHex4(i: i32): bool {
    if (i + 4 > this.length) return false;
    for (let k = 0; k < 4; k++) {
      const d = <u32>load<u16>(this.src + (<usize>(i + k) << 1));
      if (d - 0x30 >= 10 && (d | 0x20) - 0x61 >= 6) return false;
    }
    return true;
  }

  private skipWhitespace(): void {
    const src = this.src;
    const length = this.length;
    let i = this.pos;
    while (i < length) {
      const c = load<u16>(src + (<usize>i << 1));
      if (c != 0x20 && c != 0x0a && c != 0x0d && c != 0x09) break;
      i++;
    }
    this.pos = i;
  }

  // @ts-ignore: decorator
  @inline
  private peek(): u32 {
    return <u32>load<u16>(this.src + (<usize>this.pos << 1));
  }

  /** The code unit at `i`, or one that no rule accepts past the end. */
  // @ts-ignore: decorator
  @inline
  private at(i: i32): u32 {
    return i < this.length ? <u32>load<u16>(this.src + (<usize>i << 1)) : u32.MAX_VALUE;
  }

  private fail(at: i32, message: string): bool {
    this.error = message + " at character " + at.toString();
    return false;
  }
}

const LANES: u64 = 0x0001_0001_0001_0001;
const HIGH_BITS: u64 = 0x8000_8000_8000_8000;

/** Whether any of the four UTF-16 code units in `units` is `"`, `\` or a control character:
 * the SWAR tests for a zero lane and for a lane below a bound, on 16-bit lanes. They may flag
 * a lane beside a real match, never miss one. */
// @ts-ignore: decorator
@inline
function needsLook(units: u64): bool {
  const quote = units ^ (LANES * 0x22);
  const backslash = units ^ (LANES * 0x5c);
  const zeroLane = ((quote - LANES) & ~quote) | ((backslash - LANES) & ~backslash);
  const control = (units - LANES * 0x20) & ~units;
  return ((zeroLane | control) & HIGH_BITS) != 0;
}

/** The value `text` holds, or null when it is not JSON as serde_json reads it. */
export function parseJson(text: string): JsonValue | null {
  return new JsonParser(text).parse();
}
