// SHA-256 (FIPS 180-4, section 6.2).

/** The round constants K (FIPS 180-4, 4.2.2). */
const K: usize = memory.data<u32>([
  0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
  0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
  0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
  0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
  0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
  0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
  0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
  0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
]);

/** The message schedule, shared: compression never runs reentrantly. */
const W: usize = memory.data(64 * 4);

/** The digest length in bytes. */
export const SHA256_LENGTH = 32;
/** The block length in bytes, which HMAC pads keys to. */
export const SHA256_BLOCK = 64;

/** An incremental SHA-256 computation: `update` with the message, then `digest` once. */
export class Sha256 {
  private state: StaticArray<u32> = new StaticArray<u32>(8);
  private block: StaticArray<u8> = new StaticArray<u8>(SHA256_BLOCK);
  private buffered: i32 = 0;
  private length: u64 = 0;

  constructor() {
    this.reset();
  }

  /** Start over with the initial hash value (FIPS 180-4, 5.3.3). */
  reset(): void {
    const h = changetype<usize>(this.state);
    store<u32>(h, 0x6a09e667, 0);
    store<u32>(h, 0xbb67ae85, 4);
    store<u32>(h, 0x3c6ef372, 8);
    store<u32>(h, 0xa54ff53a, 12);
    store<u32>(h, 0x510e527f, 16);
    store<u32>(h, 0x9b05688c, 20);
    store<u32>(h, 0x1f83d9ab, 24);
    store<u32>(h, 0x5be0cd19, 28);
    this.buffered = 0;
    this.length = 0;
  }

  /** Make this computation continue from where `other` is. */
  copyFrom(other: Sha256): void {
    memory.copy(changetype<usize>(this.state), changetype<usize>(other.state), 32);
    memory.copy(changetype<usize>(this.block), changetype<usize>(other.block), SHA256_BLOCK);
    this.buffered = other.buffered;
    this.length = other.length;
  }

  /** Feed `bytes`. */
  update(bytes: Uint8Array): void {
    this.updateRaw(bytes.dataStart, bytes.length);
  }

  /** Feed the `length` bytes at `data`. */
  updateRaw(data: usize, length: i32): void {
    this.length += <u64>length;
    const block = changetype<usize>(this.block);
    let i = 0;
    if (this.buffered > 0) {
      const take = min(SHA256_BLOCK - this.buffered, length);
      memory.copy(block + this.buffered, data, take);
      this.buffered += take;
      i = take;
      if (this.buffered < SHA256_BLOCK) return;
      compress(changetype<usize>(this.state), block);
      this.buffered = 0;
    }
    for (; i + SHA256_BLOCK <= length; i += SHA256_BLOCK) {
      compress(changetype<usize>(this.state), data + i);
    }
    if (i < length) {
      memory.copy(block, data + i, length - i);
      this.buffered = length - i;
    }
  }

  /** Finish (FIPS 180-4, 5.1.1 padding) and return the 32-byte digest. */
  digest(): Uint8Array {
    const out = new Uint8Array(SHA256_LENGTH);
    this.digestInto(out.dataStart);
    return out;
  }

  /** Finish and write the 32-byte digest to `out`. */
  digestInto(out: usize): void {
    const block = changetype<usize>(this.block);
    const state = changetype<usize>(this.state);
    const bits = this.length << 3;
    let used = this.buffered;
    store<u8>(block + used, 0x80);
    used++;
    if (used > SHA256_BLOCK - 8) {
      memory.fill(block + used, 0, SHA256_BLOCK - used);
      compress(state, block);
      used = 0;
    }
    memory.fill(block + used, 0, SHA256_BLOCK - 8 - used);
    store<u64>(block + SHA256_BLOCK - 8, bswap<u64>(bits));
    compress(state, block);
    for (let i = 0; i < 8; i++) {
      store<u32>(out + (<usize>i << 2), bswap<u32>(load<u32>(state + (<usize>i << 2))));
    }
  }
}

/** The SHA-256 digest of `bytes`. */
export function sha256(bytes: Uint8Array): Uint8Array {
  const hash = new Sha256();
  hash.update(bytes);
  return hash.digest();
}

/** One application of the compression function to the 64-byte block at `data`. */
function compress(state: usize, data: usize): void {
  for (let t = 0; t < 16; t++) {
    store<u32>(W + (<usize>t << 2), bswap<u32>(load<u32>(data + (<usize>t << 2))));
  }
  for (let t = 16; t < 64; t++) {
    const w15 = load<u32>(W + (<usize>(t - 15) << 2));
    const w2 = load<u32>(W + (<usize>(t - 2) << 2));
    const s0 = rotr<u32>(w15, 7) ^ rotr<u32>(w15, 18) ^ (w15 >>> 3);
    const s1 = rotr<u32>(w2, 17) ^ rotr<u32>(w2, 19) ^ (w2 >>> 10);
    store<u32>(
      W + (<usize>t << 2),
      load<u32>(W + (<usize>(t - 16) << 2)) + s0 + load<u32>(W + (<usize>(t - 7) << 2)) + s1,
    );
  }
  let a = load<u32>(state, 0);
  let b = load<u32>(state, 4);
  let c = load<u32>(state, 8);
  let d = load<u32>(state, 12);
  let e = load<u32>(state, 16);
  let f = load<u32>(state, 20);
  let g = load<u32>(state, 24);
  let h = load<u32>(state, 28);
  for (let t = 0; t < 64; t++) {
    const s1 = rotr<u32>(e, 6) ^ rotr<u32>(e, 11) ^ rotr<u32>(e, 25);
    const ch = (e & f) ^ (~e & g);
    const t1 = h + s1 + ch + load<u32>(K + (<usize>t << 2)) + load<u32>(W + (<usize>t << 2));
    const s0 = rotr<u32>(a, 2) ^ rotr<u32>(a, 13) ^ rotr<u32>(a, 22);
    const maj = (a & b) ^ (a & c) ^ (b & c);
    const t2 = s0 + maj;
    h = g;
    g = f;
    f = e;
    e = d + t1;
    d = c;
    c = b;
    b = a;
    a = t1 + t2;
  }
  store<u32>(state, load<u32>(state, 0) + a, 0);
  store<u32>(state, load<u32>(state, 4) + b, 4);
  store<u32>(state, load<u32>(state, 8) + c, 8);
  store<u32>(state, load<u32>(state, 12) + d, 12);
  store<u32>(state, load<u32>(state, 16) + e, 16);
  store<u32>(state, load<u32>(state, 20) + f, 20);
  store<u32>(state, load<u32>(state, 24) + g, 24);
  store<u32>(state, load<u32>(state, 28) + h, 28);
}
