use mockforge_component_sdk::crypto::{HashAlgorithm, KeyType, SignatureAlgorithm};

/// A JWS algorithm this plugin verifies.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Algorithm {
    /// HS256, HS384 or HS512: an HMAC under the configured `secret`.
    Hmac(HashAlgorithm),
    /// A signature verified with a configured public key.
    Signature(SignatureAlgorithm),
}

impl Algorithm {
    /// The algorithm a JWS `alg` names, in the exact case of RFC 7518 (`HS256`, `RS256`,
    /// `PS256`, `ES256`, `EdDSA`, ...); `None` for `none` and every other name.
    pub fn from_name(name: &str) -> Option<Self> {
        HashAlgorithm::from_hmac_name(name)
            .map(Self::Hmac)
            .or_else(|| SignatureAlgorithm::from_name(name).map(Self::Signature))
    }

    /// The algorithm's JWS name.
    pub fn name(self) -> &'static str {
        match self {
            Self::Hmac(HashAlgorithm::Sha256) => "HS256",
            Self::Hmac(HashAlgorithm::Sha384) => "HS384",
            Self::Hmac(HashAlgorithm::Sha512) => "HS512",
            Self::Signature(algorithm) => algorithm.name(),
        }
    }
}

/// The algorithms accepted when `algorithms` is not configured: `HS256` when a secret is set,
/// then every algorithm that a configured key's type verifies (RSA: RS256, RS384, RS512,
/// PS256, PS384, PS512; P-256: ES256; P-384: ES384; Ed25519: EdDSA), each once.
pub fn defaults(has_secret: bool, key_types: impl IntoIterator<Item = KeyType>) -> Vec<Algorithm> {
    let key_types: Vec<KeyType> = key_types.into_iter().collect();
    let hmac = has_secret.then_some(Algorithm::Hmac(HashAlgorithm::Sha256));
    let signatures = SignatureAlgorithm::ALL
        .into_iter()
        .filter(|algorithm| key_types.contains(&algorithm.key_type()))
        .map(Algorithm::Signature);
    hmac.into_iter().chain(signatures).collect()
}

/// The algorithms of an `algorithms` config value: names separated by commas, spaces around
/// them ignored, at least one. An unknown name is an error naming it.
pub fn parse_list(list: &str) -> Result<Vec<Algorithm>, String> {
    let mut algorithms = Vec::new();
    for name in list
        .split(',')
        .map(str::trim)
        .filter(|name| !name.is_empty())
    {
        let algorithm = Algorithm::from_name(name).ok_or_else(|| {
            format!("{name:?} is not an algorithm this plugin verifies (HS256, HS384, HS512, RS256, RS384, RS512, PS256, PS384, PS512, ES256, ES384, EdDSA)")
        })?;
        if !algorithms.contains(&algorithm) {
            algorithms.push(algorithm);
        }
    }
    if algorithms.is_empty() {
        return Err("lists no algorithm".into());
    }
    Ok(algorithms)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(algorithms: &[Algorithm]) -> Vec<&'static str> {
        algorithms.iter().map(|a| a.name()).collect()
    }

    #[test]
    fn names_round_trip_in_exact_case() {
        for name in [
            "HS256", "HS384", "HS512", "RS256", "RS384", "RS512", "PS256", "PS384", "PS512",
            "ES256", "ES384", "EdDSA",
        ] {
            assert_eq!(Algorithm::from_name(name).map(Algorithm::name), Some(name));
        }
        for name in ["none", "None", "hs256", "EDDSA", "ES512", ""] {
            assert_eq!(Algorithm::from_name(name), None, "{name}");
        }
    }

    #[test]
    fn defaults_follow_the_configured_keys() {
        assert_eq!(names(&defaults(true, [])), ["HS256"]);
        assert_eq!(
            names(&defaults(
                false,
                [KeyType::Ed25519, KeyType::Rsa, KeyType::Rsa]
            )),
            ["RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "EdDSA"]
        );
        assert_eq!(
            names(&defaults(true, [KeyType::EcP384, KeyType::EcP256])),
            ["HS256", "ES256", "ES384"]
        );
        assert!(defaults(false, []).is_empty());
    }

    #[test]
    fn parses_a_list() {
        assert_eq!(
            names(&parse_list(" RS256 ,ES256,, RS256").unwrap()),
            ["RS256", "ES256"]
        );
        assert!(parse_list("RS256,none").unwrap_err().contains("\"none\""));
        assert!(parse_list(" , ").is_err());
    }
}
