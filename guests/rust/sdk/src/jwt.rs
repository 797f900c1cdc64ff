//! JSON Web Token verification done natively by the host: one call checks a token's
//! signature, its `exp` and `nbf` against the host's clock, its issuer and its audience, and
//! gives back the payload's JSON text.
//!
//! Make the verifier once (at the first call, from the plugin's configuration) and keep it: a
//! warm instance keeps it between calls, and the host prepares its keys once.
//!
//! ```no_run
//! use mockforge_component_sdk::jwt::{JwsAlgorithm, Settings, Verifier};
//!
//! let verifier = Verifier::new(&Settings {
//!     algorithms: vec![JwsAlgorithm::Hs256],
//!     secret: Some(b"a secret of the mock".as_slice()),
//!     issuer: Some("https://id.example"),
//!     ..Settings::default()
//! })
//! .expect("a secret verifies HS256");
//! match verifier.verify("eyJ...") {
//!     Ok(payload) => { /* the payload's JSON object, as the token carries it */ }
//!     Err(rejection) => { /* `rejection.name()`: "expired", "invalid-signature", ... */ }
//! }
//! ```
//!
//! The checks and their order (the first that fails is the rejection): the token's shape
//! ([`JwtRejection::Malformed`]); its header's `alg` among the accepted algorithms
//! ([`JwtRejection::UnsupportedAlgorithm`]; `none` never is); the keys that may verify it: by
//! `kid` (none: [`JwtRejection::InvalidSignature`]), then by type and pinned algorithm (none:
//! `UnsupportedAlgorithm`, nothing tried, so that a public key never serves as an HMAC
//! secret); the signature (`InvalidSignature`); the payload, a JSON object (`Malformed`); `exp`
//! and `nbf` with the leeway ([`JwtRejection::Expired`], [`JwtRejection::NotYetValid`]; not a
//! number: `Malformed`); `iss` ([`JwtRejection::InvalidIssuer`]); `aud`
//! ([`JwtRejection::InvalidAudience`]).

use crate::bindings::auth_world::mockforge::plugin::crypto as wire;
use crate::crypto::{CryptoError, KeyType, PublicKey, SignatureAlgorithm};

pub use wire::{JwsAlgorithm, JwtRejection};

/// One public key of a verifier, with what chooses it for a token.
#[derive(Debug, Clone, Copy)]
pub struct Key<'k> {
    /// Its `kid`: a token naming another `kid` is not tried with it; `None`: any token.
    pub kid: Option<&'k str>,
    /// The JWS name of the one algorithm it may verify (a JWK's `alg`, as written); `None`:
    /// every algorithm its type verifies.
    pub alg: Option<&'k str>,
    /// The key. The verifier keeps its own reference: the plugin may drop the key after.
    pub key: &'k PublicKey,
}

/// What a verifier accepts.
#[derive(Debug, Clone, Default)]
pub struct Settings<'k> {
    /// The algorithms a token may be signed with; each needs a key (`secret` for HS256,
    /// HS384 and HS512, a public key of the fitting type for the others).
    pub algorithms: Vec<JwsAlgorithm>,
    /// The HMAC secret; never empty.
    pub secret: Option<&'k [u8]>,
    /// The public keys, tried in this order; at most 256.
    pub keys: Vec<Key<'k>>,
    /// The `iss` claim a token must carry, when set.
    pub issuer: Option<&'k str>,
    /// A value the `aud` claim (a string or an array of strings) must be or contain, when set.
    pub audience: Option<&'k str>,
    /// Seconds of clock skew tolerated on `exp` and `nbf`.
    pub leeway_seconds: u64,
}

/// Verifies tokens under one [`Settings`], natively in the host.
#[derive(Debug)]
pub struct Verifier(wire::JwtVerifier);

