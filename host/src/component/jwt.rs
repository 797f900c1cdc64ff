//! JSON Web Token verification for contract 0.2's `crypto.jwt-verifier`: a compact JWS
//! (RFC 7515) checked against a secret and public keys, then its registered time, issuer and
//! audience claims (RFC 7519). Every input is untrusted: the settings come from a plugin and
//! the token from a client.
//!
//! The checks and their order are those of the example `auth-jwt` plugins, so that a plugin
//! that hands its token here refuses exactly what one that checks it itself refuses: the
//! token's shape, then `alg` against the accepted algorithms (before any key is chosen, so
//! that `none` or a public key used as an HMAC secret never passes), then the keys that may
//! verify it (by `kid`, then by type and pinned algorithm), the signature, the payload, and
//! last the claims.

use std::sync::Arc;

use base64::alphabet::URL_SAFE;
use base64::engine::{DecodePaddingMode, GeneralPurpose, GeneralPurposeConfig};
use base64::Engine as _;
use ring::hmac;
use serde_json::Value;

use crate::component::public_key::{Algorithm, PublicKey};

/// A JWS algorithm (RFC 7518, RFC 8037).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum JwsAlgorithm {
    /// HMAC with SHA-256, SHA-384 or SHA-512 under the secret.
    Hs256,
    Hs384,
    Hs512,
    /// A signature under a public key.
    Signature(Algorithm),
}

impl JwsAlgorithm {
    /// The algorithm a header's `alg` names (case-sensitive, as RFC 7515 says); `None` for
    /// `none` and every other name.
    pub(crate) fn from_name(name: &str) -> Option<Self> {
        use Algorithm::*;
        Some(match name {
            "HS256" => Self::Hs256,
            "HS384" => Self::Hs384,
            "HS512" => Self::Hs512,
            "RS256" => Self::Signature(Rs256),
            "RS384" => Self::Signature(Rs384),
            "RS512" => Self::Signature(Rs512),
            "PS256" => Self::Signature(Ps256),
            "PS384" => Self::Signature(Ps384),
            "PS512" => Self::Signature(Ps512),
            "ES256" => Self::Signature(Es256),
            "ES384" => Self::Signature(Es384),
            "EdDSA" => Self::Signature(EdDsa),
            _ => return None,
        })
    }

    /// Its JWS name.
    pub(crate) fn name(self) -> &'static str {
        use Algorithm::*;
        match self {
            Self::Hs256 => "HS256",
            Self::Hs384 => "HS384",
            Self::Hs512 => "HS512",
            Self::Signature(Rs256) => "RS256",
            Self::Signature(Rs384) => "RS384",
            Self::Signature(Rs512) => "RS512",
            Self::Signature(Ps256) => "PS256",
            Self::Signature(Ps384) => "PS384",
            Self::Signature(Ps512) => "PS512",
            Self::Signature(Es256) => "ES256",
            Self::Signature(Es384) => "ES384",
            Self::Signature(EdDsa) => "EdDSA",
        }
    }

    fn hmac(self) -> Option<hmac::Algorithm> {
        match self {
            Self::Hs256 => Some(hmac::HMAC_SHA256),
            Self::Hs384 => Some(hmac::HMAC_SHA384),
            Self::Hs512 => Some(hmac::HMAC_SHA512),
            Self::Signature(_) => None,
        }
    }
}

/// One public key of a verifier.
#[derive(Debug, Clone)]
pub(crate) struct JwtKey {
    /// Its `kid`, when it has one.
    pub(crate) kid: Option<String>,
    /// The JWS name of the one algorithm it may verify, when pinned.
    pub(crate) alg: Option<String>,
    pub(crate) key: Arc<PublicKey>,
}

/// What a verifier accepts, as a plugin gives it.
#[derive(Debug, Clone, Default)]
pub(crate) struct JwtSettings {
    pub(crate) algorithms: Vec<JwsAlgorithm>,
    pub(crate) secret: Option<Vec<u8>>,
    pub(crate) keys: Vec<JwtKey>,
    pub(crate) issuer: Option<String>,
    pub(crate) audience: Option<String>,
    pub(crate) leeway_seconds: u64,
}

/// Why a token was refused, in the order the checks run.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Rejection {
    Malformed,
    UnsupportedAlgorithm,
    InvalidSignature,
    Expired,
    NotYetValid,
    InvalidIssuer,
    InvalidAudience,
}

