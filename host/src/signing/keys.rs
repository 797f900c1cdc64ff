//! Ed25519 keys as text: a public key is `ed25519:<base64 of its 32 bytes>`, a private key
//! `ed25519-private:<base64 of its 32-byte seed>`. Key files hold one such line; lines that
//! start with `#` and blank lines are ignored. A key's id is the first 16 hex digits of the
//! SHA-256 of its 32 bytes: short enough to read, named in signature files and errors.

use std::fmt;
use std::str::FromStr;

use base64::engine::general_purpose::STANDARD;
use base64::Engine as _;
use ed25519_dalek::{Signer, SigningKey, VerifyingKey};
use sha2::{Digest, Sha256};

/// The prefix of a public key's text.
pub const PUBLIC_KEY_PREFIX: &str = "ed25519:";

/// The prefix of a private key's text.
pub const PRIVATE_KEY_PREFIX: &str = "ed25519-private:";

/// A key's text that cannot be used: the wrong prefix, bad base64, the wrong length, or a
/// public key that is not a valid curve point. The message never repeats the key's text.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct KeyError(String);

/// An Ed25519 public key that plugin signatures are checked against.
#[derive(Clone, PartialEq, Eq)]
pub struct PublicKey {
    key: VerifyingKey,
    id: String,
}

/// An Ed25519 private key that signs plugins. Its bytes are erased from memory when it is
/// dropped and never appear in `Debug` output.
#[derive(Clone)]
pub struct PrivateKey {
    key: SigningKey,
}

impl PublicKey {
    /// Reads a public key from its text (`ed25519:<base64>`), or from a key file's contents.
    pub fn parse(text: &str) -> Result<Self, KeyError> {
        let line = key_line(text, "public")?;
        let Some(encoded) = line.strip_prefix(PUBLIC_KEY_PREFIX) else {
            return Err(KeyError(format!(
                "a public key starts with `{PUBLIC_KEY_PREFIX}`"
            )));
        };
        let bytes = decode_32(encoded, "public key")?;
        let key = VerifyingKey::from_bytes(&bytes)
            .map_err(|_| KeyError("the public key is not a valid Ed25519 point".into()))?;
        if key.is_weak() {
            return Err(KeyError(
                "the public key is a weak (small-order) point".into(),
            ));
        }
        Ok(Self::from_verifying(key))
    }

    /// The key's id: the first 16 hex digits of the SHA-256 of its 32 bytes.
    pub fn id(&self) -> &str {
        &self.id
    }

    fn from_verifying(key: VerifyingKey) -> Self {
        let digest = Sha256::digest(key.as_bytes());
        let id = super::digest::hex(&digest[..8]);
        Self { key, id }
    }

    /// Whether `signature` is this key's signature of `message` (strict verification: no
    /// malleable signatures).
    pub(crate) fn verifies(&self, message: &[u8], signature: &[u8; 64]) -> bool {
        let signature = ed25519_dalek::Signature::from_bytes(signature);
        self.key.verify_strict(message, &signature).is_ok()
    }
}

impl fmt::Display for PublicKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{PUBLIC_KEY_PREFIX}{}",
            STANDARD.encode(self.key.as_bytes())
        )
    }
}

impl fmt::Debug for PublicKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "PublicKey({})", self.id)
    }
}

impl FromStr for PublicKey {
    type Err = KeyError;

    fn from_str(text: &str) -> Result<Self, KeyError> {
        Self::parse(text)
    }
}

impl PrivateKey {
    /// A new key from the operating system's random source.
    pub fn generate() -> Result<Self, KeyError> {
        let mut seed = zeroizing_seed();
        getrandom::fill(&mut seed.0)
            .map_err(|e| KeyError(format!("no randomness from the operating system: {e}")))?;
        Ok(Self {
            key: SigningKey::from_bytes(&seed.0),
        })
    }

    /// Reads a private key from its text (`ed25519-private:<base64>`), or from a key file's
    /// contents.
    pub fn parse(text: &str) -> Result<Self, KeyError> {
        let line = key_line(text, "private")?;
        let Some(encoded) = line.strip_prefix(PRIVATE_KEY_PREFIX) else {
            return Err(KeyError(format!(
                "a private key starts with `{PRIVATE_KEY_PREFIX}`"
            )));
        };
        let mut seed = zeroizing_seed();
        seed.0 = decode_32(encoded, "private key")?;
        Ok(Self {
            key: SigningKey::from_bytes(&seed.0),
        })
    }

