// Writes compact JSON text into a growing UTF-16 buffer. Commas are placed by the writer, so a
// caller only says what comes next.

const HEX = "0123456789abcdef";

/** Builds one JSON text; `toString` returns it. Strings are escaped as serde_json escapes
 * them: `"`, `\`, and control characters (`\b \f \n \r \t`, else `\u00XX`). */
export class JsonWriter {
  private buffer: ArrayBuffer;
  private length: i32 = 0; // in code units
  private needComma: bool = false;

  constructor(capacity: i32 = 1024) {
    this.buffer = new ArrayBuffer(capacity << 1);
  }

  /** Open an object; `name` and a value follow for each member, then `endObject`. */
  beginObject(): JsonWriter {
    this.separate();
    this.unit(0x7b);
    this.needComma = false;
    return this;
  }

  /** Close the innermost object. */
  endObject(): JsonWriter {
    this.unit(0x7d);
    this.needComma = true;
    return this;
  }

  /** Open an array; values follow, then `endArray`. */
  beginArray(): JsonWriter {
    this.separate();
    this.unit(0x5b);
    this.needComma = false;
    return this;
  }

  /** Close the innermost array. */
  endArray(): JsonWriter {
    this.unit(0x5d);
    this.needComma = true;
    return this;
  }

  /** The name of the next object member. */
  name(name: string): JsonWriter {
    this.separate();
    this.quoted(name);
    this.unit(0x3a);
    this.needComma = false;
    return this;
  }

  /** A string value. */
  string(value: string): JsonWriter {
    this.separate();
    this.quoted(value);
    this.needComma = true;
    return this;
  }

  /** An integer value. */
  integer(value: i64): JsonWriter {
    return this.raw(value.toString());
  }

  /** `true` or `false`. */
  bool(value: bool): JsonWriter {
    return this.raw(value ? "true" : "false");
  }

  /** `null`. */
  null(): JsonWriter {
    return this.raw("null");
  }

  /** A value given as JSON text, written as it is: the caller vouches that it is JSON. */
  raw(json: string): JsonWriter {
    this.separate();
    this.append(changetype<usize>(json), json.length);
    this.needComma = true;
    return this;
  }

  /** The text written so far. */
  toString(): string {
    return String.UTF16.decodeUnsafe(changetype<usize>(this.buffer), <usize>this.length << 1);
  }

  private separate(): void {
    if (this.needComma) this.unit(0x2c);
  }

  private quoted(text: string): void {
    this.unit(0x22);
    const src = changetype<usize>(text);
    const length = text.length;
    let run = 0; // the start of the characters not yet copied
    for (let i = 0; i < length; i++) {
      const c = <u32>load<u16>(src + (<usize>i << 1));
      if (c >= 0x20 && c != 0x22 && c != 0x5c) continue;
      this.append(src + (<usize>run << 1), i - run);
      run = i + 1;
      this.unit(0x5c);
      switch (c) {
        case 0x22: this.unit(0x22); break;
        case 0x5c: this.unit(0x5c); break;
        case 0x08: this.unit(0x62); break;
        case 0x0c: this.unit(0x66); break;
        case 0x0a: this.unit(0x6e); break;
        case 0x0d: this.unit(0x72); break;
        case 0x09: this.unit(0x74); break;
        default: {
          this.unit(0x75);
          this.unit(0x30);
          this.unit(0x30);
          this.unit(<u32>HEX.charCodeAt(c >> 4));
          this.unit(<u32>HEX.charCodeAt(c & 15));
        }
      }
    }
    this.append(src + (<usize>run << 1), length - run);
    this.unit(0x22);
  }

  private unit(c: u32): void {
    this.reserve(1);
    store<u16>(changetype<usize>(this.buffer) + (<usize>this.length << 1), <u16>c);
    this.length++;
  }

  private append(src: usize, units: i32): void {
    if (units <= 0) return;
    this.reserve(units);
    memory.copy(changetype<usize>(this.buffer) + (<usize>this.length << 1), src, <usize>units << 1);
    this.length += units;
  }

  private reserve(units: i32): void {
    const needed = (this.length + units) << 1;
    const capacity = this.buffer.byteLength;
    if (needed <= capacity) return;
    const grown = new ArrayBuffer(max(needed, capacity << 1));
    memory.copy(changetype<usize>(grown), changetype<usize>(this.buffer), <usize>this.length << 1);
    this.buffer = grown;
  }
}
