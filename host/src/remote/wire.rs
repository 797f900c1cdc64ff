//! The JSON bodies of the remote-plugin protocol (`protocol/remote-plugin.openapi.yaml`): the
//! WIT types in JSON, field names in snake_case, bytes in standard base64. Answers are decoded
//! with the path of the offending field, so that a remote answering the wrong shape is told
//! which field is wrong. Unknown fields in answers are ignored, so that a 0.1.x remote may add
//! some.

use base64::engine::general_purpose::STANDARD as BASE64;
use base64::Engine as _;
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

use crate::error::bounded_message;
use crate::request::Request;
use crate::types::{AuthOutcome, Claims, Denial, Identity, PluginError, PluginKind, Response};

/// The protocol version, the same as the WIT package's.
pub(crate) const PROTOCOL_VERSION: &str = "0.1.0";
/// The header every request carries with [`PROTOCOL_VERSION`].
pub(crate) const VERSION_HEADER: &str = "mockforge-protocol";

/// The request, as sent.
#[derive(Serialize)]
pub(crate) struct WireRequest<'a> {
    method: &'a str,
    path: &'a str,
    query: &'a str,
    headers: &'a crate::headers::Headers,
    body: String,
    client_addr: Option<&'a str>,
}

impl<'a> From<&'a Request> for WireRequest<'a> {
    fn from(request: &'a Request) -> Self {
        Self {
            method: &request.method,
            path: &request.path,
            query: &request.query,
            headers: &request.headers,
            body: BASE64.encode(&request.body),
            client_addr: request.client_addr.as_deref(),
        }
    }
}

/// The body of `POST /modify`.
#[derive(Serialize)]
pub(crate) struct ModifyBody<'a> {
    pub request: WireRequest<'a>,
    pub response: WireResponse,
}

/// A response, in both directions.
#[derive(Serialize, Deserialize)]
pub(crate) struct WireResponse {
    status: u16,
    #[serde(default)]
    headers: Vec<(String, String)>,
    #[serde(default, with = "base64_text")]
    body: Vec<u8>,
}

impl From<&Response> for WireResponse {
    fn from(response: &Response) -> Self {
        Self {
            status: response.status,
            headers: response.headers.clone(),
            body: response.body.clone(),
        }
    }
}

impl From<WireResponse> for Response {
    /// The host's response; its status, headers and body are checked with every backend's
    /// answers (`crate::answer`).
    fn from(response: WireResponse) -> Self {
        Self {
            status: response.status,
            headers: response.headers,
            body: response.body,
        }
    }
}

/// The answer to `POST /authenticate`.
#[derive(Deserialize)]
pub(crate) struct AuthAnswer {
    outcome: OutcomeTag,
    identity: Option<WireIdentity>,
    denial: Option<WireDenial>,
}

#[derive(Deserialize)]
#[serde(rename_all = "kebab-case")]
enum OutcomeTag {
    Allow,
    Deny,
}

#[derive(Deserialize)]
struct WireIdentity {
    subject: String,
    #[serde(default)]
    username: Option<String>,
    #[serde(default)]
    email: Option<String>,
    #[serde(default)]
    display_name: Option<String>,
    #[serde(default)]
    roles: Vec<String>,
    #[serde(default)]
    groups: Vec<String>,
    /// Name and value pairs; the value is any JSON. They reach the embedder as one object.
    #[serde(default)]
    claims: Vec<(String, serde_json::Value)>,
}

#[derive(Deserialize)]
struct WireDenial {
    status: u16,
    reason: String,
    #[serde(default)]
    headers: Vec<(String, String)>,
}

