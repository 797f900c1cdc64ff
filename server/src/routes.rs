//! The route table: method + path template to a default mock response, as an axum router.

use std::collections::BTreeMap;
use std::convert::Infallible;
use std::path::Path;
use std::sync::Arc;

use axum::body::{Body, Bytes};
use axum::extract::RawPathParams;
use axum::http::{HeaderMap, HeaderName, HeaderValue, Method, Response, StatusCode};
use axum::routing::{any, on, MethodFilter, MethodRouter};
use axum::{Extension, Router};
use mockforge_component_http::Authenticated;

use crate::config::{read_bytes_bounded, RouteEntry, MAX_BODY_FILE_BYTES};

/// A route's default mock response.
#[derive(Debug, Clone)]
pub struct MockResponse {
    status: StatusCode,
    headers: HeaderMap,
    body: MockBody,
}

#[derive(Debug, Clone)]
enum MockBody {
    /// Sent as it is.
    Fixed(Bytes),
    /// Text with placeholders, parsed once.
    Template(Vec<Piece>),
}

/// A piece of a body template.
#[derive(Debug, Clone, PartialEq)]
enum Piece {
    Text(String),
    /// `{name}`: the path parameter's value (the placeholder itself when the route has none).
    Param(String),
    /// `{auth.subject}`: who the auth chain said the caller is, or `anonymous`.
    Subject,
    /// `{auth.plugin}`: the plugin that said so, or `none`.
    AuthPlugin,
}

/// Splits `text` at `{...}` placeholders; braces that do not form one stay text.
fn parse_template(text: &str) -> Vec<Piece> {
    let mut pieces = Vec::new();
    let mut literal = String::new();
    let mut rest = text;
    while let Some(open) = rest.find('{') {
        let after = &rest[open + 1..];
        let name = after
            .find('}')
            .map(|close| &after[..close])
            .filter(|name| !name.is_empty() && !name.contains(['{', '"', ' ', '\n']));
        let Some(name) = name else {
            literal.push_str(&rest[..=open]);
            rest = after;
            continue;
        };
        literal.push_str(&rest[..open]);
        if !literal.is_empty() {
            pieces.push(Piece::Text(std::mem::take(&mut literal)));
        }
        pieces.push(match name {
            "auth.subject" => Piece::Subject,
            "auth.plugin" => Piece::AuthPlugin,
            _ => Piece::Param(name.to_owned()),
        });
        rest = &after[name.len() + 1..];
    }
    literal.push_str(rest);
    if !literal.is_empty() {
        pieces.push(Piece::Text(literal));
    }
    pieces
}

impl MockResponse {
    fn from_entry(entry: &RouteEntry, base: &Path) -> Result<Self, String> {
        let status =
            StatusCode::from_u16(entry.status).map_err(|_| format!("status {}", entry.status))?;
        let mut headers = HeaderMap::new();
        for (name, value) in &entry.headers {
            headers.append(
                HeaderName::from_bytes(name.as_bytes()).map_err(|_| format!("header {name:?}"))?,
                HeaderValue::from_str(value).map_err(|_| format!("header {name:?}"))?,
            );
        }
        let body = match (&entry.body, &entry.body_file) {
            (Some(text), _) => match parse_template(text).as_slice() {
                [] => MockBody::Fixed(Bytes::new()),
                [Piece::Text(_)] => MockBody::Fixed(Bytes::from(text.clone())),
                _ => MockBody::Template(parse_template(text)),
            },
            (None, Some(file)) => {
                let path = base.join(file);
                let bytes = read_bytes_bounded(&path, MAX_BODY_FILE_BYTES)
                    .map_err(|e| format!("body-file {}: {e}", path.display()))?;
                MockBody::Fixed(Bytes::from(bytes))
            }
            (None, None) => MockBody::Fixed(Bytes::new()),
        };
        Ok(Self {
            status,
            headers,
            body,
        })
    }

