use mockforge_component_sdk::crypto::{KeyType, SignatureAlgorithm};

use crate::rejection::Rejection;

/// A configured public key and what chooses it for a token.
#[derive(Debug)]
pub struct Key<K> {
    /// Its `kid` in the JWKS; `None` for a PEM key or a JWK without one.
    pub kid: Option<String>,
    /// The one algorithm it verifies, when its JWK says (`alg`).
    pub alg: Option<String>,
    /// Its type, read once when it was loaded.
    pub key_type: KeyType,
    /// The key itself (the host's handle; anything in tests).
    pub key: K,
}

/// The keys that may verify a token signed with `alg` whose header carries `kid`, in the
/// order they were configured.
///
/// A key is a candidate when the token has no `kid`, the key has none, or both are equal.
/// No candidate at all: no configured key signed it (`invalid signature`). Candidates, but
/// none whose type verifies `alg` (or whose own `alg` is another): the algorithm does not fit
/// the key (`unsupported algorithm`), and nothing is tried.
pub fn select<'a, K>(
    keys: &'a [Key<K>],
    kid: Option<&str>,
    alg: SignatureAlgorithm,
) -> Result<Vec<&'a Key<K>>, Rejection> {
    let candidates: Vec<&Key<K>> = keys
        .iter()
        .filter(|key| match (kid, key.kid.as_deref()) {
            (Some(wanted), Some(kid)) => wanted == kid,
            _ => true,
        })
        .collect();
    if candidates.is_empty() {
        return Err(Rejection::InvalidSignature);
    }
    let fitting: Vec<&Key<K>> = candidates
        .into_iter()
        .filter(|key| {
            key.key_type == alg.key_type() && key.alg.as_deref().is_none_or(|own| own == alg.name())
        })
        .collect();
    if fitting.is_empty() {
        return Err(Rejection::UnsupportedAlgorithm);
    }
    Ok(fitting)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(
        kid: Option<&str>,
        alg: Option<&str>,
        key_type: KeyType,
        name: &'static str,
    ) -> Key<&'static str> {
        Key {
            kid: kid.map(Into::into),
            alg: alg.map(Into::into),
            key_type,
            key: name,
        }
    }

    fn chosen(
        keys: &[Key<&'static str>],
        kid: Option<&str>,
        alg: SignatureAlgorithm,
    ) -> Result<Vec<&'static str>, Rejection> {
        select(keys, kid, alg).map(|keys| keys.iter().map(|key| key.key).collect())
    }

    #[test]
    fn the_kid_chooses_among_keys_that_have_one() {
        let keys = [
            key(Some("rsa-1"), None, KeyType::Rsa, "rsa-1"),
            key(Some("rsa-2"), None, KeyType::Rsa, "rsa-2"),
            key(Some("ec"), None, KeyType::EcP256, "ec"),
        ];
        assert_eq!(
            chosen(&keys, Some("rsa-2"), SignatureAlgorithm::Rs256),
            Ok(vec!["rsa-2"])
        );
        assert_eq!(
            chosen(&keys, None, SignatureAlgorithm::Rs256),
            Ok(vec!["rsa-1", "rsa-2"])
        );
        assert_eq!(
            chosen(&keys, Some("nope"), SignatureAlgorithm::Rs256),
            Err(Rejection::InvalidSignature)
        );
        assert_eq!(
            chosen(&keys, Some("ec"), SignatureAlgorithm::Rs256),
            Err(Rejection::UnsupportedAlgorithm),
            "the key the kid names cannot verify RS256"
        );
    }

    #[test]
    fn a_key_without_a_kid_is_a_candidate_for_any_token() {
        let keys = [key(None, None, KeyType::Ed25519, "pem")];
        assert_eq!(
            chosen(&keys, Some("x"), SignatureAlgorithm::Eddsa),
            Ok(vec!["pem"])
        );
        assert_eq!(
            chosen(&keys, None, SignatureAlgorithm::Es256),
            Err(Rejection::UnsupportedAlgorithm)
        );
    }

    #[test]
    fn a_key_with_its_own_alg_verifies_only_that_one() {
        let keys = [key(Some("k"), Some("PS256"), KeyType::Rsa, "k")];
        assert_eq!(
            chosen(&keys, None, SignatureAlgorithm::Ps256),
            Ok(vec!["k"])
        );
        assert_eq!(
            chosen(&keys, None, SignatureAlgorithm::Rs256),
            Err(Rejection::UnsupportedAlgorithm)
        );
    }
}
