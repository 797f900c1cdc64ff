/** Whether `a` and `b` hold the same bytes, in a time that depends only on their lengths, so
 * that comparing a secret (a MAC) leaks nothing about how much of a guess was right. A length
 * mismatch answers at once: the lengths are public. */
export function constantTimeEquals(a: Uint8Array, b: Uint8Array): bool {
  const length = a.length;
  if (length != b.length) return false;
  return constantTimeEqualsRaw(a.dataStart, b.dataStart, length);
}

/** The same comparison of the `length` bytes at `a` and at `b`. */
export function constantTimeEqualsRaw(a: usize, b: usize, length: i32): bool {
  let difference: u32 = 0;
  for (let i = 0; i < length; i++) {
    difference |= <u32>(load<u8>(a + i) ^ load<u8>(b + i));
  }
  return difference == 0;
}