impl AuthAnswer {
    pub(crate) fn into_outcome(self) -> Result<AuthOutcome, Mismatch> {
        match (self.outcome, self.identity, self.denial) {
            (OutcomeTag::Allow, Some(identity), _) => {
                let mut claims = Claims::new();
                for (i, (name, value)) in identity.claims.into_iter().enumerate() {
                    if claims.contains_key(&name) {
                        return Err(Mismatch::field(
                            &format!("identity.claims[{i}]"),
                            "a claim name given twice",
                        ));
                    }
                    claims.insert(name, value);
                }
                Ok(AuthOutcome::Allow(Identity {
                    subject: identity.subject,
                    username: identity.username,
                    email: identity.email,
                    display_name: identity.display_name,
                    roles: identity.roles,
                    groups: identity.groups,
                    claims,
                }))
            }
            (OutcomeTag::Deny, _, Some(denial)) => Ok(AuthOutcome::Deny(Denial {
                status: denial.status,
                reason: denial.reason,
                headers: denial.headers,
            })),
            (OutcomeTag::Allow, None, _) => Err(Mismatch::field(
                "identity",
                "missing: an `allow` outcome needs an identity",
            )),
            (OutcomeTag::Deny, _, None) => Err(Mismatch::field(
                "denial",
                "missing: a `deny` outcome needs a denial",
            )),
        }
    }
}

/// The answer to `POST /respond`: `response` is `null` when the plugin declines. The field
/// must be there: an answer without it (`{}`, a bare response) is of the wrong shape, not a
/// decline.
#[derive(Deserialize)]
pub(crate) struct RespondAnswer {
    #[serde(deserialize_with = "Option::deserialize")]
    response: Option<WireResponse>,
}

impl RespondAnswer {
    pub(crate) fn into_response(self) -> Result<Option<Response>, Mismatch> {
        Ok(self.response.map(Response::from))
    }
}

/// The answer to `POST /modify`.
#[derive(Deserialize)]
pub(crate) struct ModifyAnswer {
    response: WireResponse,
}

impl ModifyAnswer {
    pub(crate) fn into_response(self) -> Result<Response, Mismatch> {
        Ok(self.response.into())
    }
}

/// The answer to `GET /describe`.
#[derive(Debug, Deserialize)]
pub(crate) struct Description {
    pub name: String,
    pub kind: PluginKind,
    pub protocol: String,
}

/// The one error envelope: `{"error": {"kind": ..., "message": ...}}`.
#[derive(Deserialize)]
pub(crate) struct ErrorEnvelope {
    pub error: ErrorBody,
}

#[derive(Deserialize)]
pub(crate) struct ErrorBody {
    pub kind: String,
    pub message: String,
}

impl ErrorBody {
    /// The plugin's own error, for the kinds that mirror the WIT `plugin-error`.
    pub(crate) fn plugin_error(&self) -> Option<PluginError> {
        let message = bounded_message(self.message.clone());
        match self.kind.as_str() {
            "invalid-config" => Some(PluginError::InvalidConfig(message)),
            "invalid-request" => Some(PluginError::InvalidRequest(message)),
            "internal" => Some(PluginError::Internal(message)),
            _ => None,
        }
    }
}

/// An answer that does not have the protocol's shape: the field (a path such as
/// `identity.roles[0]`, or `None` for the body as a whole) and what is wrong with it.
#[derive(Debug)]
pub(crate) struct Mismatch {
    pub field: Option<String>,
    pub message: String,
}

impl Mismatch {
    fn field(field: &str, message: &str) -> Self {
        Self {
            field: Some(field.to_owned()),
            message: message.to_owned(),
        }
    }
}

/// Decodes `bytes` as `T`, naming the field that does not fit.
pub(crate) fn decode<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, Mismatch> {
    let mut deserializer = serde_json::Deserializer::from_slice(bytes);
    match serde_path_to_error::deserialize(&mut deserializer) {
        Ok(value) => Ok(value),
        Err(err) if err.inner().is_syntax() || err.inner().is_eof() => Err(Mismatch {
            field: None,
            message: format!("the body is not JSON: {}", err.inner()),
        }),
        Err(err) => {
            let path = err.path().to_string();
            let message = err.inner().to_string();
            // serde names a missing field in its message, with the parent as the path.
            let missing = message
                .strip_prefix("missing field `")
                .and_then(|rest| rest.split('`').next())
                .map(|name| match path.as_str() {
                    "." => name.to_owned(),
                    parent => format!("{parent}.{name}"),
                });
            let field = missing.or((path != ".").then_some(path));
            Err(Mismatch { field, message })
        }
    }
}

