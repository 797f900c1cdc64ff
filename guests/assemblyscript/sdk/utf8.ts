// UTF-8 to and from AssemblyScript's UTF-16 strings. `String.UTF8.decode` replaces malformed
// input with U+FFFD; a JSON parser that must refuse what serde_json refuses needs to know.

/** The text `bytes` hold when they are well-formed UTF-8 (RFC 3629: shortest forms only, no
 * surrogates, nothing above U+10FFFF), otherwise null. */
export function decodeUtf8(bytes: Uint8Array): string | null {
  const start = bytes.dataStart;
  const length = bytes.length;
  if (!isUtf8(start, length)) return null;
  return String.UTF8.decodeUnsafe(start, length);
}

/** The UTF-8 encoding of `text`. */
export function encodeUtf8(text: string): Uint8Array {
  return Uint8Array.wrap(String.UTF8.encode(text));
}

function isUtf8(start: usize, length: i32): bool {
  let i = 0;
  while (i < length) {
    const b0 = <u32>load<u8>(start + i);
    if (b0 < 0x80) {
      i++;
      continue;
    }
    let need: i32;
    // The range the second byte must fall in; it is what rules out overlong forms,
    // surrogates (ED A0..BF) and code points above U+10FFFF (F4 90..).
    let low: u32 = 0x80;
    let high: u32 = 0xbf;
    if (b0 >= 0xc2 && b0 <= 0xdf) {
      need = 1;
    } else if (b0 >= 0xe0 && b0 <= 0xef) {
      need = 2;
      if (b0 == 0xe0) low = 0xa0;
      else if (b0 == 0xed) high = 0x9f;
    } else if (b0 >= 0xf0 && b0 <= 0xf4) {
      need = 3;
      if (b0 == 0xf0) low = 0x90;
      else if (b0 == 0xf4) high = 0x8f;
    } else {
      return false;
    }
    if (i + need >= length) return false;
    const b1 = <u32>load<u8>(start + i + 1);
    if (b1 < low || b1 > high) return false;
    for (let k = 2; k <= need; k++) {
      const b = <u32>load<u8>(start + i + k);
      if ((b & 0xc0) != 0x80) return false;
    }
    i += need + 1;
  }
  return true;
}
