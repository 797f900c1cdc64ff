//! The request file of `mfplugin call` and `bench`:
//!
//! ```json
//! {
//!   "method": "GET",
//!   "path": "/users/42?verbose=1",
//!   "query": "page=2",
//!   "headers": [["authorization", "Bearer ..."], ["accept", "application/json"]],
//!   "body": "text body",
//!   "client_addr": "127.0.0.1:5000"
//! }
//! ```
//!
//! Every key but `method` and `path` is optional. A query in `path` and a `query` key are
//! joined. A binary body goes in `body_base64` instead of `body`.

use std::path::Path;

use anyhow::{bail, Context};
use base64::Engine as _;
use mockforge_component_host::{Request, Response};
use serde::Deserialize;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RequestFile {
    method: String,
    path: String,
    #[serde(default)]
    query: String,
    #[serde(default)]
    headers: Vec<(String, String)>,
    body: Option<String>,
    body_base64: Option<String>,
    client_addr: Option<String>,
}

/// Reads a request file.
pub fn read_request(path: &Path) -> anyhow::Result<Request> {
    let text =
        std::fs::read_to_string(path).with_context(|| format!("cannot read {}", path.display()))?;
    parse_request(&text).with_context(|| format!("bad request file {}", path.display()))
}

/// Parses request-file JSON.
pub fn parse_request(text: &str) -> anyhow::Result<Request> {
    let file: RequestFile = serde_json::from_str(text)?;
    let body = match (file.body, file.body_base64) {
        (Some(_), Some(_)) => bail!("give `body` or `body_base64`, not both"),
        (Some(text), None) => text.into_bytes(),
        (None, Some(encoded)) => base64::engine::general_purpose::STANDARD
            .decode(encoded.trim())
            .context("`body_base64` is not valid base64")?,
        (None, None) => Vec::new(),
    };
    let mut request = Request::new(file.method, &file.path).with_body(body);
    if !file.query.is_empty() {
        if !request.query.is_empty() {
            request.query.push('&');
        }
        request.query.push_str(&file.query);
    }
    request.headers = file.headers.into();
    request.client_addr = file.client_addr;
    Ok(request)
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ResponseFile {
    status: u16,
    #[serde(default)]
    headers: Vec<(String, String)>,
    body: Option<String>,
    body_base64: Option<String>,
}

/// Reads a response file (for `call --op modify`): `status`, `headers`, `body` or
/// `body_base64`.
pub fn read_response(path: &Path) -> anyhow::Result<Response> {
    let text =
        std::fs::read_to_string(path).with_context(|| format!("cannot read {}", path.display()))?;
    let file: ResponseFile = serde_json::from_str(&text)
        .with_context(|| format!("bad response file {}", path.display()))?;
    let body = match (file.body, file.body_base64) {
        (Some(_), Some(_)) => bail!("give `body` or `body_base64`, not both"),
        (Some(text), None) => text.into_bytes(),
        (None, Some(encoded)) => base64::engine::general_purpose::STANDARD
            .decode(encoded.trim())
            .context("`body_base64` is not valid base64")?,
        (None, None) => Vec::new(),
    };
    Ok(Response {
        status: file.status,
        headers: file.headers,
        body,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_every_field() {
        let request = parse_request(
            r#"{"method":"POST","path":"/a?x=1","query":"y=2","headers":[["h","1"],["h","2"]],
                "body_base64":"AAE=","client_addr":"1.2.3.4:5"}"#,
        )
        .unwrap();
        assert_eq!(request.path, "/a");
        assert_eq!(request.query, "x=1&y=2");
        assert_eq!(request.headers.len(), 2);
        assert_eq!(request.body, vec![0, 1]);
        assert_eq!(request.client_addr.as_deref(), Some("1.2.3.4:5"));
    }

    #[test]
    fn refuses_unknown_keys_and_two_bodies() {
        assert!(parse_request(r#"{"method":"GET","path":"/","colour":1}"#).is_err());
        assert!(
            parse_request(r#"{"method":"GET","path":"/","body":"a","body_base64":"YQ=="}"#)
                .is_err()
        );
        assert!(parse_request(r#"{"method":"GET","path":"/","body_base64":"!!"}"#).is_err());
    }
}
