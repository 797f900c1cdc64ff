// A parsed JSON document. The parser writes one flat "tape" of nodes that point into the text
// rather than one object per value: parsing allocates almost nothing, a string is decoded only
// when asked for, a number keeps its own digits, and any value's exact text can be passed on
// unchanged (which is how claims keep the token's number text). The `JsonValue` views below
// are made on access.

import { equalsIgnoreAsciiCaseAt } from "../text";

/** What a `JsonValue` holds. */
export const enum JsonKind {
  Null = 0,
  Bool = 1,
  Number = 2,
  String = 3,
  Array = 4,
  Object = 5,
}

/** Bytes per tape node: four i32 slots. */
const NODE_SIZE: usize = 16;
/** Offsets of the slots: kind (and the `escaped` flag of a string), where the value's text
 * starts and ends in the source (UTF-16 indices, end exclusive), and the node after the
 * value's subtree (for an array or object, past its last descendant). */
const KIND = 0;
const START = 4;
const END = 8;
const NEXT = 12;
/** The flag of a string whose text holds escapes. */
export const ESCAPED = 0x100;

/** A whole parsed text: its source and its tape. Node 0 is the root value. */
export class JsonDocument {
  constructor(
    /** The text that was parsed. */
    public source: string,
    /** The nodes, `NODE_SIZE` bytes each, in document order. */
    public tape: ArrayBuffer,
  ) {}

  /** The root value. */
  root(): JsonValue {
    return view(this, 0);
  }

  /** Slot `offset` of node `node`. */
  // @ts-ignore: decorator
  @inline slot(node: i32, offset: usize): i32 {
    return load<i32>(changetype<usize>(this.tape) + <usize>node * NODE_SIZE + offset);
  }

  /** The kind of value node `node` holds. */
  // @ts-ignore: decorator
  @inline kindOf(node: i32): JsonKind {
    return <JsonKind>(this.slot(node, KIND) & 0xff);
  }

  /** The node after `node`'s subtree: its next sibling, or where its parent's nodes end. */
  // @ts-ignore: decorator
  @inline next(node: i32): i32 {
    return this.slot(node, NEXT);
  }

  /** The decoded value of string node `node`. */
  stringValue(node: i32): string {
    const start = this.slot(node, START) + 1;
    const end = this.slot(node, END) - 1;
    if ((this.slot(node, KIND) & ESCAPED) == 0) return this.source.substring(start, end);
    return unescape(this.source, start, end);
  }

  /** Whether string node `node` has the value `text`, without copying it out when it holds
   * no escapes. */
  stringEquals(node: i32, text: string): bool {
    if ((this.slot(node, KIND) & ESCAPED) != 0) return this.stringValue(node) == text;
    const start = this.slot(node, START) + 1;
    const length = this.slot(node, END) - 1 - start;
    if (length != text.length) return false;
    const at = changetype<usize>(this.source) + (<usize>start << 1);
    return memory.compare(at, changetype<usize>(text), <usize>length << 1) == 0;
  }

  /** Whether string node `node` equals `text` with ASCII letters compared without case. */
  stringEqualsIgnoreAsciiCase(node: i32, text: string): bool {
    if ((this.slot(node, KIND) & ESCAPED) != 0) {
      const value = this.stringValue(node);
      return value.length == text.length &&
        equalsIgnoreAsciiCaseAt(changetype<usize>(value), changetype<usize>(text), text.length);
    }
    const start = this.slot(node, START) + 1;
    const length = this.slot(node, END) - 1 - start;
    if (length != text.length) return false;
    const at = changetype<usize>(this.source) + (<usize>start << 1);
    return equalsIgnoreAsciiCaseAt(at, changetype<usize>(text), length);
  }
}

/** The tape writer the parser uses: nodes are appended in document order. */
export class TapeWriter {
  tape: ArrayBuffer;
  count: i32 = 0;

  constructor(nodes: i32) {
    this.tape = new ArrayBuffer(nodes * <i32>NODE_SIZE);
  }

  /** Append a node for a value of `kind` (with flags) spanning `start` to `end`. */
  push(kind: i32, start: i32, end: i32): i32 {
    const node = this.count;
    if (<usize>(node + 1) * NODE_SIZE > <usize>this.tape.byteLength) this.grow();
    const at = changetype<usize>(this.tape) + <usize>node * NODE_SIZE;
    store<i32>(at + KIND, kind);
    store<i32>(at + START, start);
    store<i32>(at + END, end);
    store<i32>(at + NEXT, node + 1);
    this.count = node + 1;
    return node;
  }

