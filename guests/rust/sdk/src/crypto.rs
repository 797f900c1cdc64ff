//! Cryptography done natively by the host: digests, HMAC, constant-time comparison, secure
//! random bytes and signature verification with public keys. A plugin needs no cryptography
//! crate of its own, and every primitive runs at native speed.
//!
//! ```no_run
//! use mockforge_component_sdk::crypto::{self, HashAlgorithm, PublicKey, SignatureAlgorithm};
//!
//! // HS256 of a JWS: the host compares the tag in constant time.
//! let ok = crypto::hmac_verify(HashAlgorithm::Sha256, b"secret", b"header.payload", &[0u8; 32]);
//!
//! // RS256 with a key read once (keep it: a warm instance verifies many tokens with it).
//! let key = PublicKey::from_pem("-----BEGIN PUBLIC KEY-----\n...").expect("a public key");
//! let valid = key.verify(SignatureAlgorithm::Rs256, b"header.payload", &[0u8; 256]);
//! ```

use crate::bindings::auth_world::mockforge::plugin::crypto as wire;
use crate::PluginError;

pub use wire::{CryptoError, HashAlgorithm, KeyType, SignatureAlgorithm};

/// The digest of `data` under `algorithm` (32, 48 or 64 bytes).
pub fn digest(algorithm: HashAlgorithm, data: impl AsRef<[u8]>) -> Vec<u8> {
    wire::digest(algorithm, data.as_ref())
}

/// The HMAC of `data` under `key` with `algorithm` (HS256, HS384 and HS512 of a JWS).
pub fn hmac(algorithm: HashAlgorithm, key: impl AsRef<[u8]>, data: impl AsRef<[u8]>) -> Vec<u8> {
    wire::hmac(algorithm, key.as_ref(), data.as_ref())
}

/// Whether `tag` is the HMAC of `data` under `key` with `algorithm`, compared in constant time.
pub fn hmac_verify(
    algorithm: HashAlgorithm,
    key: impl AsRef<[u8]>,
    data: impl AsRef<[u8]>,
    tag: impl AsRef<[u8]>,
) -> bool {
    wire::hmac_verify(algorithm, key.as_ref(), data.as_ref(), tag.as_ref())
}

/// Whether `a` and `b` are equal, in time that depends only on their lengths.
pub fn constant_time_eq(a: impl AsRef<[u8]>, b: impl AsRef<[u8]>) -> bool {
    wire::constant_time_equal(a.as_ref(), b.as_ref())
}

/// `len` bytes from the operating system's secure random source; at most 4096 at once
/// (more is a [`CryptoError::Limit`]).
pub fn random_bytes(len: usize) -> Result<Vec<u8>, CryptoError> {
    let len = u32::try_from(len)
        .map_err(|_| CryptoError::Limit(format!("{len} random bytes asked for at once")))?;
    wire::random_bytes(len)
}

/// A public key for signature verification, held by the host.
///
/// Read it once and keep it (in a `static`, say) for as many verifications as you like: a
/// warm instance keeps its keys between calls, and reading a key is the costly part.
#[derive(Debug)]
pub struct PublicKey(wire::PublicKey);

impl PublicKey {
    /// Reads a PEM public key: `PUBLIC KEY` (SubjectPublicKeyInfo: RSA, EC P-256 or P-384,
    /// Ed25519) or `RSA PUBLIC KEY` (PKCS#1). A private key, an RSA key under 2048 bits or an
    /// unsupported curve is a [`CryptoError::InvalidKey`].
    pub fn from_pem(pem: &str) -> Result<Self, CryptoError> {
        wire::PublicKey::from_pem(pem).map(Self)
    }

    /// Reads one JSON Web Key (RFC 7517) holding a public key: `kty` `RSA` (`n`, `e`), `EC`
    /// (`crv` `P-256` or `P-384`, `x`, `y`) or `OKP` (`crv` `Ed25519`, `x`). The host ignores
    /// the other members (`kid`, `alg`, `use`): reading a JWKS and choosing keys is the
    /// plugin's part.
    pub fn from_jwk(jwk: &str) -> Result<Self, CryptoError> {
        wire::PublicKey::from_jwk(jwk).map(Self)
    }

    /// The host's handle, lent to a record that names the key (a verifier's settings).
    pub(crate) fn wire(&self) -> &wire::PublicKey {
        &self.0
    }

    /// The key's type.
    pub fn key_type(&self) -> KeyType {
        self.0.key_type()
    }

