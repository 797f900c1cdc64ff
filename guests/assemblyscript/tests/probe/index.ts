// A test-only module (never staged): the SDK's pieces exported one by one so that the Node
// tests can check them against Node's own implementations, and an auth plugin that fails an
// assertion, to check that an abort reaches the host with its message.

import {
  Alphabet,
  constantTimeEquals,
  decode,
  decodeUtf8,
  encode,
  handleAuthenticate,
  HmacSha256,
  Identity,
  JsonKind,
  JsonParser,
  JsonValue,
  JsonWriter,
  Outcome,
  Request,
  sha256,
  trim,
} from "../../sdk";
import { Config } from "../../sdk/config";
import { JsonObject } from "../../sdk/json/value";

export function authenticate(input: string): string {
  return handleAuthenticate(input, insist);
}

/** Allows a request carrying `x-must`; any other trips an assertion, which aborts. */
function insist(request: Request): Outcome {
  const must = request.header("x-must");
  assert(must !== null, "probe: the x-must header is required");
  return Outcome.allow(new Identity(must!));
}

export function sha256Hex(message: string): string {
  return toHex(sha256(fromHex(message)));
}

export function hmacHex(key: string, message: string): string {
  return toHex(new HmacSha256(fromHex(key)).sign(fromHex(message)));
}

export function constantTimeEqualsHex(a: string, b: string): bool {
  return constantTimeEquals(fromHex(a), fromHex(b));
}

export function base64Encode(bytes: string, url: bool, pad: bool): string {
  return encode(fromHex(bytes), url ? Alphabet.Url : Alphabet.Standard, pad);
}

/** The bytes in hex, or `!` when the text is refused. */
export function base64Decode(text: string, url: bool): string {
  const bytes = decode(text, url ? Alphabet.Url : Alphabet.Standard);
  return bytes !== null ? toHex(bytes) : "!";
}

/** The text, or `!` when the bytes are not UTF-8. */
export function utf8Decode(bytes: string): string {
  const text = decodeUtf8(fromHex(bytes));
  return text !== null ? text : "!";
}

export function trimText(text: string): string {
  return trim(text);
}

/** `ok:<value>`, `absent` or `err:<message>`. */
export function configU64(value: string): string {
  const json = new JsonWriter().beginObject().name("k").string(value).endObject().toString();
  const config = new Config(changetype<JsonObject>(new JsonParser(json).parse()));
  const parsed = config.u64("k");
  const error = parsed.error;
  if (error !== null) return "err:" + error;
  return "ok:" + parsed.value.toString();
}

/** `ok:` and the value written back (repeated names merged, numbers as written), or `err:`
 * and why the parser refused the text. */
export function jsonCheck(text: string): string {
  const parser = new JsonParser(text);
  const value = parser.parse();
  if (value === null) return "err:" + parser.error;
  const out = new JsonWriter();
  write(out, value);
  return "ok:" + out.toString();
}

function write(out: JsonWriter, value: JsonValue): void {
  switch (value.kind) {
    case JsonKind.String:
      out.string(value.asString()!);
      break;
    case JsonKind.Array: {
      const items = value.asArray()!.items();
      out.beginArray();
      for (let i = 0; i < items.length; i++) write(out, items[i]);
      out.endArray();
      break;
    }
    case JsonKind.Object: {
      const members = value.asObject()!.members();
      out.beginObject();
      for (let i = 0; i < members.length; i++) {
        out.name(members[i].name);
        write(out, members[i].value);
      }
      out.endObject();
      break;
    }
    default:
      out.raw(value.text());
  }
}

function fromHex(hex: string): Uint8Array {
  const bytes = new Uint8Array(hex.length >> 1);
  for (let i = 0; i < bytes.length; i++) {
    bytes[i] = <u8>I32.parseInt(hex.substring(i * 2, i * 2 + 2), 16);
  }
  return bytes;
}

function toHex(bytes: Uint8Array): string {
  let hex = "";
  for (let i = 0; i < bytes.length; i++) {
    const byte = bytes[i];
    hex += (byte < 16 ? "0" : "") + byte.toString(16);
  }
  return hex;
}
