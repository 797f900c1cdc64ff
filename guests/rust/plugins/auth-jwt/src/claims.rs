use mockforge_component_sdk::Identity;

use crate::json::{self, Member};
use crate::rejection::Rejection;

/// The claims of a verified payload that an identity is made of. Each is the payload's last
/// member of that name. (The host's verifier checked `exp`, `nbf`, `iss` and `aud`.)
#[derive(Debug, Default)]
pub struct Claims<'a> {
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
    fn the_last_of_a_repeated_claim_counts() {
        let identity = identity(&claims(r#"{"sub":7,"sub":"b","email":"x","email":null}"#));
        let identity = identity.unwrap();
        assert_eq!(identity.subject, "b");
        assert_eq!(identity.email, None);
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
