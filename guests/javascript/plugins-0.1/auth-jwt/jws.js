// Compact JWS verification for HS256 (RFC 7515).

import { equalBytes } from "../../sdk-0.1/crypto.js";
import { encodeUtf8 } from "../../sdk-0.1/values.js";

import { INVALID_SIGNATURE, MALFORMED, Rejection, UNSUPPORTED_ALGORITHM } from "./rejection.js";
import * as strictJson from "./strict-json.js";

/**
 * Check that `token` is a compact JWS signed with HS256 under `key` (an `HmacSha256Key`) and
 * return its claims, a `Map` in token order.
 *
 * The payload is parsed only after the signature checks out, so nothing an attacker wrote is
 * looked at before it is known to come from the key holder.
 */
export async function verify(token, key) {
  const lastDot = token.lastIndexOf(".");
  if (lastDot < 0) throw new Rejection(MALFORMED);
  const signingInput = token.slice(0, lastDot);
  const firstDot = signingInput.indexOf(".");
  if (firstDot < 0 || signingInput.indexOf(".", firstDot + 1) >= 0) throw new Rejection(MALFORMED);

  // Only HS256 is accepted: in particular `none` and the RS/ES family, whose "public key" an
  // attacker could pass off as the HMAC secret. An issuer sends the same header with every
  // token, so the last one accepted is remembered.
  const header = signingInput.slice(0, firstDot);
  if (header !== acceptedHeader) {
    if (decodeObject(header).get("alg") !== "HS256") throw new Rejection(UNSUPPORTED_ALGORITHM);
    acceptedHeader = header;
  }

  const signature = b64urlDecode(token.slice(lastDot + 1));
  if (signature === undefined) throw new Rejection(MALFORMED);
  if (!equalBytes(await key.sign(encodeUtf8(signingInput)), signature)) {
    throw new Rejection(INVALID_SIGNATURE);
  }

  return decodeObject(signingInput.slice(firstDot + 1));
}

let acceptedHeader;

// Decode one base64url segment holding a JSON object.
function decodeObject(segment) {
  const raw = b64urlDecode(segment);
  const value = raw === undefined ? undefined : strictJson.parse(raw);
  if (!(value instanceof Map)) throw new Rejection(MALFORMED);
  return value;
}

const SYMBOLS = /^[A-Za-z0-9_-]*$/;
const LAST_SYMBOL = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
const DECODING = { alphabet: "base64url", lastChunkHandling: "strict" };

/**
 * The bytes `text` encodes in base64url, or `undefined` when it is not canonical base64url.
 *
 * JWTs are unpadded (RFC 7515), but some issuers pad anyway: padding is allowed, not required.
 * Symbols outside the alphabet, a lone final symbol, misplaced padding and non-zero trailing
 * bits are refused, as the Rust plugin's decoder refuses them.
 */
export function b64urlDecode(text) {
  if (text === "") return new Uint8Array();
  const symbols = text.replace(/=+$/, "");
  // Padding may only end the last 1 to 4 symbols, after at least two real ones.
  const tail = symbols.length - (text.length - (text.length % 4 || 4));
  // The engine's decoder would skip white space: the alphabet is checked here.
  if (tail < 2 || !SYMBOLS.test(symbols)) return undefined;
  // The bits past the last whole byte must be zero.
  if (tail < 4 && LAST_SYMBOL.indexOf(symbols[symbols.length - 1]) & (tail === 2 ? 0xf : 0x3)) {
    return undefined;
  }
  try {
    return Uint8Array.fromBase64(symbols + "=".repeat(-symbols.length & 3), DECODING);
  } catch {
    return undefined;
  }
}
