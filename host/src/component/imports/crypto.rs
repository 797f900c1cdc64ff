//! The host side of contract 0.2's `crypto` interface: digests, HMAC and constant-time
//! comparison with ring, random bytes from the operating system, public keys
//! ([`crate::component::public_key`]) and token verifiers ([`crate::component::jwt`]) held in
//! the instance's resource table, at most [`MAX_KEYS`] of them at once.

use ring::{digest, hmac};
use subtle::ConstantTimeEq;
use wasmtime::component::Resource;

use std::sync::Arc;
use std::time::{SystemTime, UNIX_EPOCH};

use crate::component::bindings::v0_2::crypto::{
    CryptoError, HashAlgorithm, Host, HostJwtVerifier, HostPublicKey, JwsAlgorithm, JwtRejection,
    JwtSettings, KeyType, SignatureAlgorithm,
};
use crate::component::jwt;
use crate::component::public_key::{self, Algorithm, KeyError};
use crate::component::store::InstanceState;

/// The most public keys and token verifiers one instance holds at once.
pub(crate) const MAX_KEYS: u32 = 256;
/// The most random bytes one call of `random-bytes` gives.
pub(crate) const MAX_RANDOM_BYTES: u32 = 4096;

/// A public key held by a guest: the value behind a WIT `public-key` handle.
pub struct PublicKey(pub(crate) public_key::PublicKey);

/// A token verifier held by a guest: the value behind a WIT `jwt-verifier` handle.
pub struct JwtVerifier(jwt::JwtVerifier);

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
    /// Puts a parsed key or a verifier in the table, within [`MAX_KEYS`].
    fn hold<T: Send + 'static>(
        &mut self,
        made: Result<T, CryptoError>,
    ) -> wasmtime::Result<Result<Resource<T>, CryptoError>> {
        let value = match made {
            Ok(value) => value,
            Err(err) => return Ok(Err(err)),
        };
        if self.keys_held >= MAX_KEYS {
            return Ok(Err(CryptoError::Limit(format!(
                "{MAX_KEYS} keys and verifiers held already; drop one first"
            ))));
        }
        let handle = self.table.push(value)?;
        self.keys_held += 1;
        Ok(Ok(handle))
    }

    fn hold_key(
        &mut self,
        parsed: Result<public_key::PublicKey, KeyError>,
    ) -> wasmtime::Result<Result<Resource<PublicKey>, CryptoError>> {
        self.hold(parsed.map(PublicKey).map_err(CryptoError::from))
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
        let algorithm = signature_algorithm(algorithm);
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

fn signature_algorithm(algorithm: SignatureAlgorithm) -> Algorithm {
    match algorithm {
        SignatureAlgorithm::Rs256 => Algorithm::Rs256,
        SignatureAlgorithm::Rs384 => Algorithm::Rs384,
        SignatureAlgorithm::Rs512 => Algorithm::Rs512,
        SignatureAlgorithm::Ps256 => Algorithm::Ps256,
        SignatureAlgorithm::Ps384 => Algorithm::Ps384,
        SignatureAlgorithm::Ps512 => Algorithm::Ps512,
        SignatureAlgorithm::Es256 => Algorithm::Es256,
        SignatureAlgorithm::Es384 => Algorithm::Es384,
        SignatureAlgorithm::Eddsa => Algorithm::EdDsa,
    }
}

fn jws_algorithm(algorithm: JwsAlgorithm) -> jwt::JwsAlgorithm {
    let signature = |a| jwt::JwsAlgorithm::Signature(signature_algorithm(a));
    match algorithm {
        JwsAlgorithm::Hs256 => jwt::JwsAlgorithm::Hs256,
        JwsAlgorithm::Hs384 => jwt::JwsAlgorithm::Hs384,
        JwsAlgorithm::Hs512 => jwt::JwsAlgorithm::Hs512,
        JwsAlgorithm::Rs256 => signature(SignatureAlgorithm::Rs256),
        JwsAlgorithm::Rs384 => signature(SignatureAlgorithm::Rs384),
        JwsAlgorithm::Rs512 => signature(SignatureAlgorithm::Rs512),
        JwsAlgorithm::Ps256 => signature(SignatureAlgorithm::Ps256),
        JwsAlgorithm::Ps384 => signature(SignatureAlgorithm::Ps384),
        JwsAlgorithm::Ps512 => signature(SignatureAlgorithm::Ps512),
        JwsAlgorithm::Es256 => signature(SignatureAlgorithm::Es256),
        JwsAlgorithm::Es384 => signature(SignatureAlgorithm::Es384),
        JwsAlgorithm::Eddsa => signature(SignatureAlgorithm::Eddsa),
    }
}

fn rejection(rejection: jwt::Rejection) -> JwtRejection {
    match rejection {
        jwt::Rejection::Malformed => JwtRejection::Malformed,
        jwt::Rejection::UnsupportedAlgorithm => JwtRejection::UnsupportedAlgorithm,
        jwt::Rejection::InvalidSignature => JwtRejection::InvalidSignature,
        jwt::Rejection::Expired => JwtRejection::Expired,
        jwt::Rejection::NotYetValid => JwtRejection::NotYetValid,
        jwt::Rejection::InvalidIssuer => JwtRejection::InvalidIssuer,
        jwt::Rejection::InvalidAudience => JwtRejection::InvalidAudience,
    }
}

impl HostJwtVerifier for InstanceState {
    fn create(
        &mut self,
        settings: JwtSettings,
    ) -> wasmtime::Result<Result<Resource<JwtVerifier>, CryptoError>> {
        let mut keys = Vec::with_capacity(settings.keys.len());
        for key in settings.keys {
            // The verifier keeps its own copy: the plugin may drop its handle.
            let public = self.table.get(&key.key)?.0.clone();
            keys.push(jwt::JwtKey {
                kid: key.kid,
                alg: key.alg,
                key: Arc::new(public),
            });
        }
        let made = jwt::JwtVerifier::new(jwt::JwtSettings {
            algorithms: settings.algorithms.into_iter().map(jws_algorithm).collect(),
            secret: settings.secret,
            keys,
            issuer: settings.issuer,
            audience: settings.audience,
            leeway_seconds: settings.leeway_seconds,
        });
        self.hold(made.map(JwtVerifier).map_err(CryptoError::InvalidKey))
    }

    fn verify(
        &mut self,
        handle: Resource<JwtVerifier>,
        token: String,
    ) -> wasmtime::Result<Result<String, JwtRejection>> {
        // Seconds since the epoch as a float, as the plugins read `exp` and `nbf`; a clock
        // before 1970 reads as 0 (every `exp` then lies ahead).
        let now = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0.0, |since| since.as_secs_f64());
        let verifier = &self.table.get(&handle)?.0;
        Ok(verifier.verify(&token, now).map_err(rejection))
    }

    fn drop(&mut self, handle: Resource<JwtVerifier>) -> wasmtime::Result<()> {
        self.table.delete(handle)?;
        self.keys_held = self.keys_held.saturating_sub(1);
        Ok(())
    }
}
