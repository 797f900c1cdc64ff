//! Calling a plugin as a case says, comparing what it answered with the expectation, and
//! writing what it answered in the vector format for reports.

use base64::engine::general_purpose::STANDARD as BASE64;
use base64::Engine as _;
use mockforge_component_host::{
    AuthOutcome, Denial, Error, Identity, Plugin, PluginError, Response,
};
use serde_json::{json, Value};

use super::vectors::{Case, ErrorKind, Expect, ExpectedResponse};
use super::wildcards::match_json;

/// Bodies longer than this are shown by length only in a mismatch report.
const SHOWN_BODY_BYTES: usize = 512;

/// What a plugin answered.
#[derive(Debug)]
pub enum Outcome {
    /// `authenticate`'s verdict.
    Auth(AuthOutcome),
    /// `respond`'s response, or its decline.
    Respond(Option<Response>),
    /// `modify`'s response.
    Modify(Response),
}

/// Makes the call `case` is about: `modify` when it gives the mock's response, `authenticate`
/// for a verdict (or an error of an auth plugin), else `respond`.
pub async fn call(plugin: &Plugin, case: &Case, expect: &Expect) -> Result<Outcome, Error> {
    let request = case.request();
    if let Some(response) = case.mock_response() {
        return plugin.modify(request, response).await.map(Outcome::Modify);
    }
    let authenticates = plugin.info().kind.authenticates();
    match expect {
        Expect::Allow(_) | Expect::Deny(_) | Expect::Abstain(_) => {
            plugin.authenticate(request).await.map(Outcome::Auth)
        }
        Expect::Error(_) if authenticates => plugin.authenticate(request).await.map(Outcome::Auth),
        _ => plugin.respond(request).await.map(Outcome::Respond),
    }
}

/// Why `got` is not what `expect` says, or `None` when it is. `now` is the clock the
/// `<rfc3339>` and `<unix>` wildcards are held to.
pub fn mismatch(expect: &Expect, got: &Result<Outcome, Error>, now: i64) -> Option<String> {
    let ok = match (expect, got) {
        (Expect::Allow(want), Ok(Outcome::Auth(AuthOutcome::Allow(identity)))) => {
            let want = Identity {
                subject: want.subject.clone(),
                username: want.username.clone(),
                email: want.email.clone(),
                display_name: want.display_name.clone(),
                roles: want.roles.clone(),
                groups: want.groups.clone(),
                claims: match want.claims.to_object() {
                    Ok(claims) => claims,
                    Err(why) => return Some(why),
                },
            };
            let same = want.subject == identity.subject
                && want.username == identity.username
                && want.email == identity.email
                && want.display_name == identity.display_name
                && want.roles == identity.roles
                && want.groups == identity.groups
                && same_json_object(&want.claims, &identity.claims);
            return (!same).then(|| "a different identity".into());
        }
        (Expect::Deny(want), Ok(Outcome::Auth(AuthOutcome::Deny(denial)))) => {
            let want = Denial {
                status: want.status,
                reason: want.reason.clone(),
                headers: want.headers.clone(),
            };
            return (&want != denial).then(|| "a different denial".into());
        }
        (Expect::Abstain(_), Ok(Outcome::Auth(AuthOutcome::Abstain))) => true,
        (Expect::Respond(None), Ok(Outcome::Respond(None))) => true,
        (Expect::Respond(Some(want)), Ok(Outcome::Respond(Some(response))))
        | (Expect::Modify(want), Ok(Outcome::Modify(response))) => {
            return response_mismatch(want, response, now).err();
        }
        (Expect::Error(kind), Err(Error::Plugin { error, .. })) => *kind == error_kind(error),
        _ => false,
    };
    (!ok).then(|| "a different outcome".into())
}

/// Whether two claim objects hold the same values, key order ignored and numbers compared by
/// value (`1`, `1.0` and `1e0` are one number; JSON libraries write numbers differently).
fn same_json_object(
    a: &serde_json::Map<String, Value>,
    b: &serde_json::Map<String, Value>,
) -> bool {
    a.len() == b.len()
        && a.iter()
            .all(|(key, value)| b.get(key).is_some_and(|other| same_json(value, other)))
}

fn same_json(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => {
            match (x.as_i64(), y.as_i64(), x.as_u64(), y.as_u64()) {
                (Some(x), Some(y), _, _) => x == y,
                (_, _, Some(x), Some(y)) => x == y,
                _ => x.as_f64() == y.as_f64(),
            }
        }
        (Value::Array(x), Value::Array(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(x, y)| same_json(x, y))
        }
        (Value::Object(x), Value::Object(y)) => same_json_object(x, y),
        (x, y) => x == y,
    }
}

fn error_kind(error: &PluginError) -> ErrorKind {
    match error {
        PluginError::InvalidConfig(_) => ErrorKind::InvalidConfig,
        PluginError::InvalidRequest(_) => ErrorKind::InvalidRequest,
        PluginError::Internal(_) => ErrorKind::Internal,
    }
}

