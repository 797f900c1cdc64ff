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
  // One pass over the token (QuickJS scans strings slowly).
  const segments = token.split(".");
  if (segments.length !== 3) throw new Rejection(MALFORMED);
  const signingInput = `${segments[0]}.${segments[1]}`;

  const { alg, kid } = readHeader(segments[0]);
  // `none`, a lower-case name, or an algorithm not configured: refused before any key is
  // chosen, so that a public key is never used as an HMAC secret.
  if (alg === undefined || !settings.algorithms.has(alg)) throw new Rejection(UNSUPPORTED_ALGORITHM);
  const signature = b64urlDecode(segments[2]);
  if (signature === undefined) throw new Rejection(MALFORMED);
  const signed = signedPart(signingInput, segments[1]);
  const message = signed.message;

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

  // Read only now that it is known to come from the key holder.
  signed.payload ??= signed.payloadBytes === undefined ? null : readPayload(signed.payloadBytes);
  if (signed.payload === null) throw new Rejection(MALFORMED);
  return signed.payload;
}

let lastSigned;

// What the signing input `signingInput` (whose payload segment is `payloadSegment`) gives:
// `message`, the bytes the signature is over; `payloadBytes`, the payload's bytes (undefined
// when the segment is not base64url); `payload`, once read, its `{ claims, text }` (null when
// it is no JSON object). All are functions of the text alone, and a client sends the same token
// with every request, as an issuer sends the same header with every token: the last one is
// remembered (the signature is still checked on every call).
function signedPart(signingInput, payloadSegment) {
  if (lastSigned?.signingInput === signingInput) return lastSigned;
  const payloadBytes = b64urlDecode(payloadSegment);
  // When the payload is base64url, the signing input is ASCII (the header was decoded
  // already), whose bytes `btoa` gives without an encoder.
  const message = payloadBytes === undefined ? utf8.encode(signingInput) : Uint8Array.fromBase64(btoa(signingInput));
  lastSigned = { signingInput, message, payloadBytes, payload: undefined };
  return lastSigned;
}

// The payload's `{ claims, text }`, or null when it is no JSON object.
function readPayload(bytes) {
  try {
    return readObject(bytes);
  } catch (e) {
    if (e instanceof Rejection) return null;
    throw e;
  }
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
  const read = json.read(raw);
  if (read === undefined || !json.isObject(read.value)) throw new Rejection(MALFORMED);
  return { claims: read.value, text: read.text };
}

const URL_ALPHABET = { alphabet: "base64url", lastChunkHandling: "strict" };

/**
 * The bytes `text` encodes in base64url, or `undefined` when it is not canonical base64url.
 *
 * JWTs are unpadded (RFC 7515), but some issuers pad anyway: padding is allowed, not required.
 * Symbols outside the alphabet, white space, a lone final symbol, misplaced padding and
 * non-zero trailing bits are refused, as the Rust plugin's decoder refuses them: the engine's
 * strict decoder refuses all of those but white space, which it skips, and which therefore
 * leaves fewer bytes than the symbols stand for.
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
  return bytes.length === (end * 3) >> 2 ? bytes : undefined;
}

const PADDING = ["", "", "==", "="];
