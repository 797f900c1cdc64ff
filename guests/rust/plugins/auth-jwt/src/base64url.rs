//! Base64url decoding (RFC 4648 section 5) as a JWT's segments need it: unpadded as RFC 7515
//! says, or padded as some issuers do, strict about everything else.
//!
//! It accepts and refuses exactly what the `base64` crate's URL-safe engine does with
//! indifferent padding and no trailing bits allowed (the tests compare the two on every short
//! input), in one pass through a table.

/// What a byte is worth as a base64url symbol; [`INVALID`] for every other byte.
const SYMBOLS: [u8; 256] = symbols();

/// The mark of a byte that is no base64url symbol.
const INVALID: u8 = 0xFF;

const fn symbols() -> [u8; 256] {
    let alphabet = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    let mut table = [INVALID; 256];
    let mut value = 0;
    while value < alphabet.len() {
        table[alphabet[value] as usize] = value as u8;
        value += 1;
    }
    table
}

/// The bytes `text` encodes, or `None` when it is not base64url: a byte outside the alphabet,
/// padding (`=`) anywhere but after the last group's first two symbols, a last group of one
/// symbol, or bits left over in the last symbol.
pub fn decode(text: &[u8]) -> Option<Vec<u8>> {
    // Every group of four but the last is four symbols; the last (one to four bytes) may be
    // short or padded.
    let last_group = match text.len() % 4 {
        0 => text.len().saturating_sub(4),
        rest => text.len() - rest,
    };
    let (groups, last) = text.split_at(last_group);
    let mut out = Vec::with_capacity(text.len() / 4 * 3 + 3);
    for group in groups.chunks_exact(4) {
        let values = [group[0], group[1], group[2], group[3]].map(|byte| SYMBOLS[byte as usize]);
        // A symbol's value is below 64 and INVALID is not: one test for the four.
        if values[0] | values[1] | values[2] | values[3] >= 64 {
            return None;
        }
        let bits = u32::from(values[0]) << 18
            | u32::from(values[1]) << 12
            | u32::from(values[2]) << 6
            | u32::from(values[3]);
        out.extend_from_slice(&bits.to_be_bytes()[1..]);
    }
    let mut values = [0_u32; 4];
    let (mut symbols, mut padding) = (0, 0);
    for (index, &byte) in last.iter().enumerate() {
        if byte == b'=' {
            if index < 2 {
                return None;
            }
            padding += 1;
            continue;
        }
        let value = SYMBOLS[byte as usize];
        if padding > 0 || value == INVALID {
            return None;
        }
        values[symbols] = u32::from(value);
        symbols += 1;
    }
    if !last.is_empty() && symbols < 2 {
        return None;
    }
    let bits = values[0] << 26 | values[1] << 20 | values[2] << 14 | values[3] << 8;
    let bytes = symbols * 6 / 8;
    // The bits of the last symbol beyond the last byte must be zero.
    if bits & (u32::MAX >> (bytes * 8)) != 0 {
        return None;
    }
    out.extend_from_slice(&bits.to_be_bytes()[..bytes]);
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use base64::alphabet::URL_SAFE;
    use base64::engine::{DecodePaddingMode, GeneralPurpose, GeneralPurposeConfig};
    use base64::Engine;

    /// The engine the plugin decoded with before this module.
    const REFERENCE: GeneralPurpose = GeneralPurpose::new(
        &URL_SAFE,
        GeneralPurposeConfig::new().with_decode_padding_mode(DecodePaddingMode::Indifferent),
    );

    #[test]
    fn decodes_like_the_base64_crate_on_every_short_input() {
        // Symbols with zero and non-zero low bits, both url-safe symbols, padding, and bytes
        // outside the alphabet (the standard alphabet's `+`, a dot, a space, a non-ASCII byte).
        let bytes = *b"AQgw_-=+. \xc3";
        let mut text = Vec::new();
        let mut checked = 0;
        // Up to six bytes: every shape of last group (one to four bytes), alone and after a
        // group of four.
        for len in 0..=6u32 {
            for mut n in 0..bytes.len().pow(len) {
                text.clear();
                for _ in 0..len {
                    text.push(bytes[n % bytes.len()]);
                    n /= bytes.len();
                }
                assert_eq!(decode(&text), REFERENCE.decode(&text).ok(), "{text:?}");
                checked += 1;
            }
        }
        assert_eq!(
            checked,
            (0..=6).map(|len| bytes.len().pow(len)).sum::<usize>()
        );
    }

    #[test]
    fn decodes_every_symbol_and_long_input() {
        let alphabet = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
        assert_eq!(decode(alphabet), REFERENCE.decode(alphabet).ok());
        let long: Vec<u8> = (0..=255).cycle().take(1000).collect();
        let encoded = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(&long);
        assert_eq!(decode(encoded.as_bytes()), Some(long));
    }
}
