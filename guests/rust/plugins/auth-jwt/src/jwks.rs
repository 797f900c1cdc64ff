use serde_json::Value;

/// One key of a JSON Web Key Set, before the host reads it.
#[derive(Debug, PartialEq, Eq)]
pub struct JwkEntry {
    /// Its `kid`, when it has one (a string).
    pub kid: Option<String>,
    /// Its `alg`, when it has one (a string): the key then verifies only that algorithm.
    pub alg: Option<String>,
    /// The key's own JSON text, for the host's `from-jwk`.
    pub json: String,
}

/// The keys of a JWKS (RFC 7517 section 5): a JSON object whose `keys` member is a non-empty
/// array of objects. Anything else is an error saying what is wrong.
pub fn entries(text: &str) -> Result<Vec<JwkEntry>, String> {
    let set: Value = serde_json::from_str(text).map_err(|e| format!("not JSON: {e}"))?;
    let keys = set
        .get("keys")
        .and_then(Value::as_array)
        .ok_or("not a JWKS: no `keys` array")?;
    if keys.is_empty() {
        return Err("the JWKS holds no key".into());
    }
    keys.iter()
        .enumerate()
        .map(|(index, key)| {
            let Some(members) = key.as_object() else {
                return Err(format!("key {index} is not a JSON object"));
            };
            let text = |name: &str| members.get(name).and_then(Value::as_str).map(str::to_owned);
            Ok(JwkEntry {
                kid: text("kid"),
                alg: text("alg"),
                json: key.to_string(),
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_each_key_with_its_kid_and_alg() {
        let entries = entries(
            r#"{"keys": [{"kty":"OKP","crv":"Ed25519","x":"AA","kid":"a","alg":"EdDSA"},
                          {"kty":"EC","kid":7}]}"#,
        )
        .unwrap();
        assert_eq!(entries.len(), 2);
        assert_eq!(entries[0].kid.as_deref(), Some("a"));
        assert_eq!(entries[0].alg.as_deref(), Some("EdDSA"));
        assert_eq!(
            serde_json::from_str::<Value>(&entries[0].json).unwrap()["x"],
            "AA"
        );
        assert_eq!(entries[1].kid, None, "a kid that is not a string is no kid");
        assert_eq!(entries[1].alg, None);
    }

    #[test]
    fn refuses_what_is_not_a_jwks() {
        for text in [
            "",
            "[]",
            "{}",
            r#"{"keys": {}}"#,
            r#"{"keys": []}"#,
            r#"{"keys": [1]}"#,
        ] {
            assert!(entries(text).is_err(), "{text}");
        }
    }
}
