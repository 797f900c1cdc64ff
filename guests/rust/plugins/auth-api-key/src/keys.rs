use mockforge_component_sdk::PluginError;
use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;

/// The accepted keys, each with the id it authenticates as.
pub struct Keys(Vec<(String, [u8; 32])>);

impl Keys {
    /// Parse `id:key` pairs separated by commas, such as `alice:k1,bob:k2`.
    pub fn parse(list: &str) -> Result<Self, PluginError> {
        let keys = list
            .split(',')
            .map(str::trim)
            .filter(|entry| !entry.is_empty())
            .map(|entry| match entry.split_once(':') {
                Some((id, key)) if !id.trim().is_empty() && !key.is_empty() => {
                    Ok((id.trim().to_owned(), Sha256::digest(key).into()))
                }
                _ => Err(PluginError::InvalidConfig(format!(
                    "config key `keys`: entry {entry:?} is not `id:key`"
                ))),
            })
            .collect::<Result<Vec<_>, _>>()?;
        if keys.is_empty() {
            return Err(PluginError::InvalidConfig(
                "config key `keys` lists no key".into(),
            ));
        }
        Ok(Self(keys))
    }

    /// The id of the key equal to `presented`, if any.
    ///
    /// Every key is compared, in constant time, whatever matched before, so the time taken
    /// does not tell which key or how much of it matched. Comparing SHA-256 digests rather
    /// than the keys also hides their lengths.
    pub fn find(&self, presented: &str) -> Option<&str> {
        let presented: [u8; 32] = Sha256::digest(presented).into();
        let mut found = None;
        for (id, digest) in &self.0 {
            if bool::from(digest.ct_eq(&presented)) {
                found = Some(id.as_str());
            }
        }
        found
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_the_id_of_a_listed_key() {
        let keys = Keys::parse("alice:k1, bob:k2").unwrap();
        assert_eq!(keys.find("k1"), Some("alice"));
        assert_eq!(keys.find("k2"), Some("bob"));
        assert_eq!(keys.find("k3"), None);
        assert_eq!(keys.find(""), None);
    }

    #[test]
    fn keys_may_contain_colons() {
        let keys = Keys::parse("svc:a:b").unwrap();
        assert_eq!(keys.find("a:b"), Some("svc"));
    }

    #[test]
    fn refuses_entries_without_an_id_or_a_key() {
        for bad in ["alice", ":k1", "alice:", "", " , "] {
            assert!(Keys::parse(bad).is_err(), "{bad:?} was accepted");
        }
    }
}
