use mockforge_component_sdk::Identity;

use crate::json::{self, Member};
use crate::rejection::Rejection;
use crate::settings::Settings;

/// The claims of a token's payload that the plugin reads: the registered ones it checks and
/// the ones an identity is made of. Each is the payload's last member of that name.
#[derive(Debug, Default)]
pub struct Claims<'a> {
    exp: Option<Member<'a>>,
    nbf: Option<Member<'a>>,
    iss: Option<Member<'a>>,
    aud: Option<Member<'a>>,
    sub: Option<Member<'a>>,
    roles: Option<Member<'a>>,
    groups: Option<Member<'a>>,
    preferred_username: Option<Member<'a>>,
    username: Option<Member<'a>>,
    email: Option<Member<'a>>,
    name: Option<Member<'a>>,
}

impl<'a> Claims<'a> {
    /// The claims of `payload`, which must be a JSON object.
    pub fn read(payload: &'a str) -> Result<Self, Rejection> {
        let mut claims = Self::default();
        json::read_object(payload, |name, member| {
            let slot = match name {
                "exp" => &mut claims.exp,
                "nbf" => &mut claims.nbf,
                "iss" => &mut claims.iss,
                "aud" => &mut claims.aud,
                "sub" => &mut claims.sub,
                "roles" => &mut claims.roles,
                "groups" => &mut claims.groups,
                "preferred_username" => &mut claims.preferred_username,
                "username" => &mut claims.username,
                "email" => &mut claims.email,
                "name" => &mut claims.name,
                _ => return,
            };
            *slot = Some(member);
        })
        .ok_or(Rejection::Malformed)?;
        Ok(claims)
    }
}

/// Check the registered claims of a verified token against the clock (`now`, seconds since the
/// Unix epoch) and the configured issuer and audience.
pub fn check(claims: &Claims, settings: &Settings, now: f64) -> Result<(), Rejection> {
    let leeway = settings.leeway as f64;
    if let Some(exp) = numeric_date(&claims.exp)? {
        // RFC 7519 4.1.4: the token must not be accepted on or after `exp`.
        if now >= exp + leeway {
            return Err(Rejection::Expired);
        }
    }
    if let Some(nbf) = numeric_date(&claims.nbf)? {
        if now + leeway < nbf {
            return Err(Rejection::NotYetValid);
        }
    }
    if let Some(issuer) = &settings.issuer {
        if string(&claims.iss) != Some(issuer.as_str()) {
            return Err(Rejection::InvalidIssuer);
        }
    }
    if let Some(audience) = &settings.audience {
        // RFC 7519 4.1.3: `aud` is one string or an array of them.
        let matches = match &claims.aud {
            Some(Member::Text(aud)) => aud == audience,
            Some(Member::Strings(auds)) => auds.iter().any(|aud| aud == audience),
            _ => false,
        };
        if !matches {
            return Err(Rejection::InvalidAudience);
        }
    }
    Ok(())
}

/// The identity a verified token describes, but for its claims: they are the whole payload,
/// which the caller hands on as the token carried it.
pub fn identity(claims: &Claims) -> Result<Identity, Rejection> {
    let subject = match string(&claims.sub) {
        Some(sub) if !sub.is_empty() => sub,
        _ => return Err(Rejection::MissingSubject),
    };
    let mut identity = Identity::new(subject)
        .with_roles(strings(&claims.roles))
        .with_groups(strings(&claims.groups));
    identity.username = owned(&claims.preferred_username).or_else(|| owned(&claims.username));
    identity.email = owned(&claims.email);
    identity.display_name = owned(&claims.name);
    Ok(identity)
}

/// A claim as a NumericDate; a claim of another type makes the token malformed.
fn numeric_date(claim: &Option<Member>) -> Result<Option<f64>, Rejection> {
    claim
        .as_ref()
        .map(|value| value.as_f64().ok_or(Rejection::Malformed))
        .transpose()
}

fn string<'c>(claim: &'c Option<Member>) -> Option<&'c str> {
    claim.as_ref().and_then(Member::as_str)
}

fn owned(claim: &Option<Member>) -> Option<String> {
    string(claim).map(str::to_owned)
}

/// The strings of a claim holding an array; anything else in it is ignored.
fn strings<'c>(claim: &'c Option<Member>) -> impl Iterator<Item = &'c str> {
    let items = match claim {
        Some(Member::Strings(items)) => items.as_slice(),
        _ => &[],
    };
    items.iter().map(|item| item.as_ref())
}

#[cfg(test)]
mod tests {
    use super::*;

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

    fn claims(json: &str) -> Claims<'_> {
        Claims::read(json).unwrap()
    }

    #[test]
    fn the_payload_must_be_a_json_object() {
        for payload in ["[1]", "\"x\"", "{", "{} {}", r#"{"a":1e999}"#] {
            assert_eq!(
                Claims::read(payload).err(),
                Some(Rejection::Malformed),
                "{payload}"
            );
        }
    }

    #[test]
    fn the_last_of_a_repeated_claim_counts() {
        let s = settings(Some("me"), None, 0);
        assert_eq!(
            check(
                &claims(r#"{"exp":"soon","exp":100,"iss":"x","iss":"me"}"#),
                &s,
                99.0
            ),
            Ok(())
        );
        assert_eq!(
            check(&claims(r#"{"exp":100,"exp":null}"#), &s, 0.0),
            Err(Rejection::Malformed)
        );
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
    fn maps_claims_to_an_identity() {
        let payload = r#"{"sub":"42","username":"u","preferred_username":"pu","email":"e@x","name":"N",
                "roles":["a",1,"b"],"groups":["g"],"n":1.5}"#;
        let identity = identity(&claims(payload)).unwrap();
        assert_eq!(identity.subject, "42");
        assert_eq!(identity.username.as_deref(), Some("pu"));
        assert_eq!(identity.email.as_deref(), Some("e@x"));
        assert_eq!(identity.display_name.as_deref(), Some("N"));
        assert_eq!(identity.roles, ["a", "b"]);
        assert_eq!(identity.groups, ["g"]);
        let plain = super::identity(&claims(
            r#"{"sub":"x","roles":"admin","username":"u","email":1}"#,
        ))
        .unwrap();
        assert!(plain.roles.is_empty());
        assert_eq!(plain.username.as_deref(), Some("u"));
        assert_eq!(plain.email, None);
    }

    #[test]
    fn requires_a_subject() {
        for json in [r#"{}"#, r#"{"sub":""}"#, r#"{"sub":7}"#] {
            assert!(
                matches!(identity(&claims(json)), Err(Rejection::MissingSubject)),
                "{json}"
            );
        }
    }
}