/// A token verifier: the settings checked, the HMAC keys prepared.
#[derive(Debug)]
pub(crate) struct JwtVerifier {
    algorithms: Vec<JwsAlgorithm>,
    /// The secret keyed once for each HMAC algorithm accepted.
    hmac_keys: Vec<(JwsAlgorithm, hmac::Key)>,
    keys: Vec<JwtKey>,
    issuer: Option<String>,
    audience: Option<String>,
    leeway: f64,
}

/// The longest token read, in bytes (a header's `Authorization` line is capped far below by
/// any HTTP server; this bounds the work on a token handed over some other way).
pub(crate) const MAX_TOKEN_BYTES: usize = 64 << 10;

/// base64url as RFC 7515 writes it, padding tolerated (some issuers pad), non-zero trailing
/// bits refused.
const BASE64URL: GeneralPurpose = GeneralPurpose::new(
    &URL_SAFE,
    GeneralPurposeConfig::new().with_decode_padding_mode(DecodePaddingMode::Indifferent),
);

impl JwtVerifier {
    /// A verifier for `settings`, or why they cannot verify anything safely: an empty secret
    /// (every signature would be forgeable), no algorithm, or an algorithm without a key.
    pub(crate) fn new(settings: JwtSettings) -> Result<Self, String> {
        if settings.algorithms.is_empty() {
            return Err("no algorithm is accepted".into());
        }
        if settings.secret.as_ref().is_some_and(Vec::is_empty) {
            return Err("the HMAC secret is empty".into());
        }
        for algorithm in &settings.algorithms {
            let verifiable = match algorithm {
                JwsAlgorithm::Signature(signature) => {
                    settings.keys.iter().any(|key| key.key.verifies(*signature))
                }
                _ => settings.secret.is_some(),
            };
            if !verifiable {
                let missing = match algorithm {
                    JwsAlgorithm::Signature(_) => "no public key of its type",
                    _ => "no secret",
                };
                return Err(format!(
                    "{} is accepted but {missing} is given",
                    algorithm.name()
                ));
            }
        }
        let mut algorithms = settings.algorithms;
        algorithms.dedup();
        let hmac_keys = match &settings.secret {
            None => Vec::new(),
            Some(secret) => algorithms
                .iter()
                .filter_map(|a| a.hmac().map(|h| (*a, hmac::Key::new(h, secret))))
                .collect(),
        };
        Ok(Self {
            algorithms,
            hmac_keys,
            keys: settings.keys,
            issuer: settings.issuer,
            audience: settings.audience,
            leeway: settings.leeway_seconds as f64,
        })
    }

    /// The payload of `token` when its signature holds under these settings and its claims
    /// pass at `now` (seconds since the Unix epoch): the JSON object's text as the token
    /// carries it.
    pub(crate) fn verify(&self, token: &str, now: f64) -> Result<String, Rejection> {
        if token.len() > MAX_TOKEN_BYTES {
            return Err(Rejection::Malformed);
        }
        let (signing_input, signature) = token.rsplit_once('.').ok_or(Rejection::Malformed)?;
        let (header, payload) = signing_input.split_once('.').ok_or(Rejection::Malformed)?;
        if payload.contains('.') {
            return Err(Rejection::Malformed);
        }
        let header = object(&decode_text(header)?)?;
        let algorithm = header
            .get("alg")
            .and_then(Value::as_str)
            .and_then(JwsAlgorithm::from_name)
            .filter(|a| self.algorithms.contains(a))
            .ok_or(Rejection::UnsupportedAlgorithm)?;
        let signature = BASE64URL
            .decode(signature)
            .map_err(|_| Rejection::Malformed)?;
        let message = signing_input.as_bytes();
        let valid = match algorithm {
            JwsAlgorithm::Signature(signature_algorithm) => {
                let kid = header.get("kid").and_then(Value::as_str);
                self.select(kid, algorithm)?.any(|key| {
                    matches!(
                        key.key.verify(signature_algorithm, message, &signature),
                        Ok(true)
                    )
                })
            }
            _ => {
                let key = self
                    .hmac_keys
                    .iter()
                    .find(|(a, _)| *a == algorithm)
                    .map(|(_, key)| key)
                    .ok_or(Rejection::UnsupportedAlgorithm)?;
                // ring compares the tags in constant time.
                hmac::verify(key, message, &signature).is_ok()
            }
        };
        if !valid {
            return Err(Rejection::InvalidSignature);
        }
        let text = decode_text(payload)?;
        self.check_claims(&object(&text)?, now)?;
        Ok(text)
    }