mod base64_text {
    use super::*;

    pub fn serialize<S: serde::Serializer>(bytes: &[u8], s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&BASE64.encode(bytes))
    }

    pub fn deserialize<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Vec<u8>, D::Error> {
        let text = String::deserialize(d)?;
        BASE64
            .decode(text)
            .map_err(|e| serde::de::Error::custom(format!("not base64: {e}")))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_both_outcomes() {
        let allow: AuthAnswer = decode(
            br#"{"outcome":"allow","identity":{"subject":"alice","roles":["admin"],"claims":[["scope","read"],["n",1]]}}"#,
        )
        .unwrap();
        let AuthOutcome::Allow(identity) = allow.into_outcome().unwrap() else {
            panic!("not an allow")
        };
        assert_eq!(identity.subject, "alice");
        assert_eq!(identity.claim("scope"), Some(&serde_json::json!("read")));
        assert_eq!(identity.claim("n"), Some(&serde_json::json!(1)));
        let deny: AuthAnswer =
            decode(br#"{"outcome":"deny","denial":{"status":401,"reason":"no"}}"#).unwrap();
        assert!(matches!(deny.into_outcome().unwrap(), AuthOutcome::Deny(d) if d.status == 401));
    }

    fn mismatch<T: DeserializeOwned>(body: &str) -> Mismatch {
        match decode::<T>(body.as_bytes()) {
            Ok(_) => panic!("{body} decoded"),
            Err(m) => m,
        }
    }

    #[test]
    fn a_wrong_shape_names_the_field() {
        let m = mismatch::<AuthAnswer>(r#"{"outcome":"allow","identity":{"subject":7}}"#);
        assert_eq!(m.field.as_deref(), Some("identity.subject"));
        let m = mismatch::<AuthAnswer>(r#"{"outcome":"allow","identity":{"roles":[]}}"#);
        assert_eq!(
            m.field.as_deref(),
            Some("identity.subject"),
            "{}",
            m.message
        );
        let m = mismatch::<AuthAnswer>(r#"{"outcome":"maybe"}"#);
        assert_eq!(m.field.as_deref(), Some("outcome"));
        let m = mismatch::<RespondAnswer>(r#"{"response":{"status":200,"body":"%%"}}"#);
        assert_eq!(m.field.as_deref(), Some("response.body"));
        let m = mismatch::<ModifyAnswer>(r#"{}"#);
        assert_eq!(m.field.as_deref(), Some("response"));
        let m = mismatch::<ModifyAnswer>("<html>");
        assert_eq!(m.field, None);
        let m = mismatch::<RespondAnswer>(r#"{}"#);
        assert_eq!(m.field.as_deref(), Some("response"), "{}", m.message);
        let m = mismatch::<RespondAnswer>(r#"{"status":200,"headers":[],"body":""}"#);
        assert_eq!(m.field.as_deref(), Some("response"), "{}", m.message);
        let m = mismatch::<RespondAnswer>(r#"{"response":"yes"}"#);
        assert_eq!(m.field.as_deref(), Some("response"), "{}", m.message);
        let declined: RespondAnswer = decode(br#"{"response":null}"#).unwrap();
        assert_eq!(declined.into_response().unwrap(), None);
        let answer: AuthAnswer = decode(br#"{"outcome":"allow"}"#).unwrap();
        assert_eq!(
            answer.into_outcome().unwrap_err().field.as_deref(),
            Some("identity")
        );
    }
}