  /** Close container `node` at `end`: its subtree is every node appended since. */
  close(node: i32, end: i32): void {
    const at = changetype<usize>(this.tape) + <usize>node * NODE_SIZE;
    store<i32>(at + END, end);
    store<i32>(at + NEXT, this.count);
  }

  private grow(): void {
    const grown = new ArrayBuffer(this.tape.byteLength << 1);
    memory.copy(changetype<usize>(grown), changetype<usize>(this.tape), this.tape.byteLength);
    this.tape = grown;
  }
}

/** A view of the value at `node`, of the subclass its kind calls for. */
export function view(document: JsonDocument, node: i32): JsonValue {
  switch (document.kindOf(node)) {
    case JsonKind.String: return new JsonString(document, node);
    case JsonKind.Object: return new JsonObject(document, node);
    case JsonKind.Array: return new JsonArray(document, node);
    case JsonKind.Number: return new JsonNumber(document, node);
    case JsonKind.Bool: return new JsonBool(document, node);
    default: return new JsonValue(document, node);
  }
}

/** One value of a document; `kind` says which subclass it is. */
export class JsonValue {
  constructor(
    /** The document the value belongs to. */
    public document: JsonDocument,
    /** Its node on the document's tape. */
    public node: i32,
  ) {}

  /** Which kind of value this is. */
  get kind(): JsonKind {
    return this.document.kindOf(this.node);
  }

  /** Where the value's text starts in the source (a UTF-16 index). */
  get start(): i32 {
    return this.document.slot(this.node, START);
  }

  /** Where it ends, exclusive. */
  get end(): i32 {
    return this.document.slot(this.node, END);
  }

  /** The value's text exactly as written in the source. */
  text(): string {
    return this.document.source.substring(this.start, this.end);
  }

  /** The text when this is a string, otherwise null. */
  asString(): string | null {
    return this.kind == JsonKind.String ? this.document.stringValue(this.node) : null;
  }

  /** The number when this is one (as the nearest `f64`), otherwise NaN. */
  asNumber(): f64 {
    return this.kind == JsonKind.Number ? numberValue(this.document.source, this.start, this.end) : NaN;
  }

  /** The array when this is one, otherwise null. */
  asArray(): JsonArray | null {
    return this.kind == JsonKind.Array ? changetype<JsonArray>(this) : null;
  }

  /** The object when this is one, otherwise null. */
  asObject(): JsonObject | null {
    return this.kind == JsonKind.Object ? changetype<JsonObject>(this) : null;
  }
}

/** `true` or `false`. */
export class JsonBool extends JsonValue {
  /** Which. */
  get value(): bool {
    return load<u16>(changetype<usize>(this.document.source) + (<usize>this.start << 1)) == 0x74;
  }
}

/** A number; its text is kept, so integers beyond 2^53 lose nothing until read as `f64`. */
export class JsonNumber extends JsonValue {
  /** The nearest `f64`. */
  toF64(): f64 {
    return numberValue(this.document.source, this.start, this.end);
  }
}

/** A string; `start` and `end` include the quotes. */
export class JsonString extends JsonValue {
  /** The string's value, escapes decoded. */
  value(): string {
    return this.document.stringValue(this.node);
  }

  /** Whether the value equals `text`. */
  equals(text: string): bool {
    return this.document.stringEquals(this.node, text);
  }
}

/** An array. */
export class JsonArray extends JsonValue {
  /** The elements, in order. */
  items(): Array<JsonValue> {
    const document = this.document;
    const items = new Array<JsonValue>();
    const end = document.next(this.node);
    for (let node = this.node + 1; node < end; node = document.next(node)) {
      items.push(view(document, node));
    }
    return items;
  }
}

/** A member of an object. */
export class JsonMember {
  constructor(public name: string, public value: JsonValue) {}
}

/** An object. Its members are kept as written, repeated names included; `get` and `members`
 * read them as serde_json does: a repeated name keeps its first place and its last value. */
export class JsonObject extends JsonValue {
  /** The value of member `name` (the last one when the name repeats), or null. */
  get(name: string): JsonValue | null {
    const node = this.find(name, false, false);
    return node < 0 ? null : view(this.document, node);
  }