    /// The keys that may verify a token signed with `algorithm` whose header names `kid`, in
    /// their order. None by `kid`: no key signed it (`invalid-signature`). Some by `kid`, but
    /// none of the algorithm's type or pinned to it: the algorithm does not fit
    /// (`unsupported-algorithm`), and nothing is tried.
    fn select<'a>(
        &'a self,
        kid: Option<&'a str>,
        algorithm: JwsAlgorithm,
    ) -> Result<impl Iterator<Item = &'a JwtKey> + 'a, Rejection> {
        let JwsAlgorithm::Signature(signature) = algorithm else {
            return Err(Rejection::UnsupportedAlgorithm);
        };
        let candidate = move |key: &&JwtKey| match (kid, key.kid.as_deref()) {
            (Some(wanted), Some(own)) => wanted == own,
            _ => true,
        };
        let fits = move |key: &&JwtKey| {
            key.key.verifies(signature)
                && key.alg.as_deref().is_none_or(|own| own == algorithm.name())
        };
        if !self.keys.iter().any(|key| candidate(&key)) {
            return Err(Rejection::InvalidSignature);
        }
        if !self.keys.iter().filter(candidate).any(|key| fits(&key)) {
            return Err(Rejection::UnsupportedAlgorithm);
        }
        Ok(self.keys.iter().filter(candidate).filter(fits))
    }

    fn check_claims(
        &self,
        claims: &serde_json::Map<String, Value>,
        now: f64,
    ) -> Result<(), Rejection> {
        if let Some(exp) = numeric_date(claims, "exp")? {
            // RFC 7519 4.1.4: not accepted on or after `exp`.
            if now >= exp + self.leeway {
                return Err(Rejection::Expired);
            }
        }
        if let Some(nbf) = numeric_date(claims, "nbf")? {
            if now + self.leeway < nbf {
                return Err(Rejection::NotYetValid);
            }
        }
        if let Some(issuer) = &self.issuer {
            if claims.get("iss").and_then(Value::as_str) != Some(issuer.as_str()) {
                return Err(Rejection::InvalidIssuer);
            }
        }
        if let Some(audience) = &self.audience {
            // RFC 7519 4.1.3: one string or an array of them.
            let matches = match claims.get("aud") {
                Some(Value::String(aud)) => aud == audience,
                Some(Value::Array(auds)) => auds.iter().any(|aud| aud.as_str() == Some(audience)),
                _ => false,
            };
            if !matches {
                return Err(Rejection::InvalidAudience);
            }
        }
        Ok(())
    }
}

/// The text one base64url segment encodes, when it is UTF-8.
fn decode_text(segment: &str) -> Result<String, Rejection> {
    let bytes = BASE64URL
        .decode(segment)
        .map_err(|_| Rejection::Malformed)?;
    String::from_utf8(bytes).map_err(|_| Rejection::Malformed)
}

/// The JSON object `text` holds (a name given twice keeps its last value).
fn object(text: &str) -> Result<serde_json::Map<String, Value>, Rejection> {
    match serde_json::from_str(text) {
        Ok(Value::Object(members)) => Ok(members),
        _ => Err(Rejection::Malformed),
    }
}

/// Claim `name` as a NumericDate; a claim of another type makes the token malformed.
fn numeric_date(
    claims: &serde_json::Map<String, Value>,
    name: &str,
) -> Result<Option<f64>, Rejection> {
    claims
        .get(name)
        .map(|value| value.as_f64().ok_or(Rejection::Malformed))
        .transpose()
}

#[cfg(test)]
mod tests {
    use super::*;

    const NOW: f64 = 1_700_000_000.0;

    fn b64(bytes: &[u8]) -> String {
        base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
    }

    fn hs256(header: &str, payload: &str, secret: &[u8]) -> String {
        let input = format!("{}.{}", b64(header.as_bytes()), b64(payload.as_bytes()));
        let tag = hmac::sign(&hmac::Key::new(hmac::HMAC_SHA256, secret), input.as_bytes());
        format!("{input}.{}", b64(tag.as_ref()))
    }

    fn hmac_verifier() -> JwtVerifier {
        JwtVerifier::new(JwtSettings {
            algorithms: vec![JwsAlgorithm::Hs256],
            secret: Some(b"secret".to_vec()),
            issuer: Some("me".into()),
            audience: Some("api".into()),
            leeway_seconds: 5,
            ..JwtSettings::default()
        })
        .unwrap()
    }