    /// The response for a request with these path parameters, by this caller (`{auth.subject}`
    /// and `{auth.plugin}` in a template; `anonymous` and `none` without one).
    pub fn render(&self, params: &RawPathParams, caller: Option<&Authenticated>) -> Response<Body> {
        let body = match &self.body {
            MockBody::Fixed(bytes) => Body::from(bytes.clone()),
            MockBody::Template(pieces) => {
                let mut out = String::new();
                for piece in pieces {
                    match piece {
                        Piece::Text(text) => out.push_str(text),
                        Piece::Param(name) => {
                            match params.iter().find(|(param, _)| param == name) {
                                Some((_, value)) => out.push_str(value),
                                None => {
                                    out.push('{');
                                    out.push_str(name);
                                    out.push('}');
                                }
                            }
                        }
                        Piece::Subject => out
                            .push_str(caller.map_or("anonymous", |c| c.identity.subject.as_str())),
                        Piece::AuthPlugin => out.push_str(caller.map_or("none", |c| &c.plugin)),
                    }
                }
                Body::from(out)
            }
        };
        let mut resp = Response::new(body);
        *resp.status_mut() = self.status;
        *resp.headers_mut() = self.headers.clone();
        resp
    }
}

/// The router of the route table, every route answering its default mock. Templates are
/// checked first (syntax, conflicts), so that a bad table is an error naming the route.
pub fn route_table(routes: &[RouteEntry], base: &Path) -> Result<Router, String> {
    let mut checker = matchit::Router::new();
    let mut by_path: BTreeMap<String, Vec<(&RouteEntry, usize)>> = BTreeMap::new();
    for (i, route) in routes.iter().enumerate() {
        by_path
            .entry(route.path.clone())
            .or_default()
            .push((route, i));
    }
    let mut router = Router::new();
    for (path, entries) in by_path {
        checker
            .insert(path.as_str(), ())
            .map_err(|e| format!("route {path}: {e}"))?;
        let mut method_router: MethodRouter = MethodRouter::new();
        let mut seen: Vec<String> = Vec::new();
        for (entry, i) in entries {
            let at = format!("route[{i}] ({} {})", entry.method, entry.path);
            let method = entry.method.to_ascii_uppercase();
            if seen
                .iter()
                .any(|m| m == &method || m == "ANY" || method == "ANY")
            {
                return Err(format!(
                    "{at}: another route already answers this method and path"
                ));
            }
            seen.push(method.clone());
            let mock =
                Arc::new(MockResponse::from_entry(entry, base).map_err(|e| format!("{at}: {e}"))?);
            let handler = move |params: RawPathParams, caller: Option<Extension<Authenticated>>| {
                let response = mock.render(&params, caller.as_ref().map(|c| &c.0));
                std::future::ready(Ok::<_, Infallible>(response))
            };
            method_router = if method == "ANY" {
                any(handler)
            } else {
                let filter = Method::from_bytes(method.as_bytes())
                    .ok()
                    .and_then(|m| MethodFilter::try_from(m).ok())
                    .ok_or_else(|| format!("{at}: the method {method} cannot be routed"))?;
                method_router.merge(on(filter, handler))
            };
        }
        router = router.route(&path, method_router);
    }
    Ok(router)
}

#[cfg(test)]
mod tests {
    use super::{parse_template, Piece};

    #[test]
    fn templates_split_at_placeholders_and_keep_other_braces() {
        assert_eq!(
            parse_template(r#"{"order": "{id}", "by": "{auth.subject}/{auth.plugin}"}"#),
            vec![
                Piece::Text(r#"{"order": ""#.into()),
                Piece::Param("id".into()),
                Piece::Text(r#"", "by": ""#.into()),
                Piece::Subject,
                Piece::Text("/".into()),
                Piece::AuthPlugin,
                Piece::Text(r#""}"#.into()),
            ]
        );
        assert_eq!(parse_template("{}{ x}"), vec![Piece::Text("{}{ x}".into())]);
        assert_eq!(
            parse_template("no braces"),
            vec![Piece::Text("no braces".into())]
        );
        assert_eq!(parse_template("open {"), vec![Piece::Text("open {".into())]);
        assert!(parse_template("").is_empty());
    }
}