  /** The value of member `name` when it is a string, otherwise null: `get(name)` and
   * `asString` in one step, without making a view. */
  getString(name: string): string | null {
    const node = this.find(name, false, false);
    if (node < 0 || this.document.kindOf(node) != JsonKind.String) return null;
    return this.document.stringValue(node);
  }

  /** Whether the object has a member `name`. */
  has(name: string): bool {
    return this.find(name, false, false) >= 0;
  }

  /** The value of the first member whose name equals `name` with ASCII letters compared
   * without case, or null: how an HTTP header is looked up. */
  getIgnoreAsciiCase(name: string): JsonValue | null {
    const node = this.find(name, true, true);
    return node < 0 ? null : view(this.document, node);
  }

  /** The members with repeated names merged: each name once, where it first appears, with
   * the value it was last given. */
  members(): Array<JsonMember> {
    const document = this.document;
    const members = new Array<JsonMember>();
    const end = document.next(this.node);
    for (let key = this.node + 1; key < end; key = document.next(key + 1)) {
      const name = document.stringValue(key);
      let seen = false;
      for (let i = 0; i < members.length; i++) {
        const member = unchecked(members[i]);
        if (member.name == name) {
          member.value = view(document, key + 1);
          seen = true;
          break;
        }
      }
      if (!seen) members.push(new JsonMember(name, view(document, key + 1)));
    }
    return members;
  }

  /** The value node of member `name` (the first or last match), or -1. */
  private find(name: string, first: bool, ignoreCase: bool): i32 {
    const document = this.document;
    const end = document.next(this.node);
    let found = -1;
    // A member is a name node followed by its value's subtree.
    for (let key = this.node + 1; key < end; key = document.next(key + 1)) {
      const match = ignoreCase
        ? document.stringEqualsIgnoreAsciiCase(key, name)
        : document.stringEquals(key, name);
      if (match) {
        found = key + 1;
        if (first) break;
      }
    }
    return found;
  }
}

/** The decoded value of the string text between `start` and `end` (quotes excluded), which
 * the parser has already checked. */
function unescape(source: string, start: i32, end: i32): string {
  // The value is never longer than its text. (A managed local, so the collector sees it.)
  const out = changetype<string>(__new(<usize>(end - start) << 1, idof<string>()));
  const src = changetype<usize>(source);
  const dst = changetype<usize>(out);
  let o: usize = 0;
  let i = start;
  while (i < end) {
    let c = <u32>load<u16>(src + (<usize>i << 1));
    i++;
    if (c == 0x5c) {
      const e = <u32>load<u16>(src + (<usize>i << 1));
      i++;
      switch (e) {
        case 0x62: c = 0x08; break; // \b
        case 0x66: c = 0x0c; break; // \f
        case 0x6e: c = 0x0a; break; // \n
        case 0x72: c = 0x0d; break; // \r
        case 0x74: c = 0x09; break; // \t
        case 0x75: // \uXXXX
          c = hex4(src, i);
          i += 4;
          break;
        default: c = e; // \" \\ \/
      }
    }
    store<u16>(dst + o, <u16>c);
    o += 2;
  }
  return out.substring(0, <i32>(o >> 1));
}

/** The value of the four hex digits at index `i` (already checked). */
export function hex4(src: usize, i: i32): u32 {
  let value: u32 = 0;
  for (let k = 0; k < 4; k++) {
    const d = <u32>load<u16>(src + (<usize>(i + k) << 1));
    value = (value << 4) | (d <= 0x39 ? d - 0x30 : (d | 0x20) - 0x61 + 10);
  }
  return value;
}

/** The nearest `f64` to the JSON number text between `start` and `end`. */
export function numberValue(source: string, start: i32, end: i32): f64 {
  // Up to 15 digits with no fraction or exponent are exact in an f64 and need no parsing.
  const src = changetype<usize>(source);
  let i = start;
  const negative = load<u16>(src + (<usize>i << 1)) == 0x2d;
  if (negative) i++;
  if (end - i <= 15) {
    let value: f64 = 0;
    let plain = true;
    for (let k = i; k < end; k++) {
      const d = <u32>load<u16>(src + (<usize>k << 1)) - 0x30;
      if (d > 9) {
        plain = false;
        break;
      }
      value = value * 10 + <f64>d;
    }
    if (plain) return negative ? -value : value;
  }
  return parseFloat(source.substring(start, end));
}