    fn ed25519_key(
        kid: Option<&str>,
        alg: Option<&str>,
    ) -> (ring::signature::Ed25519KeyPair, JwtKey) {
        let rng = ring::rand::SystemRandom::new();
        let pkcs8 = ring::signature::Ed25519KeyPair::generate_pkcs8(&rng).unwrap();
        let pair = ring::signature::Ed25519KeyPair::from_pkcs8(pkcs8.as_ref()).unwrap();
        use ring::signature::KeyPair;
        let jwk = format!(
            r#"{{"kty":"OKP","crv":"Ed25519","x":"{}"}}"#,
            b64(pair.public_key().as_ref())
        );
        let key = JwtKey {
            kid: kid.map(str::to_owned),
            alg: alg.map(str::to_owned),
            key: Arc::new(PublicKey::from_jwk(&jwk).unwrap()),
        };
        (pair, key)
    }

    fn eddsa(pair: &ring::signature::Ed25519KeyPair, header: &str, payload: &str) -> String {
        let input = format!("{}.{}", b64(header.as_bytes()), b64(payload.as_bytes()));
        format!("{input}.{}", b64(pair.sign(input.as_bytes()).as_ref()))
    }

    #[test]
    fn a_good_token_gives_its_payload_text_as_is() {
        let payload =
            r#"{"sub":"u1", "iss":"me","aud":["x","api"],"exp":1700000100,"a":{"b":[1,2.5]}}"#;
        let token = hs256(r#"{"alg":"HS256","typ":"JWT"}"#, payload, b"secret");
        assert_eq!(hmac_verifier().verify(&token, NOW).as_deref(), Ok(payload));
    }

    #[test]
    fn the_checks_run_in_order_and_the_first_failure_is_reported() {
        let v = hmac_verifier();
        let claims = |extra: &str| format!(r#"{{"iss":"me","aud":"api"{extra}}}"#);
        let good_header = r#"{"alg":"HS256"}"#;
        let cases: Vec<(String, Rejection)> = vec![
            ("a.b".into(), Rejection::Malformed),
            ("a.b.c.d".into(), Rejection::Malformed),
            (format!("!!.{}.", b64(b"{}")), Rejection::Malformed),
            (hs256("[]", "{}", b"secret"), Rejection::Malformed),
            (
                hs256(r#"{"alg":"none"}"#, "{}", b"secret"),
                Rejection::UnsupportedAlgorithm,
            ),
            (
                hs256(r#"{"alg":"hs256"}"#, "{}", b"secret"),
                Rejection::UnsupportedAlgorithm,
            ),
            (
                hs256(r#"{"alg":"HS384"}"#, "{}", b"secret"),
                Rejection::UnsupportedAlgorithm,
            ),
            (
                hs256(r#"{"alg":1}"#, "{}", b"secret"),
                Rejection::UnsupportedAlgorithm,
            ),
            (
                hs256(good_header, &claims(""), b"other"),
                Rejection::InvalidSignature,
            ),
            (hs256(good_header, "[1]", b"secret"), Rejection::Malformed),
            (
                hs256(good_header, &claims(r#","exp":"soon""#), b"secret"),
                Rejection::Malformed,
            ),
            (
                hs256(good_header, &claims(r#","exp":1699999995"#), b"secret"),
                Rejection::Expired,
            ),
            (
                hs256(good_header, &claims(r#","nbf":1700000006"#), b"secret"),
                Rejection::NotYetValid,
            ),
            (
                hs256(good_header, r#"{"iss":"you","aud":"api"}"#, b"secret"),
                Rejection::InvalidIssuer,
            ),
            (
                hs256(good_header, r#"{"iss":"me","aud":["x"]}"#, b"secret"),
                Rejection::InvalidAudience,
            ),
            (
                hs256(good_header, r#"{"iss":"me"}"#, b"secret"),
                Rejection::InvalidAudience,
            ),
        ];
        for (token, expected) in cases {
            assert_eq!(v.verify(&token, NOW), Err(expected), "{token}");
        }
        // Within the leeway on both sides.
        let token = hs256(
            good_header,
            &claims(r#","exp":1699999996,"nbf":1700000005"#),
            b"secret",
        );
        assert!(v.verify(&token, NOW).is_ok());
    }

    #[test]
    fn a_signature_with_bad_base64_is_malformed_and_padding_is_tolerated() {
        let v = hmac_verifier();
        let good = hs256(
            r#"{"alg":"HS256"}"#,
            r#"{"iss":"me","aud":"api"}"#,
            b"secret",
        );
        let (input, signature) = good.rsplit_once('.').unwrap();
        assert_eq!(
            v.verify(&format!("{input}.{signature}!"), NOW),
            Err(Rejection::Malformed)
        );
        let padded = format!(
            "{input}.{signature}{}",
            "=".repeat((4 - signature.len() % 4) % 4)
        );
        assert!(v.verify(&padded, NOW).is_ok());
    }

    #[test]
    fn keys_are_chosen_by_kid_then_by_type_and_pinned_algorithm() {
        let (pair_a, key_a) = ed25519_key(Some("a"), None);
        let (pair_b, key_b) = ed25519_key(Some("b"), Some("EdDSA"));
        let (_, pinned_elsewhere) = ed25519_key(Some("c"), Some("ES256"));
        let v = JwtVerifier::new(JwtSettings {
            algorithms: vec![JwsAlgorithm::Signature(Algorithm::EdDsa)],
            keys: vec![key_a, key_b, pinned_elsewhere],
            ..JwtSettings::default()
        })
        .unwrap();
        let header = |kid: &str| format!(r#"{{"alg":"EdDSA","kid":"{kid}"}}"#);
        assert!(v.verify(&eddsa(&pair_a, &header("a"), "{}"), NOW).is_ok());
        assert!(v.verify(&eddsa(&pair_b, &header("b"), "{}"), NOW).is_ok());
        assert!(
            v.verify(&eddsa(&pair_b, r#"{"alg":"EdDSA"}"#, "{}"), NOW)
                .is_ok(),
            "no kid: every key is tried"
        );
        assert_eq!(
            v.verify(&eddsa(&pair_a, &header("b"), "{}"), NOW),
            Err(Rejection::InvalidSignature)
        );
        assert_eq!(
            v.verify(&eddsa(&pair_a, &header("z"), "{}"), NOW),
            Err(Rejection::InvalidSignature)
        );
        assert_eq!(
            v.verify(&eddsa(&pair_a, &header("c"), "{}"), NOW),
            Err(Rejection::UnsupportedAlgorithm),
            "the only key of that kid is pinned to another algorithm"
        );
    }

    #[test]
    fn a_public_key_never_serves_as_an_hmac_secret() {
        let (pair, key) = ed25519_key(None, None);
        let v = JwtVerifier::new(JwtSettings {
            algorithms: vec![JwsAlgorithm::Signature(Algorithm::EdDsa)],
            keys: vec![key],
            ..JwtSettings::default()
        })
        .unwrap();
        use ring::signature::KeyPair;
        let forged = hs256(r#"{"alg":"HS256"}"#, "{}", pair.public_key().as_ref());
        assert_eq!(v.verify(&forged, NOW), Err(Rejection::UnsupportedAlgorithm));
    }

    #[test]
    fn settings_that_cannot_verify_safely_are_refused() {
        let (_, key) = ed25519_key(None, None);
        let refused = |settings: JwtSettings| JwtVerifier::new(settings).unwrap_err();
        assert!(refused(JwtSettings::default()).contains("no algorithm"));
        assert!(refused(JwtSettings {
            algorithms: vec![JwsAlgorithm::Hs256],
            secret: Some(Vec::new()),
            ..JwtSettings::default()
        })
        .contains("empty"));
        assert!(refused(JwtSettings {
            algorithms: vec![JwsAlgorithm::Hs512],
            keys: vec![key.clone()],
            ..JwtSettings::default()
        })
        .contains("HS512"));
        assert!(refused(JwtSettings {
            algorithms: vec![JwsAlgorithm::Signature(Algorithm::Rs256)],
            keys: vec![key],
            ..JwtSettings::default()
        })
        .contains("RS256"));
    }

    #[test]
    fn an_oversized_token_is_malformed_without_being_read() {
        let token = "a".repeat(MAX_TOKEN_BYTES + 1);
        assert_eq!(
            hmac_verifier().verify(&token, NOW),
            Err(Rejection::Malformed)
        );
    }

    #[test]
    fn every_name_reads_back() {
        for name in [
            "HS256", "HS384", "HS512", "RS256", "RS384", "RS512", "PS256", "PS384", "PS512",
            "ES256", "ES384", "EdDSA",
        ] {
            assert_eq!(
                JwsAlgorithm::from_name(name).map(JwsAlgorithm::name),
                Some(name)
            );
        }
        assert_eq!(JwsAlgorithm::from_name("none"), None);
    }
}
