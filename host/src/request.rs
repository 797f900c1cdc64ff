//! The HTTP request the embedder hands to plugins.

use serde::{Deserialize, Serialize};

use crate::headers::Headers;
use crate::types::Identity;

/// An incoming HTTP request as the embedder hands it to a plugin.
///
/// Plugins read it through the WIT `request` resource, so only the parts a plugin asks for are
/// copied into its memory.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Request {
    /// The method, upper case (`GET`, `POST`, ...).
    pub method: String,
    /// The path without the query string, percent-encoding preserved.
    pub path: String,
    /// The raw query string without the leading `?`; empty when there is none.
    #[serde(default)]
    pub query: String,
    /// Headers in the order received; duplicate names are kept.
    #[serde(default)]
    pub headers: Headers,
    /// The body bytes.
    #[serde(default)]
    pub body: Vec<u8>,
    /// The client's address (`ip:port`), when known.
    #[serde(default)]
    pub client_addr: Option<String>,
    /// The request's id, unique per request within the embedder's run; empty when there is
    /// none. Plugins of contract 0.2 read it.
    #[serde(default)]
    pub id: String,
    /// The template of the route the request matched (`/users/{id}`); `None` before route
    /// matching or when no route matched. Plugins of contract 0.2 read it.
    #[serde(default)]
    pub route: Option<String>,
    /// The matched route's path parameters in template order, percent-decoded. Plugins of
    /// contract 0.2 read them.
    #[serde(default)]
    pub path_params: Vec<(String, String)>,
    /// Who the auth chain said the caller is, for response plugins; `None` before auth or
    /// when no auth plugin allowed the request. Plugins of contract 0.2 read it.
    #[serde(default)]
    pub identity: Option<Identity>,
}

impl Request {
    /// A typical API request, the one `mfplugin bench` and this project's benchmarks send:
    /// `GET /api/orders/42` with eight headers of common size (`authorization` first, with
    /// the value given) and no body.
    pub fn typical(authorization: &str) -> Self {
        let mut request =
            Self::new("GET", "/api/orders/42").with_header("authorization", authorization);
        for (name, value) in [
            ("host", "api.example.com"),
            ("user-agent", "mockforge-bench/1.0 (x86_64-linux)"),
            ("accept", "application/json, text/plain, */*"),
            ("accept-encoding", "gzip, deflate, br"),
            ("accept-language", "en-GB,en;q=0.9"),
            ("x-request-id", "2f1c9f6e-0d7a-4f4e-9a51-5d1c0c7e2b11"),
            ("cache-control", "no-cache"),
        ] {
            request = request.with_header(name, value);
        }
        request
    }

    /// A request with `method` and `path` (which may carry a `?query`), no headers and no body.
    pub fn new(method: impl Into<String>, path_and_query: &str) -> Self {
        let (path, query) = path_and_query
            .split_once('?')
            .unwrap_or((path_and_query, ""));
        Self {
            method: method.into(),
            path: path.to_owned(),
            query: query.to_owned(),
            ..Self::default()
        }
    }

    /// Adds a header (duplicates are kept).
    pub fn with_header(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.headers.push(name, value);
        self
    }

    /// Sets the body.
    pub fn with_body(mut self, body: impl Into<Vec<u8>>) -> Self {
        self.body = body.into();
        self
    }

    /// Sets the client address.
    pub fn with_client_addr(mut self, addr: impl Into<String>) -> Self {
        self.client_addr = Some(addr.into());
        self
    }

    /// With request id `id`.
    pub fn with_id(mut self, id: impl Into<String>) -> Self {
        self.id = id.into();
        self
    }

    /// With the matched route's template and its path parameters.
    pub fn with_route(
        mut self,
        template: impl Into<String>,
        params: impl IntoIterator<Item = (String, String)>,
    ) -> Self {
        self.route = Some(template.into());
        self.path_params = params.into_iter().collect();
        self
    }

    /// With the identity the auth chain established.
    pub fn with_identity(mut self, identity: Identity) -> Self {
        self.identity = Some(identity);
        self
    }

    /// The value of path parameter `name` of the matched route.
    pub fn path_param(&self, name: &str) -> Option<&str> {
        self.path_params
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }

    /// The first value of header `name`, compared case-insensitively.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name)
    }

    /// The first value of query parameter `name`, percent-decoded (`+` reads as a space).
    pub fn query_param(&self, name: &str) -> Option<String> {
        self.query
            .split('&')
            .filter(|pair| !pair.is_empty())
            .map(|pair| pair.split_once('=').unwrap_or((pair, "")))
            .find(|(key, _)| percent_decode(key) == name)
            .map(|(_, value)| percent_decode(value))
    }
}

/// Decodes `%XX` escapes and `+`; invalid escapes are kept as written, invalid UTF-8 is replaced.
fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'+' => out.push(b' '),
            b'%' if i + 2 < bytes.len() => {
                match (hex_value(bytes[i + 1]), hex_value(bytes[i + 2])) {
                    (Some(high), Some(low)) => {
                        out.push(high << 4 | low);
                        i += 2;
                    }
                    _ => out.push(b'%'),
                }
            }
            byte => out.push(byte),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

fn hex_value(digit: u8) -> Option<u8> {
    (digit as char).to_digit(16).map(|d| d as u8)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_path_and_query() {
        let request = Request::new("GET", "/users/7?x=1&y=two");
        assert_eq!(request.path, "/users/7");
        assert_eq!(request.query, "x=1&y=two");
    }

    #[test]
    fn header_lookup_is_case_insensitive_and_takes_the_first() {
        let request = Request::new("GET", "/")
            .with_header("X-Token", "a")
            .with_header("x-token", "b");
        assert_eq!(request.header("x-TOKEN"), Some("a"));
        assert_eq!(request.header("missing"), None);
    }

    #[test]
    fn query_params_are_percent_decoded() {
        let request = Request::new(
            "GET",
            "/?api_key=a%2Bb%20c&name=J%C3%BCrgen+X&bad=%zz&empty",
        );
        assert_eq!(request.query_param("api_key").as_deref(), Some("a+b c"));
        assert_eq!(request.query_param("name").as_deref(), Some("Jürgen X"));
        assert_eq!(request.query_param("bad").as_deref(), Some("%zz"));
        assert_eq!(request.query_param("empty").as_deref(), Some(""));
        assert_eq!(request.query_param("absent"), None);
    }

    #[test]
    fn a_trailing_percent_is_kept() {
        assert_eq!(percent_decode("100%"), "100%");
        assert_eq!(percent_decode("%4"), "%4");
        assert_eq!(percent_decode("%41"), "A");
    }
}
