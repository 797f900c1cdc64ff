// Text rules the reference plugins rely on, written out because AssemblyScript's own
// `String#trim` uses another whitespace set (it also strips U+FEFF) and there is no
// ASCII-only case-insensitive compare.

/** Whether the UTF-16 code unit `c` is White_Space, the set Rust's `str::trim` strips. Every
 * such character is in the Basic Multilingual Plane, so looking at code units is enough. */
export function isWhitespace(c: u32): bool {
  if (c == 0x20 || (c >= 0x09 && c <= 0x0d)) return true;
  if (c < 0x85) return false;
  return (
    c == 0x85 ||
    c == 0xa0 ||
    c == 0x1680 ||
    (c >= 0x2000 && c <= 0x200a) ||
    c == 0x2028 ||
    c == 0x2029 ||
    c == 0x202f ||
    c == 0x205f ||
    c == 0x3000
  );
}

/** `text` without leading and trailing White_Space, as Rust's `str::trim`. */
export function trim(text: string): string {
  let start = 0;
  let end = text.length;
  while (start < end && isWhitespace(<u32>text.charCodeAt(start))) start++;
  while (end > start && isWhitespace(<u32>text.charCodeAt(end - 1))) end--;
  return start == 0 && end == text.length ? text : text.substring(start, end);
}

/** `c` with A-Z mapped to a-z; every other code unit unchanged. */
// @ts-ignore: decorator
@inline
export function asciiLower(c: u32): u32 {
  return c - 0x41 < 26 ? c | 0x20 : c;
}

/** Whether `a` and `b` are equal when ASCII letters are compared without case, as Rust's
 * `eq_ignore_ascii_case` (other characters must match exactly). */
export function equalsIgnoreAsciiCase(a: string, b: string): bool {
  const length = a.length;
  if (length != b.length) return false;
  return equalsIgnoreAsciiCaseAt(changetype<usize>(a), changetype<usize>(b), length);
}

/** The same comparison over `length` UTF-16 code units stored at `a` and `b`. */
export function equalsIgnoreAsciiCaseAt(a: usize, b: usize, length: i32): bool {
  for (let i = 0; i < length; i++) {
    const offset = <usize>i << 1;
    const x = <u32>load<u16>(a + offset);
    const y = <u32>load<u16>(b + offset);
    if (x != y && asciiLower(x) != asciiLower(y)) return false;
  }
  return true;
}
