use serde_json::Value;

use crate::bindings::wire;
use crate::Claims;

/// Who a request is, as established by an auth plugin.
///
/// Build one with [`Identity::new`] and the `with_*` methods, or set the public fields.
/// Claims are a JSON object ([`Claims`]); the SDK serializes it with `serde_json` when the
/// identity crosses to the host. Claims that are already JSON text (a verified token's payload)
/// are handed on as they are with [`Identity::with_claims_json`].
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Identity {
    /// A stable identifier of the principal (a user id, a key id, a `sub` claim).
    pub subject: String,
    /// A login or user name, when known.
    pub username: Option<String>,
    /// An e-mail address, when known.
    pub email: Option<String>,
    /// A human-readable name, when known.
    pub display_name: Option<String>,
    /// Roles granted to the principal.
    pub roles: Vec<String>,
    /// Groups the principal belongs to.
    pub groups: Vec<String>,
    /// Further claims, such as every claim of a token; empty when there are none.
    pub claims: Claims,
    /// Claims given as the text of one JSON object ([`Identity::with_claims_json`]), sent to
    /// the host as they are; `claims` set besides are added to them.
    claims_json: Option<String>,
}

impl Identity {
    /// An identity for `subject` with nothing else known.
    pub fn new(subject: impl Into<String>) -> Self {
        Self {
            subject: subject.into(),
            ..Self::default()
        }
    }

    /// Set the login or user name.
    pub fn with_username(mut self, username: impl Into<String>) -> Self {
        self.username = Some(username.into());
        self
    }

    /// Set the e-mail address.
    pub fn with_email(mut self, email: impl Into<String>) -> Self {
        self.email = Some(email.into());
        self
    }

    /// Set the human-readable name.
    pub fn with_display_name(mut self, display_name: impl Into<String>) -> Self {
        self.display_name = Some(display_name.into());
        self
    }

    /// Add roles, after any already set.
    pub fn with_roles<I: IntoIterator<Item = S>, S: Into<String>>(mut self, roles: I) -> Self {
        self.roles.extend(roles.into_iter().map(Into::into));
        self
    }

    /// Add groups, after any already set.
    pub fn with_groups<I: IntoIterator<Item = S>, S: Into<String>>(mut self, groups: I) -> Self {
        self.groups.extend(groups.into_iter().map(Into::into));
        self
    }

    /// Set claim `name` to `value` (any JSON value: `"text"`, `42`, `json!({...})`),
    /// replacing a claim of the same name.
    pub fn with_claim(mut self, name: impl Into<String>, value: impl Into<Value>) -> Self {
        self.claims.insert(name.into(), value.into());
        self
    }

    /// Replace the claims with `claims`, such as a token's whole payload.
    pub fn with_claims(mut self, claims: Claims) -> Self {
        self.claims = claims;
        self.claims_json = None;
        self
    }

    /// Replace the claims with `json`, the text of one JSON object (such as a verified token's
    /// payload), sent to the host as it is: the plugin spares itself reading and writing again
    /// claims it does not look at. The host refuses an answer whose claims are not a JSON
    /// object. Claims added afterwards (`with_claim`, `claims.insert`) are added to it, the
    /// later one winning when a name is in both.
    pub fn with_claims_json(mut self, json: impl Into<String>) -> Self {
        self.claims = Claims::new();
        self.claims_json = Some(json.into());
        self
    }

    /// The claims as the JSON text that crosses to the host.
    fn claims_text(claims: Claims, claims_json: Option<String>) -> String {
        match claims_json {
            Some(json) if claims.is_empty() => json,
            Some(json) => match serde_json::from_str::<Claims>(&json) {
                Ok(mut merged) => {
                    merged.extend(claims);
                    Value::Object(merged).to_string()
                }
                // Not a JSON object: the host refuses it, whatever is added.
                Err(_) => json,
            },
            // No claims is the common case of simple plugins: spare them the serializer.
            None if claims.is_empty() => "{}".to_owned(),
            None => Value::Object(claims).to_string(),
        }
    }

    /// The identity as it crosses to the host: claims as JSON text.
    pub(crate) fn into_wire(self) -> wire::Identity {
        wire::Identity {
            subject: self.subject,
            username: self.username,
            email: self.email,
            display_name: self.display_name,
            roles: self.roles,
            groups: self.groups,
            claims: Self::claims_text(self.claims, self.claims_json),
        }
    }

    /// The identity the host passed: claims parsed from JSON text. The host only passes a JSON
    /// object; anything else (which it never sends) reads as no claims.
    pub(crate) fn from_wire(identity: wire::Identity) -> Self {
        Self {
            subject: identity.subject,
            username: identity.username,
            email: identity.email,
            display_name: identity.display_name,
            roles: identity.roles,
            groups: identity.groups,
            claims: serde_json::from_str(&identity.claims).unwrap_or_default(),
            claims_json: None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn claims_cross_as_one_json_object_and_back() {
        let identity = Identity::new("u")
            .with_username("ada")
            .with_roles(["admin"])
            .with_claim("n", 1.5)
            .with_claim("tenant", json!({"id": 7, "name": "Acme \"Labs\""}))
            .with_claim("s", "text");
        let wire = identity.clone().into_wire();
        let parsed: Value = serde_json::from_str(&wire.claims).unwrap();
        assert_eq!(
            parsed,
            json!({"n": 1.5, "tenant": {"id": 7, "name": "Acme \"Labs\""}, "s": "text"})
        );
        assert_eq!(Identity::from_wire(wire), identity);
    }

    #[test]
    fn claims_given_as_json_cross_as_they_are() {
        let text = r#"{ "b": 1, "a": [true] }"#;
        assert_eq!(
            Identity::new("u").with_claims_json(text).into_wire().claims,
            text
        );
        let replaced = Identity::new("u")
            .with_claim("x", 1)
            .with_claims_json(text)
            .into_wire();
        assert_eq!(replaced.claims, text);
        let then_map = Identity::new("u")
            .with_claims_json(text)
            .with_claims(Claims::new());
        assert_eq!(then_map.into_wire().claims, "{}");
    }

    #[test]
    fn claims_added_to_json_claims_are_merged() {
        let identity = Identity::new("u")
            .with_claims_json(r#"{"b":1,"a":2}"#)
            .with_claim("a", 3)
            .with_claim("c", "x");
        assert_eq!(identity.into_wire().claims, r#"{"b":1,"a":3,"c":"x"}"#);
        let not_an_object = Identity::new("u")
            .with_claims_json("[1]")
            .with_claim("a", 1);
        assert_eq!(not_an_object.into_wire().claims, "[1]");
    }

    #[test]
    fn no_claims_is_an_empty_object() {
        assert_eq!(Identity::new("u").into_wire().claims, "{}");
    }

    #[test]
    fn claims_that_are_not_an_object_read_as_none() {
        let mut wire = Identity::new("u").into_wire();
        for text in ["[1]", "not json", "\"x\""] {
            wire.claims = text.into();
            assert!(
                Identity::from_wire(wire.clone()).claims.is_empty(),
                "{text}"
            );
        }
    }
}
