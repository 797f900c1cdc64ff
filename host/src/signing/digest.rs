//! What a signature covers: a domain-separated message made of the SHA-256 of the component
//! bytes and the SHA-256 of the manifest text, so that neither can change without the other
//! being re-signed (capability grants cannot be widened after signing).

use sha2::{Digest, Sha256};

/// The domain-separation prefix of the signed message: a signature made for anything else
/// (another protocol, another version of this one) never verifies as a plugin signature.
pub const SIGNATURE_DOMAIN: &[u8] = b"mockforge-plugin-signature-v1\0";

/// The SHA-256 of `bytes`.
pub(crate) fn sha256(bytes: &[u8]) -> [u8; 32] {
    Sha256::digest(bytes).into()
}

/// The message an Ed25519 signature is made over: [`SIGNATURE_DOMAIN`], the component's
/// SHA-256, the manifest's SHA-256 (94 bytes in all). A remote plugin has no component: its
/// component digest is that of no bytes.
pub(crate) fn signed_message(component: &[u8; 32], manifest: &[u8; 32]) -> Vec<u8> {
    let mut message = Vec::with_capacity(SIGNATURE_DOMAIN.len() + 64);
    message.extend_from_slice(SIGNATURE_DOMAIN);
    message.extend_from_slice(component);
    message.extend_from_slice(manifest);
    message
}

/// Lower-case hex of `bytes`.
pub(crate) fn hex(bytes: &[u8]) -> String {
    use std::fmt::Write as _;
    bytes
        .iter()
        .fold(String::with_capacity(bytes.len() * 2), |mut text, b| {
            let _ = write!(text, "{b:02x}");
            text
        })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::manifest::is_sha256_hex;

    #[test]
    fn the_message_is_domain_then_both_digests() {
        let message = signed_message(&[1; 32], &[2; 32]);
        assert!(message.starts_with(SIGNATURE_DOMAIN));
        assert_eq!(message.len(), SIGNATURE_DOMAIN.len() + 64);
        assert_ne!(message, signed_message(&[2; 32], &[1; 32]));
    }

    #[test]
    fn hex_and_its_check() {
        assert_eq!(hex(&[0, 0xab, 0x10]), "00ab10");
        let digest = hex(&sha256(b""));
        assert_eq!(
            digest,
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
        );
        assert!(is_sha256_hex(&digest));
        assert!(is_sha256_hex(&digest.to_uppercase()));
        assert!(!is_sha256_hex(&digest[1..]));
        assert!(!is_sha256_hex(&format!("{}g", &digest[1..])));
    }
}