    /// The key as the text of a key file: a comment line, then `ed25519-private:<base64>`.
    /// Keep it secret (the CLI writes it with mode 0600).
    pub fn to_file_text(&self) -> String {
        format!(
            "# MockForge plugin signing key (Ed25519), id {}. Keep it secret.\n{PRIVATE_KEY_PREFIX}{}\n",
            self.public_key().id(),
            STANDARD.encode(self.key.as_bytes())
        )
    }

    /// The public half, to give to whoever verifies.
    pub fn public_key(&self) -> PublicKey {
        PublicKey::from_verifying(self.key.verifying_key())
    }

    /// This key's signature of `message`.
    pub(crate) fn sign(&self, message: &[u8]) -> [u8; 64] {
        self.key.sign(message).to_bytes()
    }
}

impl fmt::Debug for PrivateKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "PrivateKey(id {}, <redacted>)", self.public_key().id())
    }
}

/// A 32-byte seed that is zeroed when dropped.
struct Seed([u8; 32]);

impl Drop for Seed {
    fn drop(&mut self) {
        use zeroize::Zeroize as _;
        self.0.zeroize();
    }
}

fn zeroizing_seed() -> Seed {
    Seed([0; 32])
}

/// The one key line of `text`: comment lines (`#`) and blank lines are skipped.
fn key_line<'a>(text: &'a str, which: &str) -> Result<&'a str, KeyError> {
    let mut lines = text
        .lines()
        .map(str::trim)
        .filter(|line| !line.is_empty() && !line.starts_with('#'));
    match (lines.next(), lines.next()) {
        (Some(line), None) => Ok(line),
        (None, _) => Err(KeyError(format!("no {which} key found (an empty text)"))),
        (Some(_), Some(_)) => Err(KeyError(format!(
            "more than one line that is not a comment where one {which} key was expected"
        ))),
    }
}

fn decode_32(encoded: &str, what: &str) -> Result<[u8; 32], KeyError> {
    let bytes = STANDARD
        .decode(encoded.trim())
        .map_err(|_| KeyError(format!("the {what} is not valid base64")))?;
    <[u8; 32]>::try_from(bytes.as_slice()).map_err(|_| {
        KeyError(format!(
            "the {what} is {} bytes long; an Ed25519 key has 32",
            bytes.len()
        ))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_round_trip_through_their_text() {
        let private = PrivateKey::generate().unwrap();
        let again = PrivateKey::parse(&private.to_file_text()).unwrap();
        assert_eq!(again.public_key(), private.public_key());
        let public = private.public_key();
        let text = public.to_string();
        assert!(text.starts_with(PUBLIC_KEY_PREFIX), "{text}");
        let parsed: PublicKey = format!("# a comment\n\n{text}\n").parse().unwrap();
        assert_eq!(parsed, public);
        assert_eq!(parsed.id().len(), 16);
        assert_ne!(PrivateKey::generate().unwrap().public_key(), public);
    }

    #[test]
    fn private_keys_stay_out_of_debug_output() {
        let private = PrivateKey::generate().unwrap();
        let text = private.to_file_text();
        let encoded = text
            .lines()
            .nth(1)
            .unwrap()
            .trim_start_matches(PRIVATE_KEY_PREFIX);
        assert!(!format!("{private:?}").contains(encoded));
    }

    #[test]
    fn bad_key_texts_are_refused_without_echoing_them() {
        let public = PrivateKey::generate().unwrap().public_key().to_string();
        let private = PrivateKey::generate().unwrap().to_file_text();
        assert!(
            PublicKey::parse(&private).is_err(),
            "a private key is not a public key"
        );
        assert!(PrivateKey::parse(&public).is_err());
        assert!(PublicKey::parse("").is_err());
        assert!(PublicKey::parse("ed25519:!!!").is_err());
        let short = format!("{PUBLIC_KEY_PREFIX}{}", STANDARD.encode([1u8; 31]));
        let err = PublicKey::parse(&short).unwrap_err();
        assert!(err.to_string().contains("31 bytes"), "{err}");
        assert!(!err.to_string().contains(&short));
        // The identity point has small order: anything "verifies" against it.
        let weak = format!(
            "{PUBLIC_KEY_PREFIX}{}",
            STANDARD.encode({
                let mut b = [0u8; 32];
                b[0] = 1;
                b
            })
        );
        assert!(PublicKey::parse(&weak).is_err());
        assert!(PublicKey::parse(&format!("{public}\n{public}")).is_err());
    }
}
