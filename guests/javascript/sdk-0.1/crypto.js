// SHA-256 and HMAC-SHA256 on StarlingMonkey's native `crypto.subtle`. Its promises settle
// within the call, so a plugin function may await them and return a promise (see define.js).
//
// HMAC is computed from two digests (RFC 2104) rather than with `crypto.subtle.sign`: a key's
// padded blocks are prepared once, and two digests of a short message cost a third of one
// `sign`. Interpreted JavaScript would be a hundred times slower than either.

const BLOCK = 64;
const DIGEST = 32;

// `crypto.subtle.digest` reads its input through a raw pointer while it allocates, and a
// garbage collection in between moves the bytes of a small array (SpiderMonkey keeps them in
// the nursery): one HMAC in a few thousand came out wrong. Inputs are therefore copied into
// arrays of at least STABLE_BYTES, which are allocated outside the nursery and never move.
// Two such arrays are kept for the common case, one digest at a time; allocating them per call
// instead fills the instance's memory faster than the engine collects it.
const STABLE_BYTES = 4096;
const shared = new Uint8Array(STABLE_BYTES);
let sharedBusy = false;

/** The SHA-256 digest of `parts` (byte arrays) one after the other, as a `Uint8Array`. */
async function digest(...parts) {
  let length = 0;
  for (let i = 0; i < parts.length; i++) length += parts[i].length;
  const useShared = !sharedBusy && length <= STABLE_BYTES;
  const input = useShared
    ? shared.subarray(0, length)
    : new Uint8Array(new ArrayBuffer(Math.max(length, STABLE_BYTES)), 0, length);
  let offset = 0;
  for (let i = 0; i < parts.length; i++) {
    input.set(parts[i], offset);
    offset += parts[i].length;
  }
  if (useShared) sharedBusy = true;
  try {
    return new Uint8Array(await crypto.subtle.digest("SHA-256", input));
  } finally {
    if (useShared) sharedBusy = false;
  }
}

/** The SHA-256 digest of the bytes `data`, as a `Uint8Array`. */
export async function sha256(data) {
  return digest(data);
}

/** An HMAC-SHA256 key. Prepare it once with `await HmacSha256Key.of(key)` and keep it. */
export class HmacSha256Key {
  constructor(inner, outer) {
    this.inner = inner;
    this.outer = outer;
  }

  /** The key for the bytes `key`. */
  static async of(key) {
    const block = new Uint8Array(BLOCK);
    block.set(key.length > BLOCK ? await sha256(key) : key);
    const inner = new Uint8Array(BLOCK);
    const outer = new Uint8Array(BLOCK);
    for (let i = 0; i < BLOCK; i++) {
      inner[i] = block[i] ^ 0x36;
      outer[i] = block[i] ^ 0x5c;
    }
    return new HmacSha256Key(inner, outer);
  }

  /** The HMAC-SHA256 of the bytes `data` under this key, as a `Uint8Array`. */
  async sign(data) {
    return digest(this.outer, await digest(this.inner, data));
  }
}

/** The HMAC-SHA256 of the bytes `data` under the bytes `key`, as a `Uint8Array`. */
export async function hmacSha256(key, data) {
  return (await HmacSha256Key.of(key)).sign(data);
}

/** Whether the byte arrays `a` and `b` are equal, in time that depends only on their lengths. */
export function equalBytes(a, b) {
  if (a.length !== b.length) return false;
  // Each step of an interpreted loop costs more than its work: compare four bytes at a time
  // where both arrays allow it (digests and decoded signatures do).
  if (a.length % 4 === 0 && a.byteOffset % 4 === 0 && b.byteOffset % 4 === 0) {
    a = new Uint32Array(a.buffer, a.byteOffset, a.length / 4);
    b = new Uint32Array(b.buffer, b.byteOffset, b.length / 4);
  }
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a[i] ^ b[i];
  return diff === 0;
}
