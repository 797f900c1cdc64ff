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
        // One handle listed again and again would otherwise have the host copy its key as
        // many times.
        if settings.keys.len() > MAX_KEYS as usize {
            return Ok(Err(CryptoError::Limit(format!(
                "{} keys given to one verifier; at most {MAX_KEYS}",
                settings.keys.len()
            ))));
        }
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

#[cfg(test)]
mod tests {
    use base64::Engine as _;
    use wasmtime::Engine;

    use super::*;
    use crate::component::bindings::v0_2::crypto::JwtKey;
    use crate::component::store::{new_store, test_context};

    fn b64(bytes: &[u8]) -> String {
        base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
    }

    /// An Ed25519 key pair, and the public key held by `state`.
    fn held_key(
        state: &mut InstanceState,
    ) -> (ring::signature::Ed25519KeyPair, Resource<PublicKey>) {
        use ring::signature::KeyPair;
        let pkcs8 =
            ring::signature::Ed25519KeyPair::generate_pkcs8(&ring::rand::SystemRandom::new())
                .unwrap();
        let pair = ring::signature::Ed25519KeyPair::from_pkcs8(pkcs8.as_ref()).unwrap();
        let jwk = format!(
            r#"{{"kty":"OKP","crv":"Ed25519","x":"{}"}}"#,
            b64(pair.public_key().as_ref())
        );
        let key = HostPublicKey::from_jwk(state, jwk).unwrap().unwrap();
        (pair, key)
    }

    fn settings(keys: Vec<JwtKey>) -> JwtSettings {
        JwtSettings {
            algorithms: vec![JwsAlgorithm::Eddsa],
            secret: None,
            keys,
            issuer: None,
            audience: None,
            leeway_seconds: 0,
        }
    }

    fn borrowed(key: &Resource<PublicKey>) -> JwtKey {
        JwtKey {
            kid: None,
            alg: None,
            key: Resource::new_borrow(key.rep()),
        }
    }

    #[test]
    fn a_verifier_keeps_its_own_key_and_counts_as_a_held_key() {
        let engine = Engine::default();
        let mut store = new_store(&engine, &test_context("jwt"));
        let state = store.data_mut();
        let (pair, key) = held_key(state);
        let verifier = HostJwtVerifier::create(state, settings(vec![borrowed(&key)]))
            .unwrap()
            .unwrap();
        assert_eq!(state.keys_held, 2);
        // The plugin may drop its key: the verifier has its own copy.
        HostPublicKey::drop(state, key).unwrap();
        let input = format!("{}.{}", b64(br#"{"alg":"EdDSA"}"#), b64(br#"{"sub":"u"}"#));
        let token = format!("{input}.{}", b64(pair.sign(input.as_bytes()).as_ref()));
        let handle = || Resource::<JwtVerifier>::new_borrow(verifier.rep());
        let verified = HostJwtVerifier::verify(state, handle(), token.clone()).unwrap();
        assert_eq!(verified.as_deref(), Ok(r#"{"sub":"u"}"#));
        let forged = format!("{input}.{}", b64(&[0; 64]));
        let refused = HostJwtVerifier::verify(state, handle(), forged).unwrap();
        assert!(matches!(refused, Err(JwtRejection::InvalidSignature)));
        HostJwtVerifier::drop(state, verifier).unwrap();
        assert_eq!(state.keys_held, 0);
    }

    #[test]
    fn a_verifier_refuses_more_keys_than_an_instance_may_hold() {
        let engine = Engine::default();
        let mut store = new_store(&engine, &test_context("jwt"));
        let state = store.data_mut();
        let (_, key) = held_key(state);
        let many = (0..=MAX_KEYS).map(|_| borrowed(&key)).collect();
        let refused = HostJwtVerifier::create(state, settings(many)).unwrap();
        assert!(matches!(refused, Err(CryptoError::Limit(m)) if m.contains("257 keys")));
        let unsafe_settings = JwtSettings {
            algorithms: vec![JwsAlgorithm::Hs256],
            ..settings(vec![borrowed(&key)])
        };
        let refused = HostJwtVerifier::create(state, unsafe_settings).unwrap();
        assert!(matches!(refused, Err(CryptoError::InvalidKey(m)) if m.contains("HS256")));
        assert_eq!(state.keys_held, 1, "nothing refused is held");
    }
}