    /// Whether `signature` is a valid signature of `message` under this key with `algorithm`
    /// (for ECDSA, `r || s` as in a JWS). An algorithm that does not fit the key's type is a
    /// [`CryptoError::KeyMismatch`]: it is refused, never tried.
    pub fn verify(
        &self,
        algorithm: SignatureAlgorithm,
        message: impl AsRef<[u8]>,
        signature: impl AsRef<[u8]>,
    ) -> Result<bool, CryptoError> {
        self.0
            .verify(algorithm, message.as_ref(), signature.as_ref())
    }
}

impl HashAlgorithm {
    /// The hash of a JWS HMAC algorithm name (`HS256`, `HS384`, `HS512`, exact case).
    pub fn from_hmac_name(name: &str) -> Option<Self> {
        Some(match name {
            "HS256" => Self::Sha256,
            "HS384" => Self::Sha384,
            "HS512" => Self::Sha512,
            _ => return None,
        })
    }
}

impl SignatureAlgorithm {
    /// Every signature algorithm, in the order of the WIT enum.
    pub const ALL: [Self; 9] = [
        Self::Rs256,
        Self::Rs384,
        Self::Rs512,
        Self::Ps256,
        Self::Ps384,
        Self::Ps512,
        Self::Es256,
        Self::Es384,
        Self::Eddsa,
    ];

    /// The algorithm a JWS `alg` names (`RS256`, `PS256`, `ES256`, `EdDSA`, ..., exact case).
    pub fn from_name(name: &str) -> Option<Self> {
        Self::ALL
            .into_iter()
            .find(|algorithm| algorithm.name() == name)
    }

    /// The algorithm's JWS name (RFC 7518, RFC 8037).
    pub fn name(self) -> &'static str {
        match self {
            Self::Rs256 => "RS256",
            Self::Rs384 => "RS384",
            Self::Rs512 => "RS512",
            Self::Ps256 => "PS256",
            Self::Ps384 => "PS384",
            Self::Ps512 => "PS512",
            Self::Es256 => "ES256",
            Self::Es384 => "ES384",
            Self::Eddsa => "EdDSA",
        }
    }

    /// The type of key that verifies this algorithm.
    pub fn key_type(self) -> KeyType {
        match self {
            Self::Rs256 | Self::Rs384 | Self::Rs512 | Self::Ps256 | Self::Ps384 | Self::Ps512 => {
                KeyType::Rsa
            }
            Self::Es256 => KeyType::EcP256,
            Self::Es384 => KeyType::EcP384,
            Self::Eddsa => KeyType::Ed25519,
        }
    }
}

impl KeyType {
    /// The signature algorithms a key of this type verifies, in the order of
    /// [`SignatureAlgorithm::ALL`].
    pub fn algorithms(self) -> impl Iterator<Item = SignatureAlgorithm> {
        SignatureAlgorithm::ALL
            .into_iter()
            .filter(move |algorithm| algorithm.key_type() == self)
    }
}

/// A key or random-bytes failure the plugin does not handle becomes an internal error
/// naming it.
impl From<CryptoError> for PluginError {
    fn from(error: CryptoError) -> Self {
        PluginError::Internal(format!("crypto: {error}"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn jws_names_round_trip() {
        for algorithm in SignatureAlgorithm::ALL {
            assert_eq!(
                SignatureAlgorithm::from_name(algorithm.name()),
                Some(algorithm)
            );
        }
        for name in ["rs256", "none", "HS256", "EDDSA", ""] {
            assert_eq!(SignatureAlgorithm::from_name(name), None, "{name}");
        }
        assert_eq!(
            HashAlgorithm::from_hmac_name("HS384"),
            Some(HashAlgorithm::Sha384)
        );
        assert_eq!(HashAlgorithm::from_hmac_name("hs256"), None);
    }

    #[test]
    fn each_key_type_verifies_its_own_algorithms() {
        let names = |key: KeyType| {
            key.algorithms()
                .map(SignatureAlgorithm::name)
                .collect::<Vec<_>>()
        };
        assert_eq!(
            names(KeyType::Rsa),
            ["RS256", "RS384", "RS512", "PS256", "PS384", "PS512"]
        );
        assert_eq!(names(KeyType::EcP256), ["ES256"]);
        assert_eq!(names(KeyType::EcP384), ["ES384"]);
        assert_eq!(names(KeyType::Ed25519), ["EdDSA"]);
    }
}