fn response_mismatch(want: &ExpectedResponse, got: &Response, now: i64) -> Result<(), String> {
    if want.status != got.status {
        return Err("a different status".into());
    }
    if want.headers != got.headers {
        return Err("different headers".into());
    }
    if let Some(pattern) = &want.body_json {
        let body: Value =
            serde_json::from_slice(&got.body).map_err(|e| format!("the body is not JSON: {e}"))?;
        return match_json(pattern, &body, now, &mut None, "body");
    }
    let body = want
        .exact_body()
        .expect("checked when the vectors were read: one body is given");
    if body != got.body {
        return Err("a different body".into());
    }
    Ok(())
}

/// `got` as a vector's `expect` would write it.
pub fn describe(got: &Result<Outcome, Error>) -> Value {
    match got {
        Ok(Outcome::Auth(AuthOutcome::Allow(identity))) => json!({ "allow": identity }),
        Ok(Outcome::Auth(AuthOutcome::Deny(denial))) => json!({ "deny": denial }),
        Ok(Outcome::Auth(AuthOutcome::Abstain)) => json!({ "abstain": {} }),
        Ok(Outcome::Respond(response)) => {
            json!({ "respond": response.as_ref().map(describe_response) })
        }
        Ok(Outcome::Modify(response)) => json!({ "modify": describe_response(response) }),
        Err(Error::Plugin { error, .. }) => {
            let message = match error {
                PluginError::InvalidConfig(m)
                | PluginError::InvalidRequest(m)
                | PluginError::Internal(m) => m,
            };
            json!({ "error": error_kind(error), "message": message })
        }
        Err(other) => json!({ "host error": other.to_string() }),
    }
}

fn describe_response(response: &Response) -> Value {
    let body = if response.body.len() > SHOWN_BODY_BYTES {
        json!(format!("<{} bytes>", response.body.len()))
    } else {
        match std::str::from_utf8(&response.body) {
            Ok(text) => json!(text),
            Err(_) => json!(format!("base64:{}", BASE64.encode(&response.body))),
        }
    };
    json!({ "status": response.status, "headers": response.headers, "body": body })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_expectation_checks_its_outcome() {
        let identity = Identity {
            subject: "u".into(),
            ..Identity::default()
        };
        let allow: Result<Outcome, Error> = Ok(Outcome::Auth(AuthOutcome::Allow(identity)));
        let expect = |value: Value| serde_json::from_value::<Expect>(value).unwrap();
        assert!(mismatch(&expect(json!({"allow": {"subject": "u"}})), &allow, 0).is_none());
        assert!(mismatch(&expect(json!({"abstain": {}})), &allow, 0).is_some());
        let abstained: Result<Outcome, Error> = Ok(Outcome::Auth(AuthOutcome::Abstain));
        assert!(mismatch(&expect(json!({"abstain": {}})), &abstained, 0).is_none());
        assert!(mismatch(&expect(json!({"allow": {"subject": "u"}})), &abstained, 0).is_some());
        let with_claims =
            |claims: Value| expect(json!({"allow": {"subject": "u", "claims": claims}}));
        let claimed: Result<Outcome, Error> = Ok(Outcome::Auth(AuthOutcome::Allow(Identity {
            subject: "u".into(),
            claims: serde_json::from_value(json!({"n": 1, "s": "x"})).unwrap(),
            ..Identity::default()
        })));
        assert!(mismatch(&with_claims(json!({"s": "x", "n": 1})), &claimed, 0).is_none());
        assert!(mismatch(
            &with_claims(json!([["n", "1"], ["s", "\"x\""]])),
            &claimed,
            0
        )
        .is_none());
        assert!(mismatch(&with_claims(json!({"n": 2, "s": "x"})), &claimed, 0).is_some());
        assert!(
            mismatch(&with_claims(json!({"n": 1.0, "s": "x"})), &claimed, 0).is_none(),
            "numbers compare by value"
        );
        assert!(mismatch(&with_claims(json!({"n": 1, "s": "x", "t": 0})), &claimed, 0).is_some());
        assert!(mismatch(
            &expect(json!({"allow": {"subject": "u", "roles": ["r"]}})),
            &allow,
            0
        )
        .is_some());
        assert!(mismatch(
            &expect(json!({"deny": {"status": 401, "reason": "", "headers": []}})),
            &allow,
            0
        )
        .is_some());
        assert!(mismatch(&expect(json!({"respond": null})), &allow, 0).is_some());
        assert!(mismatch(&expect(json!({"error": "internal"})), &allow, 0).is_some());
        let declined: Result<Outcome, Error> = Ok(Outcome::Respond(None));
        assert!(mismatch(&expect(json!({"respond": null})), &declined, 0).is_none());
        let response = Response {
            status: 200,
            headers: vec![],
            body: b"{\"a\": 1}".to_vec(),
        };
        let responded: Result<Outcome, Error> = Ok(Outcome::Respond(Some(response)));
        assert!(mismatch(&expect(json!({"respond": null})), &responded, 0).is_some());
        let want = |body: Value| {
            expect(json!({"respond": {"status": 200, "headers": [], "body_json": body}}))
        };
        assert!(mismatch(&want(json!({"a": 1})), &responded, 0).is_none());
        assert!(mismatch(&want(json!({"a": 2})), &responded, 0).is_some());
        let exact = expect(json!({"respond": {"status": 200, "headers": [], "body": "{\"a\":1}"}}));
        assert!(
            mismatch(&exact, &responded, 0).is_some(),
            "an exact body compares the text"
        );
    }
}
