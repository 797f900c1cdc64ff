// HMAC-SHA256 (RFC 2104; FIPS 198-1).

import { constantTimeEqualsRaw } from "./constant-time";
import { Sha256, SHA256_BLOCK, SHA256_LENGTH } from "./sha256";
import { encodeUtf8 } from "./utf8";

/** Where `verify` computes the expected tag: verification needs no allocation. */
const EXPECTED: usize = memory.data(SHA256_LENGTH);

/** A key ready to authenticate messages: the padded key blocks are hashed once, here, so each
 * message costs only its own blocks and one more. */
export class HmacSha256 {
  private inner: Sha256 = new Sha256();
  private outer: Sha256 = new Sha256();
  private scratch: Sha256 = new Sha256();

  /** A key of any length; one longer than a block is hashed first (RFC 2104, section 2). */
  constructor(key: Uint8Array) {
    const block = new Uint8Array(SHA256_BLOCK);
    if (key.length > SHA256_BLOCK) {
      this.scratch.update(key);
      this.scratch.digestInto(block.dataStart);
    } else {
      memory.copy(block.dataStart, key.dataStart, key.length);
    }
    for (let i = 0; i < SHA256_BLOCK; i++) block[i] ^= 0x36;
    this.inner.update(block);
    for (let i = 0; i < SHA256_BLOCK; i++) block[i] ^= 0x36 ^ 0x5c;
    this.outer.update(block);
  }

  /** A key given as text: its UTF-8 bytes. */
  static fromString(key: string): HmacSha256 {
    return new HmacSha256(encodeUtf8(key));
  }

  /** The 32-byte tag of `message`. */
  sign(message: Uint8Array): Uint8Array {
    return this.signRaw(message.dataStart, message.length);
  }

  /** The 32-byte tag of the `length` bytes at `data`. */
  signRaw(data: usize, length: i32): Uint8Array {
    const tag = new Uint8Array(SHA256_LENGTH);
    this.signInto(data, length, tag.dataStart);
    return tag;
  }

  /** Write the tag of the `length` bytes at `data` to the 32 bytes at `out`. */
  signInto(data: usize, length: i32, out: usize): void {
    const hash = this.scratch;
    hash.copyFrom(this.inner);
    hash.updateRaw(data, length);
    hash.digestInto(out);
    hash.copyFrom(this.outer);
    hash.updateRaw(out, SHA256_LENGTH);
    hash.digestInto(out);
  }

  /** Whether `tag` is the tag of `message`, compared in constant time. */
  verify(message: Uint8Array, tag: Uint8Array): bool {
    if (tag.length != SHA256_LENGTH) return false;
    this.signInto(message.dataStart, message.length, EXPECTED);
    return constantTimeEqualsRaw(EXPECTED, tag.dataStart, SHA256_LENGTH);
  }
}
