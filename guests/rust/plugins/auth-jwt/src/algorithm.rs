//! The `algorithms` a token may be signed with: read from the configuration, or the defaults
//! the configured keys imply.

use mockforge_component_sdk::crypto::KeyType;
use mockforge_component_sdk::jwt::JwsAlgorithm;

/// The algorithms accepted when `algorithms` is not configured: `HS256` when a secret is set,
/// then every algorithm that a configured key's type verifies (RSA: RS256, RS384, RS512,
/// PS256, PS384, PS512; P-256: ES256; P-384: ES384; Ed25519: EdDSA), each once.
pub fn defaults(
    has_secret: bool,
    key_types: impl IntoIterator<Item = KeyType>,
) -> Vec<JwsAlgorithm> {
    let key_types: Vec<KeyType> = key_types.into_iter().collect();
    let hmac = has_secret.then_some(JwsAlgorithm::Hs256);
    let signatures = JwsAlgorithm::ALL.into_iter().filter(|algorithm| {
        algorithm
            .key_type()
            .is_some_and(|key_type| key_types.contains(&key_type))
    });
    hmac.into_iter().chain(signatures).collect()
}

/// The algorithms of an `algorithms` config value: names separated by commas, spaces around
/// them ignored, at least one. An unknown name is an error naming it.
pub fn parse_list(list: &str) -> Result<Vec<JwsAlgorithm>, String> {
    let mut algorithms = Vec::new();
    for name in list
        .split(',')
        .map(str::trim)
        .filter(|name| !name.is_empty())
    {
        let algorithm = JwsAlgorithm::from_name(name).ok_or_else(|| {
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

    fn names(algorithms: &[JwsAlgorithm]) -> Vec<&'static str> {
        algorithms.iter().map(|a| a.name()).collect()
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
        assert!(parse_list("RS256,hs256").unwrap_err().contains("\"hs256\""));
        assert!(parse_list(" , ").is_err());
    }
}