impl Verifier {
    /// A verifier for `settings`: [`CryptoError::InvalidKey`] when an algorithm has no key to
    /// verify it or the secret is empty, [`CryptoError::Limit`] beyond 256 keys (or when the
    /// instance holds too many keys).
    pub fn new(settings: &Settings) -> Result<Self, CryptoError> {
        let keys: Vec<wire::JwtKey<'_>> = settings
            .keys
            .iter()
            .map(|key| wire::JwtKey {
                kid: key.kid,
                alg: key.alg,
                key: key.key.wire(),
            })
            .collect();
        wire::JwtVerifier::create(wire::JwtSettings {
            algorithms: &settings.algorithms,
            secret: settings.secret,
            keys: &keys,
            issuer: settings.issuer,
            audience: settings.audience,
            leeway_seconds: settings.leeway_seconds,
        })
        .map(Self)
    }

    /// The payload of `token` (the credential of `Authorization: Bearer`, without the scheme)
    /// when every check passes: its JSON object's text as the token carries it, usable as an
    /// identity's claims as is ([`crate::Identity::with_claims_json`]). Otherwise the first
    /// check that failed.
    pub fn verify(&self, token: &str) -> Result<String, JwtRejection> {
        self.0.verify(token)
    }
}

impl JwsAlgorithm {
    /// Every algorithm, in the order of the WIT enum.
    pub const ALL: [Self; 12] = [
        Self::Hs256,
        Self::Hs384,
        Self::Hs512,
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

    /// The algorithm a JWS `alg` names (`HS256`, `RS256`, `EdDSA`, ..., the exact case of RFC
    /// 7518 and RFC 8037); `None` for `none` and every other name.
    pub fn from_name(name: &str) -> Option<Self> {
        Self::ALL
            .into_iter()
            .find(|algorithm| algorithm.name() == name)
    }

    /// The algorithm's JWS name.
    pub fn name(self) -> &'static str {
        match (self, self.signature()) {
            (_, Some(signature)) => signature.name(),
            (Self::Hs384, None) => "HS384",
            (Self::Hs512, None) => "HS512",
            (_, None) => "HS256",
        }
    }

    /// The signature algorithm it is; `None` for the HMAC algorithms.
    pub fn signature(self) -> Option<SignatureAlgorithm> {
        Some(match self {
            Self::Hs256 | Self::Hs384 | Self::Hs512 => return None,
            Self::Rs256 => SignatureAlgorithm::Rs256,
            Self::Rs384 => SignatureAlgorithm::Rs384,
            Self::Rs512 => SignatureAlgorithm::Rs512,
            Self::Ps256 => SignatureAlgorithm::Ps256,
            Self::Ps384 => SignatureAlgorithm::Ps384,
            Self::Ps512 => SignatureAlgorithm::Ps512,
            Self::Es256 => SignatureAlgorithm::Es256,
            Self::Es384 => SignatureAlgorithm::Es384,
            Self::Eddsa => SignatureAlgorithm::Eddsa,
        })
    }

    /// The type of public key that verifies it; `None` for the HMAC algorithms (the secret).
    pub fn key_type(self) -> Option<KeyType> {
        self.signature().map(SignatureAlgorithm::key_type)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn jws_names_round_trip_in_their_exact_case() {
        for algorithm in JwsAlgorithm::ALL {
            assert_eq!(JwsAlgorithm::from_name(algorithm.name()), Some(algorithm));
        }
        for name in ["hs256", "none", "EDDSA", "", "HS256 "] {
            assert_eq!(JwsAlgorithm::from_name(name), None, "{name}");
        }
    }

    #[test]
    fn each_algorithm_names_the_key_that_verifies_it() {
        let verified_by = |key: Option<KeyType>| {
            JwsAlgorithm::ALL
                .into_iter()
                .filter(|algorithm| algorithm.key_type() == key)
                .map(JwsAlgorithm::name)
                .collect::<Vec<_>>()
        };
        assert_eq!(verified_by(None), ["HS256", "HS384", "HS512"]);
        assert_eq!(
            verified_by(Some(KeyType::Rsa)),
            ["RS256", "RS384", "RS512", "PS256", "PS384", "PS512"]
        );
        assert_eq!(verified_by(Some(KeyType::EcP256)), ["ES256"]);
        assert_eq!(verified_by(Some(KeyType::EcP384)), ["ES384"]);
        assert_eq!(verified_by(Some(KeyType::Ed25519)), ["EdDSA"]);
    }
}
