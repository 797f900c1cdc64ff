//! The host side of contract 0.2's `crypto` interface: digests, HMAC and constant-time
//! comparison with ring, random bytes from the operating system, and public keys
//! ([`crate::component::public_key`]) held in the instance's resource table, at most
//! [`MAX_KEYS`] at once.

use ring::{digest, hmac};
use subtle::ConstantTimeEq;
use wasmtime::component::Resource;

use crate::component::bindings::v0_2::crypto::{
    CryptoError, HashAlgorithm, Host, HostPublicKey, KeyType, SignatureAlgorithm,
};
use crate::component::public_key::{self, Algorithm, KeyError};
use crate::component::store::InstanceState;

/// The most public keys one instance holds at once.
pub(crate) const MAX_KEYS: u32 = 256;
/// The most random bytes one call of `random-bytes` gives.
pub(crate) const MAX_RANDOM_BYTES: u32 = 4096;

/// A public key held by a guest: the value behind a WIT `public-key` handle.
pub struct PublicKey(pub(crate) public_key::PublicKey);

impl From<KeyError> for CryptoError {
    fn from(error: KeyError) -> Self {
        match error {
            KeyError::Invalid(m) => Self::InvalidKey(m),
            KeyError::Mismatch(m) => Self::KeyMismatch(m),
            KeyError::Limit(m) => Self::Limit(m),
        }
    }
}

fn digest_algorithm(algorithm: HashAlgorithm) -> &'static digest::Algorithm {
    match algorithm {
        HashAlgorithm::Sha256 => &digest::SHA256,
        HashAlgorithm::Sha384 => &digest::SHA384,
        HashAlgorithm::Sha512 => &digest::SHA512,
    }
}

fn hmac_key(algorithm: HashAlgorithm, key: &[u8]) -> hmac::Key {
    let algorithm = match algorithm {
        HashAlgorithm::Sha256 => hmac::HMAC_SHA256,
        HashAlgorithm::Sha384 => hmac::HMAC_SHA384,
        HashAlgorithm::Sha512 => hmac::HMAC_SHA512,
    };
    hmac::Key::new(algorithm, key)
}

impl Host for InstanceState {
    fn digest(&mut self, algorithm: HashAlgorithm, data: Vec<u8>) -> wasmtime::Result<Vec<u8>> {
        Ok(digest::digest(digest_algorithm(algorithm), &data)
            .as_ref()
            .to_vec())
    }

    fn hmac(
        &mut self,
        algorithm: HashAlgorithm,
        key: Vec<u8>,
        data: Vec<u8>,
    ) -> wasmtime::Result<Vec<u8>> {
        Ok(hmac::sign(&hmac_key(algorithm, &key), &data)
            .as_ref()
            .to_vec())
    }

    fn hmac_verify(
        &mut self,
        algorithm: HashAlgorithm,
        key: Vec<u8>,
        data: Vec<u8>,
        tag: Vec<u8>,
    ) -> wasmtime::Result<bool> {
        // ring compares the tags in constant time.
        Ok(hmac::verify(&hmac_key(algorithm, &key), &data, &tag).is_ok())
    }

    fn constant_time_equal(&mut self, a: Vec<u8>, b: Vec<u8>) -> wasmtime::Result<bool> {
        Ok(a.len() == b.len() && bool::from(a.ct_eq(&b)))
    }

    fn random_bytes(&mut self, len: u32) -> wasmtime::Result<Result<Vec<u8>, CryptoError>> {
        if len > MAX_RANDOM_BYTES {
            return Ok(Err(CryptoError::Limit(format!(
                "{len} random bytes asked for; at most {MAX_RANDOM_BYTES} at once"
            ))));
        }
        let mut bytes = vec![0; len as usize];
        getrandom::fill(&mut bytes)
            .map_err(|e| wasmtime::format_err!("the system's random source failed: {e}"))?;
        Ok(Ok(bytes))
    }
}

impl InstanceState {
    /// Puts a parsed key in the table, within [`MAX_KEYS`].
    fn hold_key(
        &mut self,
        parsed: Result<public_key::PublicKey, KeyError>,
    ) -> wasmtime::Result<Result<Resource<PublicKey>, CryptoError>> {
        let key = match parsed {
            Ok(key) => key,
            Err(err) => return Ok(Err(err.into())),
        };
        if self.keys_held >= MAX_KEYS {
            return Ok(Err(CryptoError::Limit(format!(
                "{MAX_KEYS} keys held already; drop one first"
            ))));
        }
        let handle = self.table.push(PublicKey(key))?;
        self.keys_held += 1;
        Ok(Ok(handle))
    }
}

impl HostPublicKey for InstanceState {
    fn from_pem(
        &mut self,
        pem: String,
    ) -> wasmtime::Result<Result<Resource<PublicKey>, CryptoError>> {
        self.hold_key(public_key::PublicKey::from_pem(&pem))
    }

    fn from_jwk(
        &mut self,
        jwk: String,
    ) -> wasmtime::Result<Result<Resource<PublicKey>, CryptoError>> {
        self.hold_key(public_key::PublicKey::from_jwk(&jwk))
    }

    fn key_type(&mut self, handle: Resource<PublicKey>) -> wasmtime::Result<KeyType> {
        Ok(match self.table.get(&handle)?.0 {
            public_key::PublicKey::Rsa { .. } => KeyType::Rsa,
            public_key::PublicKey::P256(_) => KeyType::EcP256,
            public_key::PublicKey::P384(_) => KeyType::EcP384,
            public_key::PublicKey::Ed25519(_) => KeyType::Ed25519,
        })
    }

    fn verify(
        &mut self,
        handle: Resource<PublicKey>,
        algorithm: SignatureAlgorithm,
        message: Vec<u8>,
        signature: Vec<u8>,
    ) -> wasmtime::Result<Result<bool, CryptoError>> {
        let algorithm = match algorithm {
            SignatureAlgorithm::Rs256 => Algorithm::Rs256,
            SignatureAlgorithm::Rs384 => Algorithm::Rs384,
            SignatureAlgorithm::Rs512 => Algorithm::Rs512,
            SignatureAlgorithm::Ps256 => Algorithm::Ps256,
            SignatureAlgorithm::Ps384 => Algorithm::Ps384,
            SignatureAlgorithm::Ps512 => Algorithm::Ps512,
            SignatureAlgorithm::Es256 => Algorithm::Es256,
            SignatureAlgorithm::Es384 => Algorithm::Es384,
            SignatureAlgorithm::Eddsa => Algorithm::EdDsa,
        };
        let key = &self.table.get(&handle)?.0;
        Ok(key
            .verify(algorithm, &message, &signature)
            .map_err(CryptoError::from))
    }

    fn drop(&mut self, handle: Resource<PublicKey>) -> wasmtime::Result<()> {
        self.table.delete(handle)?;
        self.keys_held = self.keys_held.saturating_sub(1);
        Ok(())
    }
}
