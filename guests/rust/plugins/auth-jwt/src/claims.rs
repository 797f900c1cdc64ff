use mockforge_component_sdk::{Claims, Identity};
use serde_json::Value;

use crate::rejection::Rejection;
use crate::settings::Settings;

/// Check the registered claims of a verified token against the clock (`now`, seconds since the
/// Unix epoch) and the configured issuer and audience.
pub fn check(claims: &Claims, settings: &Settings, now: f64) -> Result<(), Rejection> {
    let leeway = settings.leeway as f64;
    if let Some(exp) = numeric_date(claims, "exp")? {
        // RFC 7519 4.1.4: the token must not be accepted on or after `exp`.
        if now >= exp + leeway {
            return Err(Rejection::Expired);
        }
    }
    if let Some(nbf) = numeric_date(claims, "nbf")? {
        if now + leeway < nbf {
            return Err(Rejection::NotYetValid);
        }
    }
    if let Some(issuer) = &settings.issuer {
        if claims.get("iss").and_then(Value::as_str) != Some(issuer.as_str()) {
            return Err(Rejection::InvalidIssuer);
        }
    }
    if let Some(audience) = &settings.audience {
        // RFC 7519 4.1.3: `aud` is one string or an array of them.
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

/// The identity a verified token describes; its claims are the whole payload.
pub fn identity(claims: Claims) -> Result<Identity, Rejection> {
    let subject = match claims.get("sub").and_then(Value::as_str) {
        Some(sub) if !sub.is_empty() => sub,
        _ => return Err(Rejection::MissingSubject),
    };
    let mut identity = Identity::new(subject)
        .with_roles(strings(claims.get("roles")))
        .with_groups(strings(claims.get("groups")));
    identity.username =
        string(&claims, "preferred_username").or_else(|| string(&claims, "username"));
    identity.email = string(&claims, "email");
    identity.display_name = string(&claims, "name");
    Ok(identity.with_claims(claims))
}

/// Claim `name` as a NumericDate; a claim of another type makes the token malformed.
fn numeric_date(claims: &Claims, name: &str) -> Result<Option<f64>, Rejection> {
    claims
        .get(name)
        .map(|value| value.as_f64().ok_or(Rejection::Malformed))
        .transpose()
}

fn string(claims: &Claims, name: &str) -> Option<String> {
    claims.get(name).and_then(Value::as_str).map(str::to_owned)
}

/// The strings of a claim holding an array; anything else in it is ignored.
fn strings(claim: Option<&Value>) -> Vec<&str> {
    claim
        .and_then(Value::as_array)
        .map(|items| items.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn settings(issuer: Option<&str>, audience: Option<&str>, leeway: u64) -> Settings {
        Settings {
            secret: Some(b"k".to_vec()),
            keys: Vec::new(),
            algorithms: Vec::new(),
            issuer: issuer.map(Into::into),
            audience: audience.map(Into::into),
            leeway,
        }
    }

    fn claims(json: &str) -> Claims {
        serde_json::from_str(json).unwrap()
    }

    #[test]
    fn checks_expiry_and_not_before_with_leeway() {
        let s = settings(None, None, 0);
        assert_eq!(check(&claims(r#"{"exp":100}"#), &s, 99.0), Ok(()));
        assert_eq!(
            check(&claims(r#"{"exp":100}"#), &s, 100.0),
            Err(Rejection::Expired)
        );
        assert_eq!(
            check(&claims(r#"{"nbf":100}"#), &s, 99.0),
            Err(Rejection::NotYetValid)
        );
        assert_eq!(check(&claims(r#"{"nbf":100}"#), &s, 100.0), Ok(()));
        let lenient = settings(None, None, 5);
        assert_eq!(check(&claims(r#"{"exp":100}"#), &lenient, 104.0), Ok(()));
        assert_eq!(check(&claims(r#"{"nbf":100}"#), &lenient, 95.0), Ok(()));
        assert_eq!(
            check(&claims(r#"{"exp":"soon"}"#), &s, 0.0),
            Err(Rejection::Malformed)
        );
    }

    #[test]
    fn checks_issuer_and_audience_only_when_configured() {
        let open = settings(None, None, 0);
        assert_eq!(
            check(&claims(r#"{"iss":"x","aud":"y"}"#), &open, 0.0),
            Ok(())
        );
        let strict = settings(Some("me"), Some("api"), 0);
        assert_eq!(
            check(&claims(r#"{"iss":"me","aud":"api"}"#), &strict, 0.0),
            Ok(())
        );
        assert_eq!(
            check(&claims(r#"{"iss":"me","aud":["x","api"]}"#), &strict, 0.0),
            Ok(())
        );
        assert_eq!(
            check(&claims(r#"{"aud":"api"}"#), &strict, 0.0),
            Err(Rejection::InvalidIssuer)
        );
        assert_eq!(
            check(&claims(r#"{"iss":"me"}"#), &strict, 0.0),
            Err(Rejection::InvalidAudience)
        );
        assert_eq!(
            check(&claims(r#"{"iss":"me","aud":["x"]}"#), &strict, 0.0),
            Err(Rejection::InvalidAudience)
        );
    }

    #[test]
    fn maps_claims_to_an_identity_with_the_whole_payload() {
        let payload = r#"{"sub":"42","username":"u","preferred_username":"pu","email":"e@x","name":"N",
                "roles":["a",1,"b"],"groups":["g"],"n":1.5}"#;
        let identity = identity(claims(payload)).unwrap();
        assert_eq!(identity.subject, "42");
        assert_eq!(identity.username.as_deref(), Some("pu"));
        assert_eq!(identity.email.as_deref(), Some("e@x"));
        assert_eq!(identity.display_name.as_deref(), Some("N"));
        assert_eq!(identity.roles, ["a", "b"]);
        assert_eq!(identity.groups, ["g"]);
        assert_eq!(
            Value::Object(identity.claims),
            serde_json::from_str::<Value>(payload).unwrap()
        );
        assert_eq!(
            super::identity(claims(r#"{"sub":"x","roles":"admin"}"#))
                .unwrap()
                .claims["roles"],
            json!("admin")
        );
    }

    #[test]
    fn requires_a_subject() {
        for json in [r#"{}"#, r#"{"sub":""}"#, r#"{"sub":7}"#] {
            assert!(
                matches!(identity(claims(json)), Err(Rejection::MissingSubject)),
                "{json}"
            );
        }
    }
}
