// Base64 (RFC 4648): the standard alphabet (section 4), in which the host sends request
// bodies, and the URL-safe one (section 5), in which JWTs are written.
//
// Decoding is strict the way Rust's `base64` crate is with padding left optional: symbols
// outside the alphabet, padding anywhere but at the end, a lone final symbol and non-zero bits
// past the last whole byte are all refused, so that a text decodes only if it is the
// canonical encoding of its bytes (give or take the padding).

/** Which 64 symbols a text uses: they differ only in the last two. */
export const enum Alphabet {
  /** `A-Z a-z 0-9 + /` */
  Standard = 0,
  /** `A-Z a-z 0-9 - _` */
  Url = 1,
}

const PAD: u32 = 0x3d; // '='

// @ts-ignore: decorator
@lazy const STANDARD_SYMBOLS = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
// @ts-ignore: decorator
@lazy const URL_SYMBOLS = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

/** `bytes` in the standard alphabet, padded: what the host sends as a request body. */
export function encodeStandard(bytes: Uint8Array): string {
  return encode(bytes, Alphabet.Standard, true);
}

/** `bytes` in the URL-safe alphabet without padding, as JWTs write them (RFC 7515). */
export function encodeUrl(bytes: Uint8Array): string {
  return encode(bytes, Alphabet.Url, false);
}

/** The bytes a standard-alphabet text encodes, or null when it is not base64. */
export function decodeStandard(text: string): Uint8Array | null {
  return decode(text, Alphabet.Standard);
}

/** The bytes a URL-safe text encodes, or null when it is not base64url. */
export function decodeUrl(text: string): Uint8Array | null {
  return decode(text, Alphabet.Url);
}

/** `bytes` encoded with `alphabet`, with `=` padding to a multiple of four symbols when `pad`. */
export function encode(bytes: Uint8Array, alphabet: Alphabet, pad: bool): string {
  const symbols = changetype<usize>(alphabet == Alphabet.Url ? URL_SYMBOLS : STANDARD_SYMBOLS);
  const length = bytes.length;
  const whole = length / 3;
  const rest = length - whole * 3;
  let outLength = whole * 4;
  if (rest != 0) outLength += pad ? 4 : rest + 1;
  const out = changetype<string>(__new(<usize>outLength << 1, idof<string>()));
  const src = bytes.dataStart;
  const dst = changetype<usize>(out);
  let o: usize = 0;
  for (let i = 0; i < whole; i++) {
    const at = src + i * 3;
    const n = (<u32>load<u8>(at) << 16) | (<u32>load<u8>(at, 1) << 8) | <u32>load<u8>(at, 2);
    store<u16>(dst + o, load<u16>(symbols + ((n >> 18) << 1)));
    store<u16>(dst + o, load<u16>(symbols + (((n >> 12) & 63) << 1)), 2);
    store<u16>(dst + o, load<u16>(symbols + (((n >> 6) & 63) << 1)), 4);
    store<u16>(dst + o, load<u16>(symbols + ((n & 63) << 1)), 6);
    o += 8;
  }
  if (rest != 0) {
    const at = src + whole * 3;
    let n = <u32>load<u8>(at) << 16;
    if (rest == 2) n |= <u32>load<u8>(at, 1) << 8;
    store<u16>(dst + o, load<u16>(symbols + ((n >> 18) << 1)));
    store<u16>(dst + o, load<u16>(symbols + (((n >> 12) & 63) << 1)), 2);
    if (rest == 2) {
      store<u16>(dst + o, load<u16>(symbols + (((n >> 6) & 63) << 1)), 4);
    } else if (pad) {
      store<u16>(dst + o, <u16>PAD, 4);
    }
    if (pad) store<u16>(dst + o, <u16>PAD, 6);
  }
  return out;
}

/** The bytes `text` encodes with `alphabet`, or null when it is not canonical base64 in that
 * alphabet. Padding is optional, but where present it must complete the last group. */
export function decode(text: string, alphabet: Alphabet): Uint8Array | null {
  const length = text.length;
  if (length == 0) return new Uint8Array(0);
  const src = changetype<usize>(text);
  let symbols = length;
  while (symbols > 0 && <u32>load<u16>(src + (<usize>(symbols - 1) << 1)) == PAD) symbols--;
  // The symbols in the last group of four, counting padding as part of the text: a group
  // needs at least two symbols to hold a byte, and padding cannot be longer than the group.
  const lastGroup = length & 3 ? length & ~3 : length - 4;
  const tail = symbols - lastGroup;
  if (tail < 2) return null;

  const whole = symbols >> 2;
  const rest = symbols & 3;
  const out = new Uint8Array(whole * 3 + (rest == 0 ? 0 : rest - 1));
  const dst = out.dataStart;
  const url = alphabet == Alphabet.Url;
  for (let i = 0; i < whole; i++) {
    const at = src + (<usize>i << 3);
    const n =
      (sextet(load<u16>(at), url) << 18) |
      (sextet(load<u16>(at, 2), url) << 12) |
      (sextet(load<u16>(at, 4), url) << 6) |
      sextet(load<u16>(at, 6), url);
    if (n > 0xffffff) return null;
    const o = dst + i * 3;
    store<u8>(o, <u8>(n >> 16));
    store<u8>(o, <u8>(n >> 8), 1);
    store<u8>(o, <u8>n, 2);
  }
  if (rest != 0) {
    const at = src + (<usize>whole << 3);
    let n = (sextet(load<u16>(at), url) << 18) | (sextet(load<u16>(at, 2), url) << 12);
    if (rest == 3) n |= sextet(load<u16>(at, 4), url) << 6;
    // The bits past the last whole byte must be zero.
    if (n > 0xffffff || (n & (rest == 2 ? 0xffff : 0xff)) != 0) return null;
    const o = dst + whole * 3;
    store<u8>(o, <u8>(n >> 16));
    if (rest == 3) store<u8>(o, <u8>(n >> 8), 1);
  }
  return out;
}

/** The value of one symbol, or all ones when it is not in the alphabet: shifted into place
 * and or-ed with the others, that still exceeds 24 bits, so one test per group catches it. */
// @ts-ignore: decorator
@inline
function sextet(c: u16, url: bool): u32 {
  const s = <u32>c;
  if (s - 0x41 < 26) return s - 0x41; // A-Z
  if (s - 0x61 < 26) return s - 0x61 + 26; // a-z
  if (s - 0x30 < 10) return s - 0x30 + 52; // 0-9
  if (s == (url ? 0x2d : 0x2b)) return 62; // - or +
  if (s == (url ? 0x5f : 0x2f)) return 63; // _ or /
  return u32.MAX_VALUE;
}
