// Compact JWS verification (RFC 7515): HS256/384/512 through the host's HMAC, RS/PS/ES/EdDSA
// through the host's public keys. No primitive runs in the guest.

import { crypto, json, utf8 } from "../../sdk/index.js";

import * as keys from "./keys.js";
import { INVALID_SIGNATURE, MALFORMED, Rejection, UNSUPPORTED_ALGORITHM } from "./rejection.js";
import { HMAC_HASHES } from "./settings.js";

/**
 * Check that `token` is a compact JWS signed with an accepted algorithm under a configured key
 * and return its claims: `{ claims, text }`, the payload object and its JSON text.
 *
 * The payload is parsed only after the signature checks out, so nothing an attacker wrote is
 * looked at before it is known to come from the key holder.
 */
export function verify(token, settings) {
  const lastDot = token.lastIndexOf(".");
  if (lastDot < 0) throw new Rejection(MALFORMED);
  const signingInput = token.slice(0, lastDot);
  const firstDot = signingInput.indexOf(".");
  if (firstDot < 0 || signingInput.indexOf(".", firstDot + 1) >= 0) throw new Rejection(MALFORMED);

  const { alg, kid } = readHeader(signingInput.slice(0, firstDot));
  // `none`, a lower-case name, or an algorithm not configured: refused before any key is
  // chosen, so that a public key is never used as an HMAC secret.
  if (alg === undefined || !settings.algorithms.has(alg)) throw new Rejection(UNSUPPORTED_ALGORITHM);
  const signature = b64urlDecode(token.slice(lastDot + 1));
  if (signature === undefined) throw new Rejection(MALFORMED);
  // Decoded now, read after the signature checks out. When it is base64url, the signing input
  // is ASCII (the header was decoded already), whose bytes `btoa` gives without an encoder.
  const payload = b64urlDecode(signingInput.slice(firstDot + 1));
  const message = payload === undefined ? utf8.encode(signingInput) : Uint8Array.fromBase64(btoa(signingInput));

  let valid = false;
  const hash = Object.hasOwn(HMAC_HASHES, alg) ? HMAC_HASHES[alg] : undefined;
  if (hash !== undefined) {
    if (settings.secret === undefined) throw new Rejection(UNSUPPORTED_ALGORITHM);
    valid = crypto.hmacVerify(hash, settings.secret, message, signature);
  } else {
    const fitting = keys.select(settings.keys, kid, alg);
    for (let i = 0; i < fitting.length && !valid; i++) valid = fitting[i].key.verify(alg, message, signature);
  }
  if (!valid) throw new Rejection(INVALID_SIGNATURE);

  if (payload === undefined) throw new Rejection(MALFORMED);
  return readObject(payload);
}

let lastHeader;
let lastHeaderFields;

// The `alg` and `kid` of the protected header (each `undefined` when absent or not a string).
// An issuer sends the same header with every token, so the last one read is remembered.
function readHeader(segment) {
  if (segment !== lastHeader) {
    const raw = b64urlDecode(segment);
    if (raw === undefined) throw new Rejection(MALFORMED);
    const fields = readObject(raw).claims;
    lastHeaderFields = { alg: textMember(fields, "alg"), kid: textMember(fields, "kid") };
    lastHeader = segment;
  }
  return lastHeaderFields;
}

function textMember(object, name) {
  const value = Object.hasOwn(object, name) ? object[name] : undefined;
  return typeof value === "string" ? value : undefined;
}

// The JSON object the bytes `raw` hold, as `{ claims, text }`: the object and its text.
function readObject(raw) {
  let text;
  try {
    text = utf8.decode(raw);
  } catch {
    throw new Rejection(MALFORMED);
  }
  const claims = json.parse(text);
  if (!json.isObject(claims)) throw new Rejection(MALFORMED);
  return { claims, text };
}

const URL_ALPHABET = { alphabet: "base64url", lastChunkHandling: "strict" };
const URL_UNPADDED = { alphabet: "base64url", omitPadding: true };

/**
 * The bytes `text` encodes in base64url, or `undefined` when it is not canonical base64url.
 *
 * JWTs are unpadded (RFC 7515), but some issuers pad anyway: padding is allowed, not required.
 * Symbols outside the alphabet, white space, a lone final symbol, misplaced padding and
 * non-zero trailing bits are refused, as the Rust plugin's decoder refuses them: the engine's
 * decoder refuses some of those, and what it lets through (white space, which it skips) does
 * not encode back to the same text.
 */
export function b64urlDecode(text) {
  let end = text.length;
  while (end > 0 && text.charCodeAt(end - 1) === 0x3d /* = */) end--;
  if (end === 0) return end === text.length ? new Uint8Array() : undefined;
  // Padding may only end the last 1 to 4 symbols, after at least two real ones.
  const tail = end - (text.length - (text.length % 4 || 4));
  if (tail < 2) return undefined;
  const symbols = end === text.length ? text : text.slice(0, end);
  let bytes;
  try {
    bytes = Uint8Array.fromBase64(tail === 4 ? symbols : symbols + PADDING[tail], URL_ALPHABET);
  } catch {
    return undefined;
  }
  return bytes.toBase64(URL_UNPADDED) === symbols ? bytes : undefined;
}

const PADDING = ["", "", "==", "="];
