// UTF-8 text to bytes and back, on whatever the engine has natively: StarlingMonkey has
// `TextEncoder` and `TextDecoder`; QuickJS has neither, but its native URI functions and base64
// conversions do the same work without an interpreted loop over the characters.

const ENCODER = typeof TextEncoder === "function" ? new TextEncoder() : undefined;
// Invalid UTF-8 throws; a byte-order mark is kept as U+FEFF, as it is in the bytes.
const DECODER = typeof TextDecoder === "function" ? new TextDecoder("utf-8", { fatal: true, ignoreBOM: true }) : undefined;
const NON_ASCII = /[^\x00-\x7f]/;
// Up to this many bytes, `Math.max` over them (one native call) finds a non-ASCII byte faster
// than a regular expression over their text; past it, the arguments would be too many.
const MAX_SPREAD = 4096;

/** `text` as UTF-8 bytes (a `Uint8Array`); a lone surrogate becomes U+FFFD. */
export function encode(text) {
  if (ENCODER !== undefined) return ENCODER.encode(text);
  // `btoa` takes one byte per character: `encodeURIComponent` writes each non-ASCII character
  // as the %XX escapes of its UTF-8 bytes (it throws on a lone surrogate), and `unescape`
  // turns those into such characters.
  let bytes;
  try {
    bytes = unescape(encodeURIComponent(text));
  } catch {
    bytes = unescape(encodeURIComponent(text.toWellFormed()));
  }
  return Uint8Array.fromBase64(btoa(bytes));
}

/** The text the UTF-8 `bytes` hold; throws a `TypeError` when they are not UTF-8. A
 * byte-order mark is kept. */
export function decode(bytes) {
  if (DECODER !== undefined) return DECODER.decode(bytes);
  // One character per byte.
  const latin1 = atob(bytes.toBase64());
  if (bytes.length <= MAX_SPREAD ? Math.max.apply(null, bytes) < 0x80 : !NON_ASCII.test(latin1)) return latin1;
  try {
    // `escape` writes every non-ASCII byte as %XX, and `decodeURIComponent` refuses what is not
    // UTF-8 (overlong forms and surrogates included).
    return decodeURIComponent(escape(latin1));
  } catch {
    throw new TypeError("the bytes are not UTF-8");
  }
}
