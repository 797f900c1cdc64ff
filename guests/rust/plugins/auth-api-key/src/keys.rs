use mockforge_component_sdk::crypto::{self, HashAlgorithm};
use mockforge_component_sdk::PluginError;

/// The accepted keys, each with the id it authenticates as, kept as SHA-256 digests.
pub struct Keys(Vec<(String, Vec<u8>)>);

impl Keys {
    /// The keys of a `keys` config value, digested by the host.
    pub fn parse(list: &str) -> Result<Self, PluginError> {
        Ok(Self(
            parse_pairs(list)?
                .into_iter()
                .map(|(id, key)| (id.to_owned(), crypto::digest(HashAlgorithm::Sha256, key)))
                .collect(),
        ))
    }

    /// The id of the key equal to `presented`, if any.
    ///
    /// Every key is compared, in constant time (the host's), whatever matched before, so the
    /// time taken does not tell which key or how much of it matched. Comparing SHA-256 digests
    /// rather than the keys also hides their lengths.
    pub fn find(&self, presented: &str) -> Option<&str> {
        let presented = crypto::digest(HashAlgorithm::Sha256, presented);
        let mut found = None;
        for (id, digest) in &self.0 {
            if crypto::constant_time_eq(digest, &presented) {
                found = Some(id.as_str());
            }
        }
        found
    }
}

/// The `(id, key)` pairs of `id:key` entries separated by commas, such as `alice:k1,bob:k2`:
/// entries and ids are trimmed, keys are not (a key may hold colons); at least one entry.
fn parse_pairs(list: &str) -> Result<Vec<(&str, &str)>, PluginError> {
    let pairs = list
        .split(',')
        .map(str::trim)
        .filter(|entry| !entry.is_empty())
        .map(|entry| match entry.split_once(':') {
            Some((id, key)) if !id.trim().is_empty() && !key.is_empty() => Ok((id.trim(), key)),
            _ => Err(PluginError::InvalidConfig(format!(
                "config key `keys`: entry {entry:?} is not `id:key`"
            ))),
        })
        .collect::<Result<Vec<_>, _>>()?;
    if pairs.is_empty() {
        return Err(PluginError::InvalidConfig(
            "config key `keys` lists no key".into(),
        ));
    }
    Ok(pairs)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_id_key_pairs() {
        assert_eq!(
            parse_pairs(" alice:k1, bob :k2,,").unwrap(),
            [("alice", "k1"), ("bob", "k2")]
        );
    }

    #[test]
    fn keys_may_contain_colons() {
        assert_eq!(parse_pairs("svc:a:b").unwrap(), [("svc", "a:b")]);
    }

    #[test]
    fn refuses_entries_without_an_id_or_a_key() {
        for bad in ["alice", ":k1", "alice:", "", " , "] {
            assert!(parse_pairs(bad).is_err(), "{bad:?} was accepted");
        }
    }
}
